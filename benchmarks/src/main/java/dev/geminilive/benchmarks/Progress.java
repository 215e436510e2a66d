package dev.geminilive.benchmarks;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Progress on the console while a run goes: which section and step, time so far and an estimate of
 * the time left (the plan's estimates, scaled by how the finished sections compared with theirs).
 */
final class Progress {
  private final long started = System.nanoTime();
  private final Map<String, Double> plan = new LinkedHashMap<>();
  private double finishedEstimate;
  private double finishedActual;
  private String section = "";
  private long sectionStarted;

  /** Adds a section to the plan with its estimated length in seconds. */
  void plan(String name, double seconds) {
    plan.put(name, seconds);
  }

  /** The section {@code name} starts. */
  void section(String name) {
    endSection();
    section = name;
    sectionStarted = System.nanoTime();
    print(name, "starting", 0);
  }

  /** Step {@code index} (from 1) of {@code count} of the current section starts. */
  void step(String what, int index, int count) {
    print(section, Stats.fmt("%s (step %d of %d)", what, index, count), (index - 1.0) / count);
  }

  /** A free-form line within the current section. */
  void note(String line) {
    System.out.println("    " + line);
  }

  /** The current section ended (also called by the next {@link #section}). */
  void endSection() {
    if (section.isEmpty()) {
      return;
    }
    finishedEstimate += plan.getOrDefault(section, 0.0);
    finishedActual += (System.nanoTime() - sectionStarted) / 1e9;
    plan.remove(section);
    section = "";
  }

  private void print(String name, String what, double fractionDone) {
    double speed =
        finishedEstimate > 10 ? Math.max(0.5, Math.min(3, finishedActual / finishedEstimate)) : 1;
    double left = 0;
    for (var e : plan.entrySet()) {
      left += e.getKey().equals(name) ? e.getValue() * (1 - fractionDone) : e.getValue();
    }
    System.out.println(
        Instant.now().truncatedTo(ChronoUnit.SECONDS)
            + " ["
            + name
            + "] "
            + what
            + " · "
            + duration((System.nanoTime() - started) / 1e9)
            + " elapsed · about "
            + duration(left * speed)
            + " left");
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 60 ? Stats.fmt("%dm%02ds", s / 60, s % 60) : s + "s";
  }
}
