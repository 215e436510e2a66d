package dev.geminilive.benchmarks;

import static dev.geminilive.benchmarks.ReceivePathBench.HANDOFF_ONE;
import static dev.geminilive.benchmarks.ReceivePathBench.HANDOFF_POOL;
import static dev.geminilive.benchmarks.ReceivePathBench.LIBRARY_JDK;
import static dev.geminilive.benchmarks.ReceivePathBench.LIBRARY_OKHTTP;
import static dev.geminilive.benchmarks.ReceivePathBench.PACED;
import static dev.geminilive.benchmarks.ReceivePathBench.REPLY;
import static dev.geminilive.benchmarks.ReceivePathBench.TRIALS;
import static dev.geminilive.benchmarks.ReceivePathBench.awakeP99;
import static dev.geminilive.benchmarks.ReceivePathBench.wakes;

import dev.geminilive.benchmarks.ReceivePathBench.Result;
import dev.geminilive.benchmarks.ReceivePathBench.Split;
import java.util.List;
import java.util.Map;

/** Section 2's text and tables, from {@link ReceivePathBench}'s results. */
final class ReceiveReport {
  private ReceiveReport() {}

  static String section(Map<String, Result> results) {
    Result sdk = results.get("SDK receive callback");
    StringBuilder sb = new StringBuilder();
    sb.append("## 2. Receive path: model frames from the fake server to the callback\n\n");
    sb.append(
        Stats.fmt(
            "Throughput: the script answers one text turn with %d s of 24 kHz audio (40 ms chunks,"
                + " 1,920 bytes each, plus the transcript) written as fast as the server can;"
                + " frames/s counts audio chunks between the first chunk and turnComplete at the"
                + " callback. Latency: %,d frames stamped with System.nanoTime() injected through"
                + " FakeConnection.sendRaw at one per millisecond; latency = callback time − stamp"
                + " (includes the server's hop to its model thread and the Netty write). %d trials"
                + " after one warm-up, medians; ratios against the SDK's receive callback.\n\n",
            REPLY.toSeconds(), PACED, TRIALS));
    sb.append(
        "| path | audio frames/s | ratio | whole 60 s reply delivered in (ms) | audio bytes"
            + " received | client CPU per 1,000 frames (ms) | p50 / p99 latency (ms) | p50 ratio |"
            + " p99 ratio | stamped frames lost |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (Result r : results.values()) {
      double fps = Stats.median(r.framesPerSecond());
      sb.append("| ")
          .append(r.path())
          .append(" | ")
          .append(Stats.num(fps))
          .append(" | ")
          .append(Stats.ratio(fps, Stats.median(sdk.framesPerSecond())))
          .append(" | ")
          .append(Stats.num(Stats.median(r.turnMillis())))
          .append(" | ")
          .append(Stats.num(Stats.median(r.audioBytes())))
          .append(" | ")
          .append(String.format("%.1f", Stats.median(r.cpuPerThousand())))
          .append(" | ")
          .append(Stats.ms(Stats.median(r.p50())))
          .append(" / ")
          .append(Stats.ms(Stats.median(r.p99())))
          .append(" | ")
          .append(Stats.ratio(Stats.median(r.p50()), Stats.median(sdk.p50())))
          .append(" | ")
          .append(Stats.ratio(Stats.median(r.p99()), Stats.median(sdk.p99())))
          .append(" | ")
          .append(Stats.num(Stats.max(r.lost())))
          .append(" |\n");
    }
    sb.append(
        "\nExpected audio per reply: 2,880,000 bytes. The SDK and raw OkHttp call back on the"
            + " socket reader thread; the library parses on the socket reader and calls the"
            + " listener in a task of the session's queue on a shared worker (one hand-off per"
            + " frame, by design: a slow listener never blocks the socket). Client CPU is every"
            + " thread's but the fake server's, during the throughput reply, per audio frame"
            + " received (the transcript frames ride along).\n\n");
    sb.append(handOffSummary(results));
    sb.append(
        "Where the library's stamped frames spent their time (the library runs on a scheduler that"
            + " stamps each task it is handed and each start, `HandOffStamps`, which adds two clock"
            + " reads per turn): a frame arriving while its session's queue is idle hands a turn to a"
            + " shared worker (an own hand-off); one arriving while a turn runs joins it. Medians"
            + " over the trials; the slowest 1 % counts, over all trials, which part was the largest"
            + " for each frame at or above its trial's p99.\n\n");
    sb.append(
        "| path | own hand-offs / joined | before the hand-off p50 / p99 (ms) | waiting for a worker"
            + " p50 / p99 (ms) | on the worker p50 / p99 (ms) | slowest 1 %: before / waiting / on"
            + " the worker / joined |\n");
    sb.append("|---|---|---|---|---|---|\n");
    for (Result r : results.values()) {
      if (r.splits().isEmpty()) {
        continue;
      }
      List<Split> sp = r.splits();
      int[] slow = new int[4];
      for (Split x : sp) {
        for (int k = 0; k < 4; k++) {
          slow[k] += x.slowBy()[k];
        }
      }
      sb.append("| ")
          .append(r.path())
          .append(" | ")
          .append(
              String.format("%.0f", Stats.median(sp.stream().map(x -> (double) x.own()).toList())))
          .append(" / ")
          .append(
              String.format(
                  "%.0f", Stats.median(sp.stream().map(x -> (double) x.joined()).toList())))
          .append(" | ")
          .append(splitCell(sp, Split::before))
          .append(" | ")
          .append(splitCell(sp, Split::waiting))
          .append(" | ")
          .append(splitCell(sp, Split::on))
          .append(" | ")
          .append(slow[0])
          .append(" / ")
          .append(slow[1])
          .append(" / ")
          .append(slow[2])
          .append(" / ")
          .append(slow[3])
          .append(" |\n");
    }
    sb.append("\n");
    return sb.toString();
  }

