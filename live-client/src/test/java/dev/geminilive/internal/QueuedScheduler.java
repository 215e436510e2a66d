package dev.geminilive.internal;

import dev.geminilive.LiveScheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A scheduler for unit tests: {@link #execute} queues the task and {@link #runAll} runs what is
 * queued on the calling thread; time stands still and timers never fire. Not thread-safe beyond
 * {@link #execute}, which any thread may call.
 */
final class QueuedScheduler implements LiveScheduler {
  private final Deque<Runnable> tasks = new ArrayDeque<>();
  int executes;

  @Override
  public long nanoTime() {
    return 0;
  }

  @Override
  public synchronized void execute(Runnable task) {
    executes++;
    tasks.add(task);
  }

  @Override
  public ScheduledTask schedule(String name, Duration delay, Runnable task) {
    return () -> false;
  }

  /** Runs queued tasks, and those they queue, until none is left; returns how many ran. */
  int runAll() {
    int n = 0;
    while (true) {
      Runnable next;
      synchronized (this) {
        next = tasks.poll();
      }
      if (next == null) {
        return n;
      }
      next.run();
      n++;
    }
  }
}
