package dev.geminilive.benchmarks;

import com.google.genai.Client;
import dev.geminilive.testkit.FakeConnection;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.MessageKind;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/** Section 5: toolCall frame out of the server → toolResponse frame back at the server. */
final class ToolBench {
  static final int WARMUP = 50;
  static int CALLS = 300; // set per form by BenchmarkMain

  record Result(String path, double p50, double p99, int failed) {}

  private final FakeLiveServer server;

  ToolBench(FakeLiveServer server) {
    this.server = server;
  }

  Map<String, Result> run() throws Exception {
    OkHttpClient http = Peers.roomyClient(server);
    Client sdk = Peers.sdkClient(server, http);
    Peers.Sink none = new Peers.Sink() {};
    LinkedBlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
    Map<String, Result> results = new LinkedHashMap<>();
    try (ServerTap tap =
        new ServerTap(
            server,
            (m, t) -> {
              if (m.kind() == MessageKind.TOOL_RESPONSE) {
                arrivals.add(t);
              }
            })) {
      String[] names = {
        "ResilientLiveSession, @LiveTool method",
        "SDK receive callback → sendToolResponse",
        "raw OkHttp listener → WebSocket.send"
      };
      for (String name : names) {
        int before = server.connections().size();
        Peers.Peer peer =
            switch (name) {
              case "SDK receive callback → sendToolResponse" ->
                  Peers.SdkPeer.connect(sdk, none, false, true);
              case "raw OkHttp listener → WebSocket.send" ->
                  Peers.OkHttpPeer.connect(server, http, none, true);
              default ->
                  new Peers.LibraryPeer(
                      Peers.libraryBuilder(server, http).tools(new EchoTools()).connect());
            };
        FakeConnection conn =
            server.awaitConnections(before + 1, Duration.ofSeconds(5)).get(before);
        try (peer) {
          long[] lat = new long[CALLS];
          int n = 0;
          int failed = 0;
          for (int i = 0; i < WARMUP + CALLS; i++) {
            arrivals.clear();
            long t0 = System.nanoTime();
            conn.sendRaw(
                "{\"toolCall\":{\"functionCalls\":[{\"id\":\"call-"
                    + i
                    + "\",\"name\":\"echo\",\"args\":{\"x\":\"v"
                    + i
                    + "\"}}]}}");
            Long t = arrivals.poll(5, TimeUnit.SECONDS);
            if (t == null) {
              failed++;
            } else if (i >= WARMUP) {
              lat[n++] = t - t0;
            }
          }
          Result r =
              new Result(name, Stats.percentile(lat, n, 50), Stats.percentile(lat, n, 99), failed);
          System.out.println("  " + r);
          results.put(name, r);
        }
        server.recorder().clear();
      }
    }
    return results;
  }

  static String section(Map<String, Result> results) {
    Result sdk = results.get("SDK receive callback → sendToolResponse");
    StringBuilder sb = new StringBuilder();
    sb.append("## 5. Tool dispatch: toolCall in → toolResponse out, at the fake server\n\n");
    sb.append(
        Stats.fmt(
            "A trivial tool (`echo`, returns its argument). The benchmark injects a toolCall"
                + " frame with FakeConnection.sendRaw and takes the time when the server has"
                + " recorded the matching toolResponse; %d calls one after another after %d"
                + " warm-up calls. The SDK and raw OkHttp baselines answer inside their receive"
                + " callback with the same response; the library runs the annotated method on its"
                + " tool executor (argument conversion, result to JSON) and writes the response"
                + " through its ordered send path.\n\n",
            CALLS, WARMUP));
    sb.append("| path | p50 (ms) | p99 (ms) | p50 ratio to SDK | p99 ratio to SDK | no answer |\n");
    sb.append("|---|---|---|---|---|---|\n");
    for (Result r : results.values()) {
      sb.append(
          Stats.fmt(
              "| %s | %s | %s | %s | %s | %d |\n",
              r.path(),
              Stats.ms(r.p50()),
              Stats.ms(r.p99()),
              Stats.ratio(r.p50(), sdk.p50()),
              Stats.ratio(r.p99(), sdk.p99()),
              r.failed()));
    }
    sb.append("\n");
    return sb.toString();
  }

  static String headline(Map<String, Result> results) {
    Result lib = results.get("ResilientLiveSession, @LiveTool method");
    Result sdk = results.get("SDK receive callback → sendToolResponse");
    return Stats.fmt(
        "Tool round trip at the server: library p50 %s ms / p99 %s ms vs SDK %s / %s ms (%s at"
            + " p50).",
        Stats.ms(lib.p50()),
        Stats.ms(lib.p99()),
        Stats.ms(sdk.p50()),
        Stats.ms(sdk.p99()),
        Stats.ratio(lib.p50(), sdk.p50()));
  }
}
