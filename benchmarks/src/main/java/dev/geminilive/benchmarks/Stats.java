package dev.geminilive.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Small statistics helpers: percentiles of samples and medians of trials. */
final class Stats {
  private Stats() {}

  /** The {@code p}-th percentile (0..100) of {@code values} by nearest rank; NaN when empty. */
  static double percentile(long[] values, int count, double p) {
    if (count == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(values, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * count) - 1;
    return sorted[Math.max(0, Math.min(count - 1, rank))];
  }

  static double percentile(long[] values, double p) {
    return percentile(values, values.length, p);
  }

  /** The median of trial results (mean of the middle two for even counts); NaN when empty. */
  static double median(List<Double> trials) {
    double[] v =
        trials.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  static double min(List<Double> trials) {
    return trials.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  static double max(List<Double> trials) {
    return trials.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  /** Nanoseconds as milliseconds with adaptive precision. */
  static String ms(double nanos) {
    if (Double.isNaN(nanos)) {
      return "n/a";
    }
    double ms = nanos / 1e6;
    return ms >= 100 ? fmt("%.0f", ms) : ms >= 10 ? fmt("%.1f", ms) : fmt("%.2f", ms);
  }

  /** Nanoseconds as microseconds. */
  static String us(double nanos) {
    if (Double.isNaN(nanos)) {
      return "n/a";
    }
    double us = nanos / 1e3;
    return us >= 100 ? fmt("%.0f", us) : fmt("%.1f", us);
  }

  static String num(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    return a >= 1000 ? fmt("%,.0f", v) : a >= 10 ? fmt("%.1f", v) : fmt("%.2f", v);
  }

  /** A ratio {@code a / b} formatted as "1.23×". */
  static String ratio(double a, double b) {
    if (Double.isNaN(a) || Double.isNaN(b) || b == 0) {
      return "n/a";
    }
    return fmt("%.2f×", a / b);
  }

  static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
