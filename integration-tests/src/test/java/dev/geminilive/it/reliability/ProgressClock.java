package dev.geminilive.it.reliability;

import dev.geminilive.LiveListener;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.FakeLiveServer;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The soak's clock: a fault-free session on the same fake server that sends one text turn after
 * another and counts the replies. A tick is one whole turn through the fake, the library and the
 * machine, so on a loaded or stalled machine the clock slows as the soak's sessions do, and a wait
 * measured in ticks holds under any load while it still ends when one session alone stops moving.
 *
 * <p>{@link #await} is the soak's only way to wait for something that might never happen: it gives
 * up when the thing waited for made no progress of its own while the clock went on by {@code
 * quietTicks}, or, as a last guard against a stall of everything (the clock included), when neither
 * moved for {@link #STANDSTILL}.
 *
 * <p>Thread-safe: one daemon thread drives the probe; any thread may read or wait.
 */
final class ProgressClock implements AutoCloseable {
  /** How long nothing at all may move, the clock included, before a wait gives up. */
  static final Duration STANDSTILL = Duration.ofSeconds(60);

  private final ResilientLiveSession probe;
  private final Thread driver;
  private final CopyOnWriteArrayList<Object> waiters = new CopyOnWriteArrayList<>();
  private final Object turnEnds = new Object();
  private long replies; // guarded by turnEnds
  private volatile long ticks;
  private volatile boolean closed;

  private ProgressClock(FakeLiveServer server) {
    probe =
        server
            .sessionBuilder()
            .connectTimeout(ChaosSoakTest.CONNECT_TIMEOUT)
            .listener(
                new LiveListener() {
                  @Override
                  public void onTurnComplete(ResilientLiveSession session, @Nullable String why) {
                    synchronized (turnEnds) {
                      replies++;
                      turnEnds.notifyAll();
                    }
                  }
                })
            .connect();
    driver = new Thread(this::run, "soak-progress-clock");
    driver.setDaemon(true);
  }

  /**
   * Connects the probe session to {@code server} (its script must answer any text) and starts
   * ticking.
   */
  static ProgressClock start(FakeLiveServer server) {
    ProgressClock clock = new ProgressClock(server);
    clock.driver.start();
    return clock;
  }

  /** The turns the probe completed so far. */
  long ticks() {
    return ticks;
  }

  /**
   * Waits until {@code done} holds; gives up when {@code progress} (a count that moves while the
   * thing waited for is still under way) stayed the same while the clock advanced {@code
   * quietTicks}, or when neither moved for {@link #STANDSTILL}. {@code monitor} is notified when
   * {@code done} or {@code progress} may have changed; each tick notifies it too.
   *
   * @return how the wait ended, and the longest stretch of ticks without progress it saw
   */
  Wait await(Object monitor, BooleanSupplier done, LongSupplier progress, int quietTicks)
      throws InterruptedException {
    waiters.add(monitor);
    try {
      long seen = progress.getAsLong();
      long quietSince = ticks;
      long lastTick = quietSince;
      long lastMove = System.nanoTime();
      long longestQuiet = 0;
      synchronized (monitor) {
        while (!done.getAsBoolean()) {
          long now = progress.getAsLong();
          long t = ticks;
          boolean moved = now != seen;
          if (moved) {
            seen = now;
            quietSince = t;
          }
          if (moved || t != lastTick) {
            lastTick = t;
            lastMove = System.nanoTime();
          }
          longestQuiet = Math.max(longestQuiet, t - quietSince);
          if (t - quietSince >= quietTicks) {
            return new Wait(Outcome.QUIET, longestQuiet);
          }
          long left = STANDSTILL.toNanos() - (System.nanoTime() - lastMove);
          if (left <= 0) {
            return new Wait(Outcome.STANDSTILL, longestQuiet);
          }
          TimeUnit.NANOSECONDS.timedWait(monitor, left);
        }
      }
      return new Wait(Outcome.DONE, longestQuiet);
    } finally {
      waiters.remove(monitor);
    }
  }

  /**
   * How a {@link #await wait} ended, and the most ticks in a row it saw without progress (how near
   * it came to giving up).
   */
  record Wait(Outcome outcome, long longestQuietTicks) {}

  /** How a {@link #await wait} ended. */
  enum Outcome {
    /** The condition held. */
    DONE,
    /** The thing waited for made no progress while the clock went on. */
    QUIET,
    /** Nothing moved at all, the clock included, for {@link #STANDSTILL}. */
    STANDSTILL
  }

  private void run() {
    try {
      while (!closed) {
        long before;
        synchronized (turnEnds) {
          before = replies;
        }
        probe.sendText("tick " + ticks);
        synchronized (turnEnds) {
          while (replies == before && !closed) {
            turnEnds.wait();
          }
        }
        ticks++;
        for (Object w : waiters) {
          synchronized (w) {
            w.notifyAll();
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops ticking and closes the probe session. */
  @Override
  public void close() {
    closed = true;
    synchronized (turnEnds) {
      turnEnds.notifyAll();
    }
    probe.close();
  }

  /** The probe session, so that its end can be awaited like the soak's own. */
  ResilientLiveSession probe() {
    return probe;
  }
}
