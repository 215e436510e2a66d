package dev.geminilive.benchmarks;

import dev.geminilive.benchmarks.SendPathBench.Result;
import java.util.List;
import java.util.Map;

/** Section 1 of the report: the send path's table and the burst's ratio over paired rounds. */
final class SendReport {
  private SendReport() {}

  static String section(SendPathBench.Outcome outcome) {
    Map<String, Result> results = outcome.paths();
    StringBuilder sb = new StringBuilder();
    Result sdk = results.get("SDK sendRealtimeInput, fire-and-forget");
    sb.append("## 1. Send path: 20 ms / 16 kHz PCM chunks (640 bytes) to the fake server\n\n");
    sb.append(
        Stats.fmt(
            "One caller thread; each trial sends a burst of %,d chunks as fast as the calls return,"
                + " then %,d chunks paced at one per millisecond. Arrival is taken on the server"
                + " (see caveats). %d trials after one warm-up; medians (min–max for rates)."
                + " Ratios are against the raw SDK fire-and-forget path.\n\n",
            SendPathBench.BURST, SendPathBench.PACED, SendPathBench.TRIALS));
    sb.append(
        "| path | burst msg/s at server | ratio | send-call rate (calls/s) | burst p50 / p99 latency"
            + " (ms) | paced p50 / p99 latency (ms) | paced p99 ratio | threads started per send |"
            + " reordered arrivals (of "
            + Stats.num(SendPathBench.BURST)
            + ") | adjacent inversions | lost |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Result r : results.values()) {
      double rate = Stats.median(r.burstRate());
      sb.append("| ")
          .append(r.path())
          .append(" | ")
          .append(Stats.num(rate))
          .append(" (")
          .append(Stats.num(Stats.min(r.burstRate())))
          .append("–")
          .append(Stats.num(Stats.max(r.burstRate())))
          .append(") | ")
          .append(Stats.ratio(rate, Stats.median(sdk.burstRate())))
          .append(" | ")
          .append(Stats.num(Stats.median(r.callRate())))
          .append(" | ")
          .append(Stats.ms(Stats.median(r.burstP50())))
          .append(" / ")
          .append(Stats.ms(Stats.median(r.burstP99())))
          .append(" | ")
          .append(Stats.ms(Stats.median(r.pacedP50())))
          .append(" / ")
          .append(Stats.ms(Stats.median(r.pacedP99())))
          .append(" | ")
          .append(Stats.ratio(Stats.median(r.pacedP99()), Stats.median(sdk.pacedP99())))
          .append(" | ")
          .append(Stats.num(Stats.median(r.threadsPerSend())))
          .append(" | ")
          .append(Stats.num(Stats.median(r.reordered())))
          .append(" | ")
          .append(Stats.num(Stats.median(r.inversions())))
          .append(" | ")
          .append(Stats.num(Stats.max(r.lost())))
          .append(" |\n");
    }
    sb.append(
        "\nRatio > 1 means more messages per second than the raw SDK; a latency ratio < 1 means"
            + " lower latency. \"Lost\" is the worst trial (burst + paced): for the library these"
            + " are chunks it dropped on purpose when the socket queue passed its bound (reported"
            + " to the caller). \"Reordered\" counts arrivals with a lower sequence number than one"
            + " that arrived before them. The library writes on the caller's thread under a lock"
            + " into OkHttp's queue; the SDK hands every send to CompletableFuture.runAsync"
            + " (commonPool parallelism 1 here, hence a new thread per send).\n\n");
    rounds(outcome.rounds(), sb);
    return sb.toString();
  }

  /** The rounds' part: the ratio with its interval, CPU per 1,000 messages, collections. */
  static void rounds(SendPairs.Summary s, StringBuilder sb) {
    if (s.rounds().isEmpty()) {
      return;
    }
    String lib = SendPathBench.LIBRARY;
    String raw = SendPathBench.RAW;
    String noDelay = SendPathBench.RAW_NO_DELAY;
    sb.append("### The burst's ratio, over paired rounds\n\n");
    sb.append(
        Stats.fmt(
            "%d rounds after %d discarded; each round runs one %,d-chunk burst of each of the"
                + " three OkHttp-based paths, in an order rotated every round, each burst after a"
                + " collection. The ratio is taken within a round (so the machine's drift between"
                + " rounds cancels); the median of the rounds' ratios is given with its"
                + " distribution-free 95 %% confidence interval.\n\n",
            s.rounds().size(), SendPairs.WARMUP, SendPathBench.BURST));
    sb.append("| ratio | median of the rounds |\n|---|---|\n");
    sb.append("| library / raw OkHttp | ")
        .append(SendPairs.describe(s.ratios(lib, raw)))
        .append(" |\n");
    sb.append("| library / raw OkHttp with TCP_NODELAY (the library's socket setting) | ")
        .append(SendPairs.describe(s.ratios(lib, noDelay)))
        .append(" |\n");
    sb.append("| raw OkHttp with TCP_NODELAY / raw OkHttp | ")
        .append(SendPairs.describe(s.ratios(noDelay, raw)))
        .append(" |\n");
    sb.append("| CPU: raw OkHttp's CPU per message / the library's, every thread (server too) | ")
        .append(SendPairs.describe(s.cpuRatios(lib, raw, SendPairs.Burst::cpuPerMessage)))
        .append(" |\n");
    sb.append("| CPU: the same, the client's threads only | ")
        .append(SendPairs.describe(s.cpuRatios(lib, raw, SendPairs.Burst::clientSideCpuPerMessage)))
        .append(" |\n\n");
    sb.append(
        "The CPU ratios are the burst's throughput ratio when the CPU is what limits it, as on"
            + " this two-core machine: they do not depend on how the shared machine's scheduler"
            + " happened to share the cores during a burst, so their spread is far narrower than"
            + " the wall-clock ratio's. Above 1 the library costs less than the baseline.\n\n");
    sb.append(
        "| path | burst msg/s, median (quartiles) | CPU µs per message: caller thread | client's"
            + " other threads | in-process server | chunks dropped (worst burst) |\n");
    sb.append("|---|---|---|---|---|---|\n");
    for (String path : List.of(lib, raw, noDelay)) {
      List<Double> rate = s.of(path, SendPairs.Burst::rate);
      sb.append("| ")
          .append(path)
          .append(" | ")
          .append(Stats.num(Stats.median(rate)))
          .append(" (")
          .append(Stats.num(SendPairs.quantile(rate, 0.25)))
          .append("–")
          .append(Stats.num(SendPairs.quantile(rate, 0.75)))
          .append(") | ")
          .append(Stats.us(Stats.median(s.of(path, SendPairs.Burst::callerCpuPerMessage))))
          .append(" | ")
          .append(Stats.us(Stats.median(s.of(path, SendPairs.Burst::clientCpuPerMessage))))
          .append(" | ")
          .append(Stats.us(Stats.median(s.of(path, SendPairs.Burst::serverCpuPerMessage))))
          .append(" | ")
          .append(Stats.num(Stats.max(s.of(path, b -> b.lost()))))
          .append(" |\n");
    }
    sb.append(
        Stats.fmt(
            "\nCPU per message is thread CPU time over the burst (from the first call until the"
                + " last chunk is at the server) divided by the chunks (the caller's by the chunks sent, the others' by those that arrived); the caller thread's"
                + " share is the send call itself (encoding, the library's bookkeeping, OkHttp's"
                + " enqueue), the client's other threads are OkHttp's writer and reader. A"
                + " collection ran during %d of %d rounds.\n\n",
            s.roundsWithCollections(), s.rounds().size()));
  }
}
