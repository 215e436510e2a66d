package dev.geminilive.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Times an operation by the CPU time of the measuring thread ({@link
 * ThreadMXBean#getCurrentThreadCpuTime()}), not by the wall clock: on a machine shared with other
 * builds, time the thread spent waiting for a core is not the operation's cost, and "× real time
 * per core" is a statement about CPU time. SoX is timed the same way (user + system time of its
 * process), so the two compare.
 */
final class CpuTimer {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** Median, fastest and slowest repetition, in microseconds of CPU per operation. */
  record Speed(double median, double min, double max) {
    /** × real time per core when one operation handles {@code audioSeconds} of audio. */
    double realTime(double audioSeconds) {
      return audioSeconds * 1e6 / median;
    }
  }

  private final double warmupSeconds;
  private final int repetitions;
  private final double repetitionSeconds;

  CpuTimer(double warmupSeconds, int repetitions, double repetitionSeconds) {
    this.warmupSeconds = warmupSeconds;
    this.repetitions = repetitions;
    this.repetitionSeconds = repetitionSeconds;
  }

  static CpuTimer of(Form form) {
    return form.full() ? new CpuTimer(3, 15, 0.3) : new CpuTimer(0.7, 5, 0.1);
  }

  /** Runs {@code op} through the warm-up, then times the repetitions. */
  Speed time(Runnable op) {
    runFor(op, warmupSeconds);
    List<Double> micros = new ArrayList<>();
    for (int r = 0; r < repetitions; r++) {
      micros.add(runFor(op, repetitionSeconds));
    }
    return new Speed(Stats.median(micros), Stats.min(micros), Stats.max(micros));
  }

  /** One repetition of {@code op} (no warm-up): CPU µs per operation. */
  double once(Runnable op) {
    return runFor(op, repetitionSeconds);
  }

  /** Runs {@code op} until {@code seconds} of CPU are spent; returns CPU µs per operation. */
  private static double runFor(Runnable op, double seconds) {
    long budget = (long) (seconds * 1e9);
    long start = THREADS.getCurrentThreadCpuTime();
    long ops = 0;
    long used;
    do {
      op.run();
      ops++;
      used = THREADS.getCurrentThreadCpuTime() - start;
    } while (used < budget);
    return used / 1e3 / ops;
  }

  /** Bytes allocated by this thread so far (HotSpot), or -1. */
  static long allocatedBytes() {
    if (THREADS instanceof com.sun.management.ThreadMXBean sun) {
      return sun.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
    return -1;
  }
}
