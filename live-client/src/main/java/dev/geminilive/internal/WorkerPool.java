package dev.geminilive.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The system scheduler's workers: daemon threads shared by every session, at most {@code
 * parallelism} of them while tasks keep starting, more only when tasks wait and none has started
 * for {@link #STALL_AFTER} (every thread is held by a task that blocks, such as a listener waiting
 * on something), and none once they have been idle for the keep-alive.
 *
 * <p>A pool that starts a thread whenever no thread is waiting at that instant (a {@code
 * ThreadPoolExecutor} on a {@code SynchronousQueue}) grows to dozens of threads in a burst of short
 * tasks on a busy machine, such as many sessions connecting at once, because a thread that has just
 * finished a task is not yet waiting; those threads then linger for the keep-alive. Here a burst
 * queues behind {@code parallelism} threads, which is as fast on a machine with that many cores,
 * and a task that blocks delays the others by about {@link #STALL_AFTER} once, when it holds the
 * last free thread.
 *
 * <p>A task may also take its thread out of the pool for a while ({@link #reserveLeave}, then
 * {@link #runAway}): the library's tool handlers run so, on the thread that dispatched them, with
 * no hand-off to another thread. The pool counts such a thread out, starts one in its place if
 * tasks wait for it, and takes it back when the task returns; at most {@code maxAway} threads are
 * away at once, so however many handlers block, the threads the pool starts for that stay bounded.
 *
 * <p>A task wakes the idle thread that parked last (a stack, as {@code ForkJoinPool} keeps its idle
 * workers), not the one idle longest: while work comes one task at a time, such as one session's
 * frames, the same thread runs it, warm, and the threads it does not need reach their keep-alive
 * and end, where a first-in first-out wake would pass the work around every idle thread in turn and
 * keep them all alive.
 *
 * <p>A task may also leave its thread a task to run right after it ({@link #runNext}): on {@code
 * Transport.JDK} the JDK's own task that delivered a frame so leaves the session's turn for that
 * frame, which then wakes no second thread.
 *
 * <p>Thread-safe. Every field is guarded by {@code lock}, but a thread's task to run next, which
 * only that thread touches.
 */
final class WorkerPool implements Executor {
  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

  /**
   * How long queued tasks wait, with every thread busy and no task started meanwhile, before the
   * pool adds a thread: the tasks running are taken to be blocked.
   */
  static final Duration STALL_AFTER = Duration.ofMillis(20);

  private final String threadPrefix;
  private final int parallelism;
  private final int maxAway;
  private final long keepAliveNanos;
  private final BiConsumer<Duration, Runnable> later;
  private final AtomicInteger threadNumbers = new AtomicInteger();

  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  // Threads parked for work and not yet woken, the one that parked last first.
  private final ArrayDeque<Worker> idle = new ArrayDeque<>();
  // Threads taken off the idle stack for a task that have not taken one yet.
  private int woken;
  // Threads in the pool: not those away (runAway).
  private int threads;
  // Threads away from the pool or reserved to leave it.
  private int away;
  private long started;
  private boolean watching;

  /**
   * @param threadPrefix the threads' names, followed by a number
   * @param parallelism the threads the pool keeps to while tasks keep starting
   * @param keepAlive how long an idle thread waits for work before it ends
   * @param later runs a task after a delay (the stall check; short, must not block)
   */
  WorkerPool(
      String threadPrefix,
      int parallelism,
      Duration keepAlive,
      BiConsumer<Duration, Runnable> later) {
    this(threadPrefix, parallelism, defaultMaxAway(parallelism), keepAlive, later);
  }

  /**
   * @param threadPrefix the threads' names, followed by a number
   * @param parallelism the threads the pool keeps to while tasks keep starting
   * @param maxAway the most threads away from the pool at once ({@link #reserveLeave})
   * @param keepAlive how long an idle thread waits for work before it ends
   * @param later runs a task after a delay (the stall check; short, must not block)
   */
  WorkerPool(
      String threadPrefix,
      int parallelism,
      int maxAway,
      Duration keepAlive,
      BiConsumer<Duration, Runnable> later) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
    }
    if (maxAway < 0) {
      throw new IllegalArgumentException("maxAway must not be negative, was " + maxAway);
    }
    this.threadPrefix = threadPrefix;
    this.parallelism = parallelism;
    this.maxAway = maxAway;
    this.keepAliveNanos = keepAlive.toNanos();
    this.later = later;
  }

  @Override
  public void execute(Runnable task) {
    Worker parked;
    lock.lock();
    try {
      queue.add(task);
      parked = idle.pollFirst();
      if (parked != null) {
        parked.woken = true;
        woken++;
      } else if (threads < parallelism) {
        startThread();
      } else {
        watch();
      }
    } finally {
      lock.unlock();
    }
    if (parked != null) {
      // After the unlock, so the thread does not wake only to wait for the lock. It cannot miss
      // this: it parks only after it is on the stack, and an unpark before the park is kept.
      LockSupport.unpark(parked);
    }
  }

  /** The pool's threads alive now. */
  int threads() {
    lock.lock();
    try {
      return threads;
    } finally {
      lock.unlock();
    }
  }

  /** The pool's threads parked for work now, not yet woken for a task. */
  int idle() {
    lock.lock();
    try {
      return idle.size();
    } finally {
      lock.unlock();
    }
  }

  /** The threads away from the pool now, or reserved to leave it. */
  int away() {
    lock.lock();
    try {
      return away;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Reserves, for the calling thread, a leave from the pool to run one task that may block ({@link
   * #runAway}), which the caller must then make. False, with nothing reserved, unless the caller is
   * one of this pool's threads, holds no reservation yet, and fewer than {@code maxAway} threads
   * are away or reserved.
   */
  boolean reserveLeave() {
    if (!(Thread.currentThread() instanceof Worker w) || w.pool != this || w.reserved) {
      return false;
    }
    lock.lock();
    try {
      if (away >= maxAway) {
        return false;
      }
      away++;
    } finally {
      lock.unlock();
    }
    w.reserved = true;
    return true;
  }

  /**
   * Runs {@code task} on the calling thread, out of the pool: the thread {@link #reserveLeave}
   * reserved a leave for. Meanwhile the pool counts it out, and starts a thread in its place if
   * tasks wait with fewer than {@code parallelism} threads left; it takes the thread back when the
   * task returns or throws (what it throws goes to the caller).
   *
   * @throws IllegalStateException if the calling thread holds no reservation
   */
  void runAway(Runnable task) {
    if (!(Thread.currentThread() instanceof Worker w) || w.pool != this || !w.reserved) {
      throw new IllegalStateException(
          Thread.currentThread().getName() + " has no leave reserved from " + this);
    }
    lock.lock();
    try {
      threads--;
      if (uncovered() && threads < parallelism) {
        startThread();
      }
    } finally {
      lock.unlock();
    }
    try {
      task.run();
    } finally {
      w.reserved = false;
      lock.lock();
      try {
        // Back in the pool: past the parallelism it is one more idle thread the keep-alive ends.
        threads++;
        away--;
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Has the calling thread, if it is one of this pool's threads in the pool and no task is set to
   * follow its current one yet, run {@code task} as soon as its current task returns (or throws),
   * before it takes another from the queue: no other thread is woken for it. False otherwise, with
   * nothing set; the caller then gives it to {@link #execute}.
   */
  boolean runNext(Runnable task) {
    if (!(Thread.currentThread() instanceof Worker w)
        || w.pool != this
        || w.reserved
        || w.next != null) {
      return false;
    }
    w.next = task;
    return true;
  }

  /** Tasks given and not started. */
  int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  // With the lock held: whether tasks wait that no idle or woken thread is there to take.
  private boolean uncovered() {
    return queue.size() > woken + idle.size();
  }

  // With the lock held.
  private void watch() {
    if (!watching) {
      watching = true;
      long startedThen = started;
      later.accept(STALL_AFTER, () -> check(startedThen));
    }
  }

  /** Adds a thread if tasks still wait and none started since the check was set. */
  private void check(long startedThen) {
    lock.lock();
    try {
      watching = false;
      if (!uncovered()) {
        return;
      }
      if (started == startedThen) {
        startThread();
      }
      watch();
    } finally {
      lock.unlock();
    }
  }

  // With the lock held.
  private void startThread() {
    Thread t = new Worker(this, threadPrefix + "-" + threadNumbers.incrementAndGet());
    t.start();
    threads++;
  }

  /** A thread of a pool, which a task on it asks to leave the pool ({@link #reserveLeave}). */
  private static final class Worker extends Thread {
    final WorkerPool pool;
    // Whether this thread holds a leave from its pool; only this thread reads and writes it.
    boolean reserved;
    // Whether a task took this thread off the idle stack to run; guarded by the pool's lock.
    boolean woken;
    // The task to run once the current one returns (runNext); only this thread reads and writes it.
    @Nullable Runnable next;

    Worker(WorkerPool pool, String name) {
      super(pool::work, name);
      this.pool = pool;
      setDaemon(true);
    }
  }

  private void work() {
    Worker self = (Worker) Thread.currentThread();
    Runnable task = next(self);
    while (task != null) {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        log.error("a task threw; the pool goes on", e);
      }
      // A task that set its thread's interrupt flag does not pass it on to the next task.
      Thread.interrupted();
      task = self.next;
      self.next = null;
      if (task == null) {
        task = next(self);
      }
    }
  }

  /**
   * The next task, parked on top of the idle stack until one comes, up to the keep-alive; null when
   * the thread is to end.
   *
   * <p>A thread on the stack that wakes without being taken off it (a park may return early, or
   * with nothing to wake it) stays at its place and parks again, unless tasks wait that no woken
   * thread is on its way to take: it neither jumps ahead of the threads that parked after it nor
   * takes the task another thread was woken for.
   */
  private @Nullable Runnable next(Worker self) {
    lock.lock();
    try {
      long deadline = System.nanoTime() + keepAliveNanos;
      boolean onStack = false;
      while (onStack ? queue.size() <= woken : queue.isEmpty()) {
        long wait = deadline - System.nanoTime();
        if (wait <= 0) {
          if (onStack) {
            idle.remove(self);
          }
          threads--;
          return null;
        }
        if (!onStack) {
          self.woken = false;
          idle.addFirst(self);
          onStack = true;
        }
        lock.unlock();
        try {
          LockSupport.parkNanos(this, wait);
        } finally {
          lock.lock();
        }
        boolean interrupted = Thread.interrupted();
        if (self.woken) {
          // Taken off the stack by a task.
          woken--;
          onStack = false;
        } else if (interrupted) {
          // Nobody interrupts the pool's idle threads; treat it as the end of the keep-alive.
          deadline = System.nanoTime();
        }
      }
      if (onStack) {
        idle.remove(self);
      }
      started++;
      return queue.poll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "WorkerPool[" + threadPrefix + ", parallelism " + parallelism + "]";
  }

  /** The parallelism of the system scheduler's pool: the cores, at least two. */
  static int defaultParallelism() {
    return Math.max(2, Runtime.getRuntime().availableProcessors());
  }

  /** The most threads away at once by default: four per thread of the parallelism, at least 8. */
  static int defaultMaxAway(int parallelism) {
    return Math.max(8, 4 * parallelism);
  }
}
