package dev.geminilive.benchmarks;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How often the process's threads were put on a core, and for how long, during a window, by thread
 * group ({@code /proc/self/task/* /schedstat}: time on a core, and the number of times the thread
 * was switched in). Per stamped frame these count the wake-ups a path costs: a thread that parks
 * between frames is switched in once per frame it handles, and a path whose frames alternate
 * between two threads wakes each of them every other frame. Linux only; empty elsewhere.
 *
 * <p>Groups are the names the OS knows (the first 15 characters of the Java name, as it was when
 * the window ended), with numbers taken out. Not thread-safe; one window per instance.
 */
final class ThreadRuns {
  private record Task(String name, long onCore, long runs) {}

  private final Map<String, Task> start = read();

  /**
   * Per group, busiest first: {time on a core in ns, times switched in} since this was made (all of
   * it for threads started meanwhile).
   */
  Map<String, long[]> since() {
    Map<String, long[]> byGroup = new TreeMap<>();
    for (var e : read().entrySet()) {
      Task now = e.getValue();
      Task before = start.getOrDefault(e.getKey(), new Task("", 0, 0));
      String group = CpuSplit.group(now.name()).replaceAll("-+$", "");
      long[] sum = byGroup.computeIfAbsent(group, g -> new long[2]);
      sum[0] += now.onCore() - before.onCore();
      sum[1] += now.runs() - before.runs();
    }
    Map<String, long[]> sorted = new LinkedHashMap<>();
    byGroup.entrySet().stream()
        .filter(e -> e.getValue()[1] > 0)
        .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  /**
   * {@code "group 12 µs 1.00 runs, ..."} per frame, for the groups switched in at least once per
   * twenty frames.
   */
  static String perFrame(Map<String, long[]> runs, int frames) {
    StringBuilder sb = new StringBuilder();
    for (var e : runs.entrySet()) {
      double n = e.getValue()[1] / (double) Math.max(1, frames);
      if (n < 0.05) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(e.getKey())
          .append(Stats.fmt(" %.1f µs", e.getValue()[0] / 1e3 / Math.max(1, frames)))
          .append(Stats.fmt(" %.2f runs", n));
    }
    return sb.toString();
  }

  // Keyed by the OS's thread id.
  private static Map<String, Task> read() {
    Map<String, Task> runs = new HashMap<>();
    File[] tasks = new File("/proc/self/task").listFiles();
    if (tasks == null) {
      return runs;
    }
    for (File task : tasks) {
      try {
        String[] stat = Files.readString(task.toPath().resolve("schedstat")).trim().split(" ");
        String name = Files.readString(task.toPath().resolve("comm")).trim();
        runs.put(task.getName(), new Task(name, Long.parseLong(stat[0]), Long.parseLong(stat[2])));
      } catch (IOException | RuntimeException e) {
        // the thread ended while being read
      }
    }
    return runs;
  }
}
