package dev.geminilive.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The send burst's ratio, measured so that its spread can be stated: bursts of the library and of
 * raw OkHttp in rounds, each round running every path once in an order that rotates from round to
 * round, with warm-up rounds discarded. The ratio is taken within each round, so drift in the
 * shared machine's load between rounds cancels; the report gives the median of the per-round ratios
 * with its distribution-free 95 % confidence interval and the rounds' spread. Each burst also
 * records the CPU time it cost per message, split by thread (the caller, the client's other
 * threads, the in-process server's), and whether a collection ran during it.
 *
 * <p>Not thread-safe: one benchmark thread.
 */
final class SendPairs {
  private SendPairs() {}

  /** Measured rounds; set per form by {@link BenchmarkMain}. */
  static int ROUNDS = 20;

  /** Rounds run first and discarded (JIT of clients and server). */
  static int WARMUP = 2;

  /** One path's burst: what reached the server, how fast, and at what CPU cost. */
  record Burst(
      double rate,
      int lost,
      double callerCpuPerMessage,
      double clientCpuPerMessage,
      double serverCpuPerMessage,
      long collections,
      long collectionMillis) {
    /** CPU per message on every thread of the process, server included. */
    double cpuPerMessage() {
      return callerCpuPerMessage + clientCpuPerMessage + serverCpuPerMessage;
    }

    /** CPU per message on the client's threads only (the caller's and OkHttp's). */
    double clientSideCpuPerMessage() {
      return callerCpuPerMessage + clientCpuPerMessage;
    }
  }

  /** The bursts of one round, by path. */
  record Round(Map<String, Burst> bursts) {
    double ratio(String path, String baseline) {
      return bursts.get(path).rate() / bursts.get(baseline).rate();
    }

    /** The baseline's CPU per message over the path's: the throughput ratio the CPU allows. */
    double cpuRatio(
        String path, String baseline, java.util.function.ToDoubleFunction<Burst> perMessage) {
      return perMessage.applyAsDouble(bursts.get(baseline))
          / perMessage.applyAsDouble(bursts.get(path));
    }
  }

  /** All measured rounds. */
  record Summary(List<Round> rounds) {
    List<Double> ratios(String path, String baseline) {
      return rounds.stream().map(r -> r.ratio(path, baseline)).toList();
    }

    List<Double> cpuRatios(
        String path, String baseline, java.util.function.ToDoubleFunction<Burst> perMessage) {
      return rounds.stream().map(r -> r.cpuRatio(path, baseline, perMessage)).toList();
    }

    List<Double> of(String path, java.util.function.ToDoubleFunction<Burst> f) {
      return rounds.stream().map(r -> f.applyAsDouble(r.bursts().get(path))).toList();
    }

    /** Rounds in which a collection ran during any burst of the round. */
    long roundsWithCollections() {
      return rounds.stream()
          .filter(r -> r.bursts().values().stream().anyMatch(b -> b.collections() > 0))
          .count();
    }
  }

  /** The CPU time of every live thread, grouped: caller, the client's other threads, server. */
  static final class CpuSnapshot {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    final long caller;
    final Map<Long, Long> byThread = new HashMap<>();
    final Map<Long, Boolean> server = new HashMap<>();

    CpuSnapshot() {
      caller = THREADS.getCurrentThreadCpuTime();
      long self = Thread.currentThread().getId();
      long[] ids = THREADS.getAllThreadIds();
      ThreadInfo[] infos = THREADS.getThreadInfo(ids);
      for (int i = 0; i < ids.length; i++) {
        if (ids[i] == self || infos[i] == null) {
          continue;
        }
        long cpu = THREADS.getThreadCpuTime(ids[i]);
        if (cpu >= 0) {
          byThread.put(ids[i], cpu);
          server.put(ids[i], isServer(infos[i].getThreadName()));
        }
      }
    }

    /** The in-process fake server's threads and the benchmark's tap on it. */
    static boolean isServer(String name) {
      return name.startsWith("fake-live-server") || name.startsWith("bench-server-tap");
    }

    /** CPU nanoseconds since {@code before}: {caller, client's other threads, server}. */
    long[] since(CpuSnapshot before) {
      long client = 0;
      long srv = 0;
      for (var e : byThread.entrySet()) {
        long delta = e.getValue() - before.byThread.getOrDefault(e.getKey(), 0L);
        if (server.get(e.getKey())) {
          srv += delta;
        } else {
          client += delta;
        }
      }
      return new long[] {caller - before.caller, client, srv};
    }
  }

  /**
   * The order of the paths in round {@code round}: rotated by one each round, so that every path
   * runs first, second... equally often.
   */
  static <T> List<T> order(List<T> paths, int round) {
    List<T> out = new ArrayList<>(paths);
    java.util.Collections.rotate(out, -(round % paths.size()));
    return out;
  }

  /**
   * The distribution-free 95 % confidence interval of the median of {@code values}: the order
   * statistics {@code k} and {@code n + 1 - k} (1-based) with {@code P(Binomial(n, ½) < k) ≤ 2.5
   * %}. {NaN, NaN} below 6 values, where no such interval exists.
   */
  static double[] medianInterval(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = v.length;
    int k = 0;
    double below = 0;
    double p = Math.pow(0.5, n);
    // below = P(X <= k - 1) for X ~ Binomial(n, 1/2); grow k while P(X <= k) stays within 2.5 %.
    double term = p;
    while (k < n / 2 && below + term <= 0.025) {
      below += term;
      k++;
      term = term * (n - k + 1) / k;
    }
    if (k == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    return new double[] {v[k - 1], v[n - k]};
  }

  /** The {@code q}-quantile (0..1) of {@code values}, linear between order statistics. */
  static double quantile(List<Double> values, double q) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    double pos = q * (v.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(v.length - 1, lo + 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - lo);
  }

  /** The median as "0.97× (95 % CI 0.95–0.99; quartiles 0.93–1.01; n = 20)". */
  static String describe(List<Double> ratios) {
    double[] ci = medianInterval(ratios);
    return Stats.fmt(
        "%s× (95 %% CI %s–%s; quartiles %s–%s; range %s–%s; %d rounds)",
        Stats.num(Stats.median(ratios)),
        Stats.num(ci[0]),
        Stats.num(ci[1]),
        Stats.num(quantile(ratios, 0.25)),
        Stats.num(quantile(ratios, 0.75)),
        Stats.num(Stats.min(ratios)),
        Stats.num(Stats.max(ratios)),
        ratios.size());
  }

  /** Half the 95 % interval's width relative to the median: the figure's own uncertainty. */
  static double relativeHalfWidth(List<Double> ratios) {
    double[] ci = medianInterval(ratios);
    return (ci[1] - ci[0]) / 2 / Stats.median(ratios);
  }
}
