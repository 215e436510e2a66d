package dev.geminilive.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One-line summaries for the top of the report. */
final class Headlines {
  private Headlines() {}

  static List<String> send(Map<String, SendPathBench.Result> r) {
    List<String> out = new ArrayList<>();
    var lib = r.get("ResilientLiveSession.sendAudio");
    var sdk = r.get("SDK sendRealtimeInput, fire-and-forget");
    var chained = r.get("SDK sendRealtimeInput, chained for order");
    var ok = r.get("raw OkHttp WebSocket.send");
    out.add(
        Stats.fmt(
            "Send path: library %s msg/s = %s the raw SDK (fire-and-forget), %s the SDK chained for"
                + " order, %s raw OkHttp; paced p99 send→server %s ms vs SDK %s ms; threads"
                + " started per send: library %s, SDK %s; reordered arrivals: library %s, SDK"
                + " %s (of %s).",
            Stats.num(Stats.median(lib.burstRate())),
            Stats.ratio(Stats.median(lib.burstRate()), Stats.median(sdk.burstRate())),
            Stats.ratio(Stats.median(lib.burstRate()), Stats.median(chained.burstRate())),
            Stats.ratio(Stats.median(lib.burstRate()), Stats.median(ok.burstRate())),
            Stats.ms(Stats.median(lib.pacedP99())),
            Stats.ms(Stats.median(sdk.pacedP99())),
            Stats.num(Stats.median(lib.threadsPerSend())),
            Stats.num(Stats.median(sdk.threadsPerSend())),
            Stats.num(Stats.median(lib.reordered())),
            Stats.num(Stats.median(sdk.reordered())),
            Stats.num(SendPathBench.BURST)));
    return out;
  }

  static List<String> receive(Map<String, ReceivePathBench.Result> r) {
    var lib = r.get("ResilientLiveSession → LiveListener.onAudio");
    var sdk = r.get("SDK receive callback");
    return List.of(
        Stats.fmt(
            "Receive path: library %s audio frames/s = %s the SDK's receive callback; paced"
                + " latency p50 %s ms / p99 %s ms vs SDK %s / %s ms.",
            Stats.num(Stats.median(lib.framesPerSecond())),
            Stats.ratio(Stats.median(lib.framesPerSecond()), Stats.median(sdk.framesPerSecond())),
            Stats.ms(Stats.median(lib.p50())),
            Stats.ms(Stats.median(lib.p99())),
            Stats.ms(Stats.median(sdk.p50())),
            Stats.ms(Stats.median(sdk.p99()))));
  }
}
