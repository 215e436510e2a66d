package dev.geminilive.internal;

import dev.geminilive.LiveScheduler;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's tasks, run one at a time in the order they were given, on a scheduler shared with
 * other sessions (OkHttp's {@code TaskQueue} has this shape). The queue owns no thread: while it
 * has work it holds one of the scheduler's, and it gives it back when it is empty, so an idle
 * session costs nothing. Every task runs with the session's name in the MDC, on a thread named
 * {@code <session>-events} for the time of its turn. A turn holds the session's {@link
 * SessionThreads} from the moment it is asked for until its thread has its own name back; once the
 * session is over (no hold left), late tasks still run, in order, under the thread's own name.
 *
 * <p>What a task sees happens-before the next task of the same queue. A task that throws is logged
 * and the queue goes on. Thread-safe: any thread may add tasks.
 *
 * <p>On the system scheduler a task may end its turn early to have its thread run something that
 * may block, such as a tool handler, out of the queue ({@link #runAfterTurn}): the queue's other
 * tasks go on in order on another thread, and never wait for it.
 */
final class SerialQueue {
  private static final Logger log = LoggerFactory.getLogger(SerialQueue.class);

  /**
   * How many tasks one turn on a scheduler thread runs before the queue lets the thread go and asks
   * for another: a session with a flood of frames does not hold a thread other sessions could use.
   */
  static final int TASKS_PER_TURN = 256;

  private final LiveScheduler scheduler;
  private final SessionThreads threads;
  private final String sessionName;
  private final String threadNameDuringTurn;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  // Tasks added and not started; read by any thread for the session's bound on pending work.
  private final AtomicInteger pending = new AtomicInteger();
  // Whether a turn is scheduled or running: at most one is (that is what makes the queue serial).
  private final AtomicBoolean scheduled = new AtomicBoolean();
  // The thread running this queue's turn, or null between turns; for assertOnQueue().
  private volatile @Nullable Thread runner;
  // Whether the turn asked for last holds the session's threads (and names its thread); written
  // before the turn is handed to the scheduler, read once when it starts.
  private volatile boolean turnHolds;
  // What the running turn's thread runs once the turn is over (runAfterTurn); only that thread
  // reads and writes it, and a turn starts only after the last one cleared it.
  private @Nullable Runnable afterTurn;
  private final Runnable turn = this::turn;

  /** A queue of its own, not part of a session's count of threads. */
  SerialQueue(LiveScheduler scheduler, String sessionName) {
    this(scheduler, new SessionThreads(sessionName));
  }

  SerialQueue(LiveScheduler scheduler, SessionThreads threads) {
    this.scheduler = scheduler;
    this.threads = threads;
    this.sessionName = threads.sessionName();
    this.threadNameDuringTurn = sessionName + "-events";
  }

  /** Adds a task; it runs after every task added before it. */
  void execute(Runnable task) {
    tasks.add(task);
    pending.incrementAndGet();
    if (scheduled.compareAndSet(false, true)) {
      askForTurn();
    }
  }

  // With scheduled set by the caller.
  private void askForTurn() {
    boolean holds = threads.hold();
    turnHolds = holds;
    try {
      scheduler.execute(turn);
    } catch (RuntimeException | Error e) {
      scheduled.set(false);
      if (holds) {
        threads.release();
      }
      throw e;
    }
  }

  /** Adds {@code task} to this queue once {@code delay} has passed on the scheduler's clock. */
  LiveScheduler.ScheduledTask schedule(String name, Duration delay, Runnable task) {
    return scheduler.schedule(sessionName + ": " + name, delay, () -> execute(task));
  }

  /** What counts the threads carrying the session's name. */
  SessionThreads threads() {
    return threads;
  }

  /** The name of the session whose tasks these are. */
  String sessionName() {
    return sessionName;
  }

  /** Tasks added and not started yet. */
  int pending() {
    return pending.get();
  }

  /** The scheduler's clock. */
  long nanoTime() {
    return scheduler.nanoTime();
  }

  /** Whether the calling thread is running one of this queue's tasks. */
  boolean isCurrent() {
    return runner == Thread.currentThread();
  }

  /**
   * From one of this queue's tasks: ends the turn as soon as that task returns, and then runs
   * {@code after} on the same thread, out of the turn and out of the scheduler's pool. The queue's
   * remaining tasks get a new turn, on another thread, before {@code after} starts, so they keep
   * their order and never wait for it; {@code after} runs under the thread's own name, without the
   * session's MDC and without a hold of the session's threads (it must not carry the session's
   * name), and the pool starts a thread in its place if it needs one ({@link WorkerPool#runAway}).
   * Once this returned true, {@code after} runs, even if the task throws.
   *
   * <p>Only on {@link LiveScheduler#system()}, once per turn, and while the pool lets one more
   * thread away; false otherwise, and {@code after} is the caller's to run elsewhere.
   */
  boolean runAfterTurn(Runnable after) {
    if (!isCurrent()
        || afterTurn != null
        || !(scheduler instanceof SystemScheduler system)
        || !system.reserveLeave()) {
      return false;
    }
    afterTurn = after;
    return true;
  }

  /** Fails (with assertions on) unless the calling thread runs one of this queue's tasks. */
  void assertOnQueue() {
    assert isCurrent() : Thread.currentThread().getName() + " is not running " + sessionName;
  }

  private void turn() {
    boolean holds = turnHolds;
    Thread thread = Thread.currentThread();
    runner = thread;
    // While it runs the session's tasks the thread carries the session's name, as OkHttp's task
    // runner does: thread dumps and the listener's thread name say whose work it is.
    String threadName = thread.getName();
    if (holds) {
      thread.setName(threadNameDuringTurn);
    }
    String previous = SessionMdc.enter(sessionName);
    try {
      for (int i = 0; i < TASKS_PER_TURN; i++) {
        Runnable task = tasks.poll();
        if (task == null) {
          break;
        }
        pending.decrementAndGet();
        try {
          task.run();
        } catch (RuntimeException | Error e) {
          log.error("{}: a task failed; the session goes on", sessionName, e);
        }
        if (afterTurn != null) {
          break;
        }
      }
    } finally {
      Runnable after = afterTurn;
      afterTurn = null;
      try {
        endTurn(holds, thread, threadName, previous);
      } finally {
        if (after != null) {
          // Only ever set on the system scheduler (runAfterTurn), whose worker reserved its leave.
          ((SystemScheduler) scheduler).runAway(after);
        }
      }
    }
  }

  private void endTurn(boolean holds, Thread thread, String threadName, @Nullable String previous) {
    SessionMdc.exit(previous);
    if (holds) {
      thread.setName(threadName);
    }
    runner = null;
    scheduled.set(false);
    // A task added after the last poll, one left over by the limit, or those after a task that
    // ended the turn early, need a new turn; it takes its hold before this one lets go, so the
    // count does not touch zero in between.
    if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
      askForTurn();
    }
    if (holds) {
      // Last: the release may complete the session's termination, on this thread.
      threads.release();
    }
  }
}