  /**
   * The p99 of each path that reaches the listener through one hand-off, against raw OkHttp's, and
   * the machine's own wake-up of a parked thread measured between the rounds.
   */
  static String handOffSummary(Map<String, Result> results) {
    double raw = Stats.median(results.get("raw OkHttp WebSocketListener").p99());
    StringBuilder sb = new StringBuilder("p99 against raw OkHttp's in the same run (");
    sb.append(Stats.ms(raw)).append(" ms):");
    String sep = " ";
    for (String name : List.of(LIBRARY_OKHTTP, LIBRARY_JDK, HANDOFF_ONE, HANDOFF_POOL)) {
      Result r = results.get(name);
      if (r == null) {
        continue;
      }
      double p99 = Stats.median(r.p99());
      sb.append(sep)
          .append(name)
          .append(" ")
          .append(Stats.ms(p99))
          .append(" ms (")
          .append(Stats.ratio(p99, raw))
          .append(")");
      sep = "; ";
    }
    sb.append(
        ". The two plain-executor paths are raw OkHttp with exactly one hand-off before the"
            + " listener, the most the goal allows: what any hand-off costs on this machine.\n\n");
    if (!awakeP99.isEmpty()) {
      double rawAwake = Stats.median(awakeP99.get("raw OkHttp WebSocketListener"));
      sb.append("With both cores kept awake (two spinning threads beside the bench), p99:");
      String between = " ";
      for (var e : awakeP99.entrySet()) {
        double p = Stats.median(e.getValue());
        sb.append(between)
            .append(e.getKey())
            .append(" ")
            .append(Stats.ms(p))
            .append(" ms (")
            .append(Stats.ratio(p, rawAwake))
            .append(")");
        between = "; ";
      }
      sb.append(
          ". Where the ratios close here and not above, the slow 1 % is the wake-up of an idle"
              + " core.\n\n");
    }
    if (!wakes.isEmpty()) {
      sb.append(
          "This machine's wake-up of a parked thread (`WakeLatency`: a timer-paced thread unparks"
              + " a parked one once per millisecond, 1,000 times after each round, medians over the"
              + " rounds):\n\n| beside it | unpark → run p50 (µs) | p99 (µs) | the pacer's timed"
              + " park returned late by, p99 (µs) | load average |\n|---|---|---|---|---|\n");
      for (int busy : new int[] {0, 2}) {
        List<WakeLatency.Series> s = wakes.stream().filter(w -> w.busy() == busy).toList();
        sb.append("| ")
            .append(busy == 0 ? "no thread of its own" : busy + " spinning threads")
            .append(" | ")
            .append(Stats.us(Stats.median(s.stream().map(WakeLatency.Series::wakeP50).toList())))
            .append(" | ")
            .append(Stats.us(Stats.median(s.stream().map(WakeLatency.Series::wakeP99).toList())))
            .append(" | ")
            .append(Stats.us(Stats.median(s.stream().map(WakeLatency.Series::timerP99).toList())))
            .append(" | ")
            .append(Stats.num(Stats.median(s.stream().map(WakeLatency.Series::load).toList())))
            .append(" |\n");
      }
      sb.append("\n");
    }
    return sb.toString();
  }

  private static String splitCell(
      List<Split> splits, java.util.function.Function<Split, double[]> part) {
    return Stats.ms(Stats.median(splits.stream().map(x -> part.apply(x)[0]).toList()))
        + " / "
        + Stats.ms(Stats.median(splits.stream().map(x -> part.apply(x)[1]).toList()));
  }

  /**
   * What the one-hand-off baseline says of the library's p99: whether any hand-off on this machine
   * costs as much, or the library's costs more than a plain executor's.
   */
  static String handOffVerdict(double lib, double ok, double handOff) {
    if (Double.isNaN(handOff)) {
      return "the wake-up of that worker is the difference";
    }
    if (handOff > 1.5 * ok && lib <= 1.5 * handOff) {
      return Stats.fmt(
          "raw OkHttp with one hand-off to a plain executor is %s raw OkHttp here and the library"
              + " %s that: what stands in the way is this machine's wake-up of any hand-off, not"
              + " the library's",
          Stats.ratio(handOff, ok), Stats.ratio(lib, handOff));
    }
    if (lib > 1.5 * handOff) {
      return Stats.fmt(
          "the library is %s raw OkHttp with one hand-off to a plain executor (%s raw OkHttp):"
              + " its hand-off costs more than a plain one",
          Stats.ratio(lib, handOff), Stats.ratio(handOff, ok));
    }
    return Stats.fmt(
        "raw OkHttp with one hand-off to a plain executor is %s raw OkHttp, the library %s that",
        Stats.ratio(handOff, ok), Stats.ratio(lib, handOff));
  }
}
