package dev.geminilive.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * This machine's wake-up of a parked thread, the cost under every hand-off between threads: a pacer
 * thread wakes on a timer once per gap (as the receive bench's injector does), stamps the time and
 * unparks a thread parked in {@link LockSupport#park()}, which records how long it took to run.
 * Measured idle and with busy threads beside it, so the report shows what one wake costs when the
 * cores sleep and when they are awake.
 *
 * <p>Not thread-safe: one measurement at a time.
 */
final class WakeLatency {
  private WakeLatency() {}

  /**
   * One series' percentiles, in nanoseconds.
   *
   * @param busy threads spinning beside the pair during the series
   * @param wakeP50 unpark → the woken thread runs, p50
   * @param wakeP99 the same, p99
   * @param timerP99 how late the pacer's own timed park returned, p99 (a wake from a timer)
   * @param missed wakes the parked thread did not see separately (it was still running)
   * @param load the machine's one-minute load average when the series began
   */
  record Series(
      int busy, double wakeP50, double wakeP99, double timerP99, int missed, double load) {}

  /** Threads spinning until closed, which keep the cores they run on from halting. */
  static final class Busy implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    private Busy(int count) {
      for (int i = 0; i < count; i++) {
        Thread t =
            new Thread(
                () -> {
                  while (!stop.get()) {
                    Thread.onSpinWait();
                  }
                },
                "wake-bench-busy-" + i);
        t.setDaemon(true);
        t.start();
        threads.add(t);
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      for (Thread t : threads) {
        t.join();
      }
    }
  }

  /** Starts {@code count} spinning threads. */
  static Busy busy(int count) {
    return new Busy(count);
  }

  /** Wakes {@code count} times, {@code gapNanos} apart, with {@code busy} spinning threads. */
  static Series measure(int count, long gapNanos, int busy) throws InterruptedException {
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    try (Busy spinners = busy(busy)) {
      return series(count, gapNanos, busy, load);
    }
  }

  private static Series series(int count, long gapNanos, int busy, double load)
      throws InterruptedException {
    long[] stamps = new long[count];
    long[] woke = new long[count];
    long[] timerLate = new long[count];
    CountDownLatch parked = new CountDownLatch(1);
    Handoff h = new Handoff();
    Thread sleeper =
        new Thread(
            () -> {
              parked.countDown();
              int seen = -1;
              while (seen < count - 1) {
                int now = h.seq;
                if (now == seen) {
                  LockSupport.park();
                  continue;
                }
                woke[now] = System.nanoTime() - stamps[now];
                seen = now;
              }
            },
            "wake-bench-sleeper");
    sleeper.setDaemon(true);
    sleeper.start();
    parked.await();
    try {
      long next = System.nanoTime();
      for (int i = 0; i < count; i++) {
        next += gapNanos;
        while (System.nanoTime() < next) {
          LockSupport.parkNanos(next - System.nanoTime());
        }
        long t = System.nanoTime();
        timerLate[i] = t - next;
        stamps[i] = t;
        h.seq = i;
        LockSupport.unpark(sleeper);
      }
      sleeper.join(TimeUnit.SECONDS.toMillis(10));
    } finally {
      sleeper.interrupt();
    }
    int missed = 0;
    long[] seenWakes = new long[count];
    int n = 0;
    for (long w : woke) {
      if (w == 0) {
        missed++;
      } else {
        seenWakes[n++] = w;
      }
    }
    return new Series(
        busy,
        Stats.percentile(seenWakes, n, 50),
        Stats.percentile(seenWakes, n, 99),
        Stats.percentile(timerLate, 99),
        missed,
        load);
  }

  /** The pacer's latest stamp index, published to the parked thread. */
  private static final class Handoff {
    volatile int seq = -1;
  }

  /** Runs the series from the command line: {@code count gapMicros busy...}. */
  public static void main(String[] args) throws Exception {
    int count = Integer.parseInt(args[0]);
    long gap = Long.parseLong(args[1]) * 1_000;
    for (int r = 2; r < args.length; r++) {
      Series s = measure(count, gap, Integer.parseInt(args[r]));
      System.out.printf(
          "busy %d: unpark → run p50 %s p99 %s µs; timer p99 late %s µs; missed %d; load %.1f%n",
          s.busy(),
          Stats.us(s.wakeP50()),
          Stats.us(s.wakeP99()),
          Stats.us(s.timerP99()),
          s.missed(),
          s.load());
    }
  }
}
