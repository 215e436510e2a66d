package dev.geminilive.internal;

import dev.geminilive.LiveScheduler;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * tasks go on in order on another thread, and never wait for it. Once that work says it is ending
 * ({@link #workEnding}), a turn its last tasks need is kept for its thread, holding the session's
 * threads from then on, unless another thread adds a task first.
 */
final class SerialQueue {
  private static final Logger log = LoggerFactory.getLogger(SerialQueue.class);

  /**
   * How many tasks one turn on a scheduler thread runs before the queue lets the thread go and asks
   * for another: a session with a flood of frames does not hold a thread other sessions could use.
   */
  static final int TASKS_PER_TURN = 256;

  private static final int IDLE = 0;
  private static final int SCHEDULED = 1;
  private static final int KEPT = 2;
  private static final int KEPT_HOLDING = 3;

  /**
   * The work after a turn ({@link #runAfterTurn}) the calling thread runs now, if any: which queue
   * it left, and whether its work has said it is ending ({@link #workEnding}).
   */
  private static final ThreadLocal<Away> AWAY = new ThreadLocal<>();

  private final LiveScheduler scheduler;
  private final SessionThreads threads;
  private final String sessionName;
  private final String threadNameDuringTurn;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  // Tasks added and not started; read by any thread for the session's bound on pending work.
  private final AtomicInteger pending = new AtomicInteger();
  // IDLE, SCHEDULED (a turn asked for or running), or KEPT/KEPT_HOLDING (a turn kept for a thread
  // finishing its work after a turn, see keepsTurns): at most one turn is asked for, kept or
  // running, which is what makes the queue serial.
  private final AtomicInteger state = new AtomicInteger(IDLE);
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
    execute(task, false);
  }

  /**
   * Adds a task, as {@link #execute} does; and if the queue is idle and the calling thread is one
   * of the system scheduler's workers, the turn that runs it is left to that thread, to run as soon
   * as the thread's current task returns ({@link SystemScheduler#runNext}), instead of waking
   * another worker. The turn is an ordinary one: same order, thread name, MDC and hold, and it may
   * end early for a tool handler ({@link #runAfterTurn}). For a caller whose own task is short and
   * blocks on nothing, such as the JDK's call that delivered a frame on {@code Transport.JDK}: the
   * session's tasks wait for the rest of it. A busy queue, a turn kept for a thread finishing its
   * work, another kind of thread or a worker that has a turn to run next already: the task is added
   * as {@link #execute} adds it.
   *
   * @return whether the turn was left to the calling thread
   */
  boolean executeNext(Runnable task) {
    return execute(task, true);
  }

  private boolean execute(Runnable task, boolean next) {
    tasks.add(task);
    pending.incrementAndGet();
    while (true) {
      int s = state.get();
      if (s == SCHEDULED) {
        return false; // the turn asked for or running polls it
      }
      if (keepsTurns()) {
        if (s != IDLE || keepTurn()) {
          return false; // a thread finishing its work runs it once that work returns
        }
      } else if (s == IDLE) {
        if (state.compareAndSet(IDLE, SCHEDULED)) {
          return askForTurn(threads.hold(), next);
        }
      } else if (state.compareAndSet(s, SCHEDULED)) {
        // Kept for a thread finishing its work: this task does not wait for it.
        askForTurn(s == KEPT_HOLDING);
        return false;
      }
    }
  }

  // With the state set to SCHEDULED by the caller, and the hold taken if holds.
  private void askForTurn(boolean holds) {
    askForTurn(holds, false);
  }

  // As above; with next, the calling worker runs the turn once its task returns, if it can.
  private boolean askForTurn(boolean holds, boolean next) {
    turnHolds = holds;
    try {
      if (next && scheduler instanceof SystemScheduler system && system.runNext(turn)) {
        return true;
      }
      scheduler.execute(turn);
      return false;
    } catch (RuntimeException | Error e) {
      state.set(IDLE);
      if (holds) {
        threads.release();
      }
      throw e;
    }
  }

  /**
   * Whether the calling thread runs work after one of this queue's turns that has said it is ending
   * ({@link #workEnding}): a turn it needs is kept for it, to run when the work returns.
   */
  private boolean keepsTurns() {
    Away away = AWAY.get();
    return away != null && away.queue == this && away.ending;
  }

  // From IDLE; false if another thread asked for a turn meanwhile.
  private boolean keepTurn() {
    boolean holds = threads.hold();
    if (state.compareAndSet(IDLE, holds ? KEPT_HOLDING : KEPT)) {
      return true;
    }
    if (holds) {
      threads.release();
    }
    return false;
  }

  /** Takes a turn kept for a thread finishing its work: its state, or IDLE if none is kept. */
  private int takeKeptTurn() {
    while (true) {
      int s = state.get();
      if (s != KEPT && s != KEPT_HOLDING) {
        return IDLE;
      }
      if (state.compareAndSet(s, SCHEDULED)) {
        return s;
      }
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
   * <p>Once {@code after} has said it is ending ({@link #workEnding}), a turn that the tasks it
   * adds need is kept for this thread and runs on it, back in the pool, when {@code after} returns:
   * the work's last few tasks wake no other thread. Such a turn is kept only until another thread
   * adds a task; that thread then asks the scheduler for it at once, so no task of another thread
   * waits for the work.
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

  /**
   * From the work run after a turn of this queue ({@link #runAfterTurn}), on its thread: what is
   * left of the work is short and blocks on nothing (a tool's answer handed over once its handler
   * has returned), so the turn that the tasks it adds from now on need is kept for this thread
   * until the work returns. Does nothing on any other thread.
   */
  void workEnding() {
    Away away = AWAY.get();
    if (away != null && away.queue == this) {
      away.ending = true;
    }
  }

  /** Fails (with assertions on) unless the calling thread runs one of this queue's tasks. */
  void assertOnQueue() {
    assert isCurrent() : Thread.currentThread().getName() + " is not running " + sessionName;
  }

  private void turn() {
    boolean holds = turnHolds;
    while (true) {
      Runnable after = runTurn(holds);
      if (after == null) {
        return;
      }
      // Flat, not nested: a kept turn may end early for work of its own.
      int kept = runAway(after);
      if (kept == IDLE) {
        return;
      }
      holds = kept == KEPT_HOLDING;
    }
  }

  /** One turn, ended before it returns; the work to run after it, if a task asked for one. */
  private @Nullable Runnable runTurn(boolean holds) {
    Thread thread = Thread.currentThread();
    runner = thread;
    // While it runs the session's tasks the thread carries the session's name, as OkHttp's task
    // runner does: thread dumps and the listener's thread name say whose work it is.
    String threadName = thread.getName();
    if (holds) {
      thread.setName(threadNameDuringTurn);
    }
    String previous = SessionMdc.enter(sessionName);
    Runnable after = null;
    try {
      for (int i = 0; i < TASKS_PER_TURN; i++) {
        Runnable task = tasks.poll();
        if (task == null) {
          break;
        }
        pending.decrementAndGet();
        try {
          task.run();
        } catch (Throwable t) { // a checked one thrown sneakily too: the work after must still run
          log.error("{}: a task failed; the session goes on", sessionName, t);
        }
        if (afterTurn != null) {
          break;
        }
      }
    } finally {
      // Taken before the turn ends: the next turn, on another thread, may ask for its own.
      after = afterTurn;
      afterTurn = null;
      endTurn(holds, thread, threadName, previous);
    }
    return after;
  }

  /**
   * Runs the work after a turn on this thread, out of the pool; returns the state of a turn kept
   * for this thread meanwhile, now taken (SCHEDULED) for it to run, or IDLE if none was kept.
   */
  private int runAway(Runnable after) {
    AWAY.set(new Away(this));
    try {
      // Only ever set on the system scheduler (runAfterTurn), whose worker reserved its leave.
      ((SystemScheduler) scheduler).runAway(after);
    } catch (RuntimeException | Error e) {
      AWAY.remove();
      int kept = takeKeptTurn();
      if (kept != IDLE) {
        askForTurn(kept == KEPT_HOLDING);
      }
      throw e;
    }
    AWAY.remove();
    return takeKeptTurn();
  }

  private void endTurn(boolean holds, Thread thread, String threadName, @Nullable String previous) {
    SessionMdc.exit(previous);
    if (holds) {
      thread.setName(threadName);
    }
    runner = null;
    state.set(IDLE);
    // A task added after the last poll, one left over by the limit, or those after a task that
    // ended the turn early, need a new turn; it takes its hold before this one lets go, so the
    // count does not touch zero in between.
    try {
      if (!tasks.isEmpty() && state.compareAndSet(IDLE, SCHEDULED)) {
        askForTurn(threads.hold());
      }
    } catch (RuntimeException | Error e) {
      // Not thrown on: the work after this turn must still run. The next task asks again.
      log.error(
          "{}: could not ask for a turn; the queue's tasks wait for the next", sessionName, e);
    }
    if (holds) {
      // Last: the release may complete the session's termination, on this thread.
      threads.release();
    }
  }

  /** The work after a turn that a thread runs now ({@link #AWAY}); only that thread uses it. */
  private static final class Away {
    final SerialQueue queue;
    boolean ending;

    Away(SerialQueue queue) {
      this.queue = queue;
    }
  }
}
