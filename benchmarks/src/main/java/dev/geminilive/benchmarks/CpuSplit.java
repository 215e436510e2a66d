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

  /**
   * What a step's window measured.
   *
   * @param cores CPU by thread group, busiest first (cores: CPU seconds per second)
   * @param waiting time the process's threads spent runnable but waiting for a core, by group
   *     ({@code /proc/self/task/* /schedstat}, Linux; empty elsewhere), in threads waiting on
   *     average: 0.5 means that at any moment half a thread was ready to run and had no core
   * @param pressure the share of the window in which some thread of the machine waited for a core
   *     ({@code /proc/pressure/cpu}, "some"; NaN where absent), for every process, other builds
   *     included
   */
  record Window(Map<String, Double> cores, Map<String, Double> waiting, double pressure) {
    /** All threads' waiting, summed. */
    double waitingTotal() {
      return waiting.values().stream().mapToDouble(Double::doubleValue).sum();
    }
  }

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Map<Long, Long> start = new HashMap<>();
  private final Map<String, Long> waitStart;
  private final long pressureStart;
  private final long processStart;
  private final long wallStart;

  private CpuSplit() {
    for (long id : threads.getAllThreadIds()) {
      long cpu = threads.getThreadCpuTime(id);
      if (cpu >= 0) {
        start.put(id, cpu);
      }
    }
    waitStart = runQueueWaits();
    pressureStart = pressureMicros();
    processStart = JvmReadings.processCpuNanos();
    wallStart = System.nanoTime();
  }

  /** Starts a window now. */
  static CpuSplit begin() {
    return new CpuSplit();
  }

  /** What the window measured, from {@link #begin} to now. */
  Window end() {
    long wall = Math.max(1, System.nanoTime() - wallStart);
    Map<String, Double> cores = cores(wall);
    Map<String, Long> waits = runQueueWaits();
    Map<String, Long> byGroup = new TreeMap<>();
    for (var e : waits.entrySet()) {
      long used = e.getValue() - waitStart.getOrDefault(e.getKey(), 0L);
      if (used > 0) {
        String tid = e.getKey();
        // The OS name is cut at 15 characters: "netty-client-5-" and "netty-client-5" are one.
        String name = group(tid.substring(tid.indexOf(' ') + 1)).replaceAll("-+$", "");
        byGroup.merge(name, used, Long::sum);
      }
    }
    Map<String, Double> waiting = new LinkedHashMap<>();
    byGroup.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .forEach(e -> waiting.put(e.getKey(), e.getValue() / (double) wall));
    long pressureEnd = pressureMicros();
    double pressure =
        pressureStart < 0 || pressureEnd < 0
            ? Double.NaN
            : Math.min(1, (pressureEnd - pressureStart) * 1_000.0 / wall);
    return new Window(cores, waiting, pressure);
  }

  private Map<String, Double> cores(long wall) {
    long process = JvmReadings.processCpuNanos() - processStart;
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
   * Each thread's time waiting on a run queue (ns), keyed {@code "tid name"} with the name the OS
   * knows (the JVM gives it the first 15 characters of the Java name); empty off Linux.
   */
  private static Map<String, Long> runQueueWaits() {
    Map<String, Long> waits = new HashMap<>();
    java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
    if (tasks == null) {
      return waits;
    }
    for (java.io.File task : tasks) {
      try {
        String[] stat =
            java.nio.file.Files.readString(task.toPath().resolve("schedstat")).trim().split(" ");
        String name = java.nio.file.Files.readString(task.toPath().resolve("comm")).trim();
        waits.put(task.getName() + " " + name, Long.parseLong(stat[1]));
      } catch (java.io.IOException | RuntimeException e) {
        // the thread ended while being read
      }
    }
    return waits;
  }

  /** {@code /proc/pressure/cpu}'s "some" total in µs, or -1. */
  private static long pressureMicros() {
    try {
      for (String line :
          java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/pressure/cpu"))) {
        if (line.startsWith("some ")) {
          return Long.parseLong(line.substring(line.indexOf("total=") + 6).trim());
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not Linux, or no PSI
    }
    return -1;
  }

  /** {@code "0.42 threads waiting (bench-pacer-# 0.2, ...); machine CPU pressure 98 %"}. */
  static String formatWaiting(Window w) {
    return Stats.fmt("%.2f threads waiting for a core on average (", w.waitingTotal())
        + format(w.waiting())
        + ")"
        + (Double.isNaN(w.pressure())
            ? ""
            : Stats.fmt(
                "; some thread of the machine waited for a core %.0f %% of the time",
                w.pressure() * 100));
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
