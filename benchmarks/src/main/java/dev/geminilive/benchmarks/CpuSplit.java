package dev.geminilive.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a process's CPU time went during a window, by thread group: each live thread's CPU time
 * ({@link ThreadMXBean#getThreadCpuTime}) since the window began (all of it for threads started in
 * the window), grouped by its name with the numbers taken out, and the rest of the process's CPU
 * time (garbage collection, the JIT compiler and other JVM threads, and threads that ended in the
 * window) as {@value #OTHER}. It tells a pacing thread that falls behind from a transport that is
 * slow.
 *
 * <p>Not thread-safe; one window per instance.
 */
final class CpuSplit {
  static final String OTHER = "JVM (GC, JIT) and ended threads";

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Map<Long, Long> start = new HashMap<>();
  private final long processStart;
  private final long wallStart;

  private CpuSplit() {
    for (long id : threads.getAllThreadIds()) {
      long cpu = threads.getThreadCpuTime(id);
      if (cpu >= 0) {
        start.put(id, cpu);
      }
    }
    processStart = ScaleBench.processCpuNanos();
    wallStart = System.nanoTime();
  }

  /** Starts a window now. */
  static CpuSplit begin() {
    return new CpuSplit();
  }

  /** The cores each thread group used since {@link #begin}, busiest first. */
  Map<String, Double> end() {
    long wall = Math.max(1, System.nanoTime() - wallStart);
    long process = ScaleBench.processCpuNanos() - processStart;
    Map<String, Long> byGroup = new TreeMap<>();
    long counted = 0;
    for (long id : threads.getAllThreadIds()) {
      long cpu = threads.getThreadCpuTime(id);
      ThreadInfo info = threads.getThreadInfo(id);
      if (cpu < 0 || info == null) {
        continue;
      }
      long used = cpu - start.getOrDefault(id, 0L);
      if (used <= 0) {
        continue;
      }
      byGroup.merge(group(info.getThreadName()), used, Long::sum);
      counted += used;
    }
    byGroup.put(OTHER, Math.max(0, process - counted));
    Map<String, Double> cores = new LinkedHashMap<>();
    byGroup.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .forEach(e -> cores.put(e.getKey(), e.getValue() / (double) wall));
    return cores;
  }

  /**
   * A thread's group: its name with numbers and the address OkHttp puts in its names taken out, so
   * {@code live-session-12-socket-1} and {@code live-session-7-socket-2} are one group.
   */
  static String group(String name) {
    String g = name.replaceAll("https?://\\S*", "URL").replaceAll("\\d+", "#");
    return g.replaceAll("#(-#)+", "#");
  }

  /** {@code "group 0.12, group 0.05, ..."}, groups under 0.01 cores together. */
  static String format(Map<String, Double> cores) {
    StringBuilder sb = new StringBuilder();
    double small = 0;
    for (var e : cores.entrySet()) {
      if (e.getValue() < 0.01) {
        small += e.getValue();
        continue;
      }
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(e.getKey()).append(Stats.fmt(" %.2f", e.getValue()));
    }
    if (small > 0) {
      sb.append(Stats.fmt(", others under 0.01 each %.2f", small));
    }
    return sb.toString();
  }
}
