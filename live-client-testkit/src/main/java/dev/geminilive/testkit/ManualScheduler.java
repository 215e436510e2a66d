package dev.geminilive.testkit;

import dev.geminilive.LiveScheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link LiveScheduler} whose clock moves only when the test moves it, so that time-driven
 * behaviour (a {@code goAway} deadline, reconnect backoff, the stable period, the outage budget,
 * stall detection, connect and tool timeouts) is tested deterministically and without waiting.
 * OkHttp's {@code TaskFaker} is the model.
 *
 * <p><b>How it runs tasks.</b> One thread of its own runs every task, one at a time, in the order
 * they became ready: tasks given to {@link #execute} at once, scheduled tasks when the clock
 * reaches their time. Frames and events that arrive from sockets still flow on their own (the fake
 * server is real), but nothing a session waits for happens until {@link #advanceBy} moves the clock
 * past it. {@link #advanceBy} runs due tasks in time order, each at its own time, and returns when
 * the scheduler is idle; {@link #pending()} lists what waits, with its name and time, so a test can
 * assert a computed delay ("reconnect attempt 2 in 40 ms") instead of measuring one.
 *
 * <p><b>Lifecycle.</b> Create one per test and {@link #close()} it (its thread is a daemon).
 * Thread-safe; {@link #advanceBy} and {@link #runUntilIdle} may not be called from one of its own
 * tasks (a listener, for instance).
 *
 * <pre>{@code
 * try (ManualScheduler clock = new ManualScheduler()) {
 *   ResilientLiveSession session = server.sessionBuilder().scheduler(clock).listener(events).connect();
 *   server.connections().get(0).goAway(Duration.ofSeconds(10));
 *   events.await(EventType.GO_AWAY);
 *   clock.advanceBy(Duration.ofSeconds(8)); // the session moves 2 s before the deadline
 *   events.await(EventType.RECONNECTING);
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ManualScheduler implements LiveScheduler, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ManualScheduler.class);

  /** Where the clock starts: an hour, as a process that has run a while would read. */
  public static final Duration ORIGIN = Duration.ofHours(1);

  /**
   * The longest {@link #advanceBy} and {@link #runUntilIdle} wait, in real time, for the tasks
   * already due to finish (a task that blocks longer is a bug in the test or the code).
   */
  public static final Duration IDLE_WAIT = Duration.ofSeconds(30);

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Thread runner;
  // Guarded by lock.
  private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
  private final PriorityQueue<Timer> timers =
      new PriorityQueue<>(Comparator.comparingLong(Timer::due).thenComparingLong(Timer::sequence));
  private long sequence;
  private boolean running;
  private boolean closed;
  // Written under lock, read without it (nanoTime is called from any thread).
  private volatile long now = ORIGIN.toNanos();

  /** A scheduler at {@link #ORIGIN}, with its task thread started. */
  public ManualScheduler() {
    runner = new Thread(this::runTasks, "manual-scheduler");
    runner.setDaemon(true);
    runner.start();
  }

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public void execute(Runnable task) {
    Objects.requireNonNull(task, "task");
    lock.lock();
    try {
      ready.addLast(task);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public ScheduledTask schedule(String name, Duration delay, Runnable task) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(task, "task");
    lock.lock();
    try {
      Timer t = new Timer(name, now + Math.max(0, delay.toNanos()), sequence++, task);
      if (t.due() <= now) {
        ready.addLast(t);
        changed.signalAll();
      } else {
        timers.add(t);
      }
      return t;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Moves the clock forward by {@code duration}, running every scheduled task that falls due on the
   * way at its own time (and what those tasks start), and returns once nothing is left to run.
   *
   * @param duration how far to move the clock; zero only runs what is ready
   * @throws AssertionError if the tasks do not finish within {@link #IDLE_WAIT}
   */
  public void advanceBy(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("the clock does not go back: " + duration);
    }
    checkNotOnTaskThread();
    lock.lock();
    try {
      long target = now + duration.toNanos();
      while (true) {
        awaitIdleLocked();
        Timer next = timers.peek();
        if (next == null || next.due() > target) {
          break;
        }
        now = next.due();
        while (!timers.isEmpty() && timers.peek().due() <= now) {
          ready.addLast(timers.poll());
        }
        changed.signalAll();
      }
      now = target;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs what is ready now and returns once nothing is; the clock does not move.
   *
   * @throws AssertionError if the tasks do not finish within {@link #IDLE_WAIT}
   */
  public void runUntilIdle() {
    advanceBy(Duration.ZERO);
  }

  /**
   * The time since {@link #ORIGIN}: how far the clock has been moved.
   *
   * @return the time elapsed on this clock
   */
  public Duration elapsed() {
    return Duration.ofNanos(now - ORIGIN.toNanos());
  }

  /**
   * The scheduled tasks waiting for their time, soonest first, as {@code "name in 40 ms"}.
   *
   * @return a snapshot of the waiting tasks
   */
  public List<String> pending() {
    lock.lock();
    try {
      List<Timer> sorted = new ArrayList<>(timers);
      sorted.sort(timers.comparator());
      List<String> out = new ArrayList<>();
      for (Timer t : sorted) {
        out.add(t.name() + " in " + describe(t.due() - now));
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  /**
   * How long until the soonest waiting task whose name contains {@code nameFragment} runs.
   *
   * @param nameFragment part of the task's name, such as {@code "goAway deadline"}
   * @return the time left, or empty if no such task waits
   */
  public Optional<Duration> timeUntil(String nameFragment) {
    lock.lock();
    try {
      Timer soonest = null;
      for (Timer t : timers) {
        if (t.name().contains(nameFragment) && (soonest == null || t.due() < soonest.due())) {
          soonest = t;
        }
      }
      return soonest == null
          ? Optional.empty()
          : Optional.of(Duration.ofNanos(soonest.due() - now));
    } finally {
      lock.unlock();
    }
  }

  /** Stops the task thread; tasks still waiting never run. Idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      ready.clear();
      timers.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "ManualScheduler[elapsed=" + describe(now - ORIGIN.toNanos()) + "]";
  }

  // ---------------------------------------------------------------- internals

  private void awaitIdleLocked() {
    long left = IDLE_WAIT.toNanos();
    while (!closed && (running || !ready.isEmpty())) {
      if (left <= 0) {
        throw new AssertionError(
            "ManualScheduler: tasks still running after " + IDLE_WAIT.toSeconds() + " s");
      }
      try {
        left = changed.awaitNanos(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for the scheduler's tasks", e);
      }
    }
  }

  private void checkNotOnTaskThread() {
    if (Thread.currentThread() == runner) {
      throw new IllegalStateException(
          "advanceBy and runUntilIdle cannot be called from one of the scheduler's own tasks");
    }
  }

  private void runTasks() {
    while (true) {
      Runnable task;
      lock.lock();
      try {
        while (!closed && ready.isEmpty()) {
          changed.awaitUninterruptibly();
        }
        if (closed) {
          return;
        }
        task = ready.pollFirst();
        running = true;
      } finally {
        lock.unlock();
      }
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        log.error("A task of the manual scheduler failed", e);
      } finally {
        lock.lock();
        try {
          running = false;
          changed.signalAll();
        } finally {
          lock.unlock();
        }
      }
    }
  }

  private static String describe(long nanos) {
    long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
    return millis * 1_000_000 == nanos ? millis + " ms" : nanos + " ns";
  }

  /** A scheduled task; cancelling removes it wherever it waits. */
  private final class Timer implements ScheduledTask, Runnable {
    private final String name;
    private final long due;
    private final long sequence;
    private @Nullable Runnable task;

    Timer(String name, long due, long sequence, Runnable task) {
      this.name = name;
      this.due = due;
      this.sequence = sequence;
      this.task = task;
    }

    String name() {
      return name;
    }

    long due() {
      return due;
    }

    long sequence() {
      return sequence;
    }

    @Override
    public boolean cancel() {
      lock.lock();
      try {
        if (task == null) {
          return false;
        }
        task = null;
        timers.remove(this);
        ready.remove(this);
        return true;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void run() {
      Runnable t;
      lock.lock();
      try {
        t = task;
        task = null;
      } finally {
        lock.unlock();
      }
      if (t != null) {
        t.run();
      }
    }
  }
}
