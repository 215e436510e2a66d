package dev.geminilive.benchmarks;

import dev.geminilive.LiveScheduler;
import java.time.Duration;

/**
 * The system scheduler with the moment each task was handed to it and the moment it started, seen
 * by the task's thread: a listener called in the task reads them, so a stamped frame's latency
 * splits into the time before the hand-off (the server's write, the socket, the parse), the wait
 * for a worker, and the time on it. A session's queue hands the scheduler one task per turn, so a
 * frame that arrived while its session's turn was running shows a hand-off before its stamp.
 *
 * <p>Thread-safe: the stamps are per thread; everything else is the system scheduler's.
 */
final class HandOffStamps implements LiveScheduler {
  private static final ThreadLocal<long[]> CURRENT = new ThreadLocal<>();
  private final LiveScheduler system = LiveScheduler.system();

  /** {handed over, started} of the task the calling thread runs, or null outside one. */
  static long[] current() {
    return CURRENT.get();
  }

  @Override
  public long nanoTime() {
    return system.nanoTime();
  }

  @Override
  public void execute(Runnable task) {
    long handed = System.nanoTime();
    system.execute(
        () -> {
          CURRENT.set(new long[] {handed, System.nanoTime()});
          try {
            task.run();
          } finally {
            CURRENT.remove();
          }
        });
  }

  @Override
  public ScheduledTask schedule(String name, Duration delay, Runnable task) {
    return system.schedule(name, delay, task);
  }
}
