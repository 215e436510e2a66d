package dev.geminilive;

import dev.geminilive.internal.SystemScheduler;
import java.time.Duration;

/**
 * Where sessions get their time and run their work: the one seam between the library and the clock
 * and threads. Every time-driven behaviour of a session (the move before a {@code goAway} deadline,
 * reconnect backoff, the stable period, the outage budget, stall detection, connect and tool
 * timeouts) reads {@link #nanoTime()} and waits with {@link #schedule}; every piece of a session's
 * own work runs through {@link #execute}.
 *
 * <p>Sessions use {@link #system()} unless {@link LiveSessionBuilder#scheduler(LiveScheduler)}
 * gives them another. Tests give them the testkit's {@code ManualScheduler}, whose time moves only
 * when the test says so, so that a 30 s stable period or a 10 s {@code goAway} deadline is tested
 * in microseconds and without a wall clock.
 *
 * <p>A session never blocks a scheduler thread on the network; its listener and observers run in
 * its tasks, so a listener that blocks holds one thread of the scheduler while it does.
 *
 * <p>Implementations must be thread-safe: sessions call them from socket threads, tool threads and
 * the threads of their callers. {@link #execute} must never run the task on the calling thread (a
 * socket's reader hands frames over with it), and tasks given to {@link #execute} may run in
 * parallel with each other; a session orders its own tasks itself.
 *
 * <pre>{@code
 * ResilientLiveSession session =
 *     ResilientLiveSession.builder().apiKey(key).scheduler(LiveScheduler.system()).connect();
 * }</pre>
 *
 * @since 0.1
 */
public interface LiveScheduler {

  /**
   * The scheduler every session uses unless told otherwise: the system's monotonic clock, a pool of
   * daemon threads shared by all sessions (as many as there are cores while its tasks keep
   * starting, more while tasks block them, none once they have been idle a few seconds), and one
   * daemon timer thread. An idle session holds none of its threads.
   *
   * @return the shared system scheduler
   */
  static LiveScheduler system() {
    return SystemScheduler.INSTANCE;
  }

  /**
   * The current time of this scheduler's monotonic clock, in nanoseconds, as {@link
   * System#nanoTime()}: only differences between two readings mean anything.
   *
   * @return the current time in nanoseconds
   */
  long nanoTime();

  /**
   * Runs {@code task} soon, on a thread of this scheduler, never on the calling thread.
   *
   * @param task the work; exceptions it throws are logged by the scheduler, not passed on
   */
  void execute(Runnable task);

  /**
   * Runs {@code task} once {@code delay} has passed on this scheduler's clock, on a thread of this
   * scheduler.
   *
   * @param name what the task is for ("goAway deadline", "reconnect attempt 2"), for diagnostics
   * @param delay how long to wait; zero or negative runs it as soon as possible
   * @param task the work; exceptions it throws are logged by the scheduler, not passed on
   * @return a handle that cancels the task if it has not started
   */
  ScheduledTask schedule(String name, Duration delay, Runnable task);

  /** A task waiting for its time. Thread-safe. */
  interface ScheduledTask {
    /**
     * Cancels the task if it has not started yet. Idempotent.
     *
     * @return true if this call stopped the task from running; false if it had run, was running or
     *     was cancelled already
     */
    boolean cancel();
  }
}
