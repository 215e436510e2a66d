package dev.geminilive.internal;

import dev.geminilive.LiveScheduler;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LiveScheduler#system()}: {@link System#nanoTime()}, one pool of daemon worker threads
 * shared by every session, and one daemon timer thread.
 *
 * <p>The pool ({@link WorkerPool}) runs on as many threads as there are cores (at least two) while
 * its tasks keep starting, so that a burst of work, such as many sessions connecting at once,
 * queues rather than starting a thread per task; it adds a thread when tasks have waited {@link
 * WorkerPool#STALL_AFTER} with every thread held and none started, so a session's listener may
 * block for a while (it holds one worker meanwhile, and other sessions wait for it at most that
 * long, once). A thread ends once it has been idle for {@link #IDLE_THREAD_KEEP_ALIVE}, so an idle
 * process holds no worker at all. The timer thread ends the same way once no timer is pending.
 * Timer tasks run on the timer thread itself, so they must be short; the library's only hand work
 * over to a session's queue, and the pool's stall check only counts. A worker may leave the pool
 * for one task that may block ({@link #reserveLeave}): a session's queue lets its thread so run a
 * tool handler once the turn that dispatched it has ended. Thread-safe.
 */
public final class SystemScheduler implements LiveScheduler {
  private static final Logger log = LoggerFactory.getLogger(SystemScheduler.class);

  /** How long an idle worker or timer thread waits for work before it ends. */
  static final Duration IDLE_THREAD_KEEP_ALIVE = Duration.ofSeconds(2);

  /** The shared instance. */
  public static final SystemScheduler INSTANCE = new SystemScheduler("gemini-live");

  private final WorkerPool workers;
  private final ScheduledThreadPoolExecutor timers;

  SystemScheduler(String threadPrefix) {
    this.timers = new ScheduledThreadPoolExecutor(0, r -> daemon(r, threadPrefix + "-timer"));
    timers.setKeepAliveTime(IDLE_THREAD_KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
    timers.setRemoveOnCancelPolicy(true);
    this.workers =
        new WorkerPool(
            threadPrefix + "-worker",
            WorkerPool.defaultParallelism(),
            IDLE_THREAD_KEEP_ALIVE,
            (delay, check) -> timers.schedule(check, delay.toNanos(), TimeUnit.NANOSECONDS));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public void execute(Runnable task) {
    workers.execute(() -> runLogged("a task", task));
  }

  /**
   * Reserves for the calling thread, if it is one of this scheduler's workers, a leave from the
   * pool to run one task that may block ({@link WorkerPool#reserveLeave}); then {@link #runAway}
   * must follow on the same thread.
   */
  boolean reserveLeave() {
    return workers.reserveLeave();
  }

  /**
   * Has the calling thread, if it is one of this scheduler's workers with no task set to follow its
   * current one, run {@code task} right after its current task instead of waking another worker for
   * it ({@link WorkerPool#runNext}); false, with nothing set, otherwise.
   */
  boolean runNext(Runnable task) {
    return workers.runNext(task);
  }

  /**
   * The workers, as an executor for the JDK's HTTP client ({@link JdkClients}): the JDK runs its
   * handshakes and listener calls on them, and a frame's call leaves the session's turn to run
   * right after it on the same worker.
   */
  Executor workers() {
    return workers;
  }

  /**
   * Runs {@code task} on the calling worker, counted out of the pool ({@link WorkerPool#runAway}).
   */
  void runAway(Runnable task) {
    workers.runAway(task);
  }

  @Override
  public ScheduledTask schedule(String name, Duration delay, Runnable task) {
    ScheduledFuture<?> f =
        timers.schedule(() -> runLogged(name, task), delay.toNanos(), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  private static void runLogged(String what, Runnable task) {
    try {
      task.run();
    } catch (RuntimeException | Error e) {
      log.error("{} threw; the scheduler goes on", what, e);
    }
  }

  @Override
  public String toString() {
    return "LiveScheduler.system()";
  }
}
