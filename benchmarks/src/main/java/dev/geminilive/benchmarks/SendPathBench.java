package dev.geminilive.benchmarks;

import com.google.genai.Client;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.MessageKind;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import okhttp3.OkHttpClient;

/** Section 1: 20 ms PCM chunks from one caller thread to the fake server. */
final class SendPathBench {
  static final int BURST = 5_000;
  static final int PACED = 1_000;
  static final long PACE_NANOS = 1_000_000;
  static int TRIALS = 3; // set per form by BenchmarkMain

  /** One trial's arrivals at the server. */
  static final class Trial {
    final long[] arrival;
    final int[] order;
    final AtomicInteger count = new AtomicInteger();

    Trial(int n) {
      arrival = new long[n];
      order = new int[n];
    }
  }

  record Result(
      String path,
      List<Double> burstRate,
      List<Double> callRate,
      List<Double> burstP50,
      List<Double> burstP99,
      List<Double> pacedP50,
      List<Double> pacedP99,
      List<Double> threadsPerSend,
      List<Double> reordered,
      List<Double> inversions,
      List<Double> lost) {}

  private final FakeLiveServer server;
  private volatile Trial current;

  SendPathBench(FakeLiveServer server) {
    this.server = server;
  }

  Map<String, Result> run() throws Exception {
    OkHttpClient http = Peers.roomyClient(server);
    Client sdk = Peers.sdkClient(server, http);
    Peers.Sink none = new Peers.Sink() {};
    Map<String, Peers.Peer> peers = new LinkedHashMap<>();
    Map<String, Acc> accs = new LinkedHashMap<>();
    try (ServerTap tap =
        new ServerTap(
            server,
            (m, t) -> {
              Trial trial = current;
              if (trial == null || m.kind() != MessageKind.REALTIME_AUDIO) {
                return;
              }
              int seq = Pcm.seqOf(m.audioBytes());
              int i = trial.count.getAndIncrement();
              if (seq < trial.arrival.length && i < trial.order.length) {
                trial.arrival[seq] = t;
                trial.order[i] = seq;
              }
            })) {
      peers.put("ResilientLiveSession.sendAudio", Peers.LibraryPeer.connect(server, http, none));
      peers.put(
          "SDK sendRealtimeInput, fire-and-forget", Peers.SdkPeer.connect(sdk, none, false, false));
      peers.put(
          "SDK sendRealtimeInput, chained for order",
          Peers.SdkPeer.connect(sdk, none, true, false));
      peers.put("raw OkHttp WebSocket.send", Peers.OkHttpPeer.connect(server, http, none, false));
      peers.keySet().forEach(k -> accs.put(k, new Acc()));
      // Trials are interleaved (every path once per round) so drift in the shared machine hits all
      // paths alike; round 0 is warm-up for the JIT of clients and server and is discarded.
      for (int round = 0; round <= TRIALS; round++) {
        for (var e : peers.entrySet()) {
          trial(e.getKey(), e.getValue(), round == 0 ? null : accs.get(e.getKey()));
        }
      }
    } finally {
      peers.values().forEach(Peers.Peer::close);
    }
    Map<String, Result> results = new LinkedHashMap<>();
    accs.forEach((k, a) -> results.put(k, a.result(k)));
    return results;
  }

  /** Per-path accumulated trial results. */
  static final class Acc {
    final List<Double> rate = new ArrayList<>();
    final List<Double> callRate = new ArrayList<>();
    final List<Double> bp50 = new ArrayList<>();
    final List<Double> bp99 = new ArrayList<>();
    final List<Double> pp50 = new ArrayList<>();
    final List<Double> pp99 = new ArrayList<>();
    final List<Double> threadsPerSend = new ArrayList<>();
    final List<Double> reordered = new ArrayList<>();
    final List<Double> inversions = new ArrayList<>();
    final List<Double> lost = new ArrayList<>();

    Result result(String name) {
      return new Result(
          name,
          rate,
          callRate,
          bp50,
          bp99,
          pp50,
          pp99,
          threadsPerSend,
          reordered,
          inversions,
          lost);
    }
  }

  private void trial(String name, Peers.Peer peer, Acc acc) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    byte[][] chunks = new byte[BURST][];
    for (int i = 0; i < BURST; i++) {
      chunks[i] = Pcm.inputChunk(1, i);
    }
    // Burst: as fast as the caller can.
    Trial t = new Trial(BURST);
    long[] sent = new long[BURST];
    current = t;
    long started0 = threads.getTotalStartedThreadCount();
    long t0 = System.nanoTime();
    for (int i = 0; i < BURST; i++) {
      sent[i] = System.nanoTime();
      peer.sendAudio(chunks[i]);
    }
    long callsDone = System.nanoTime();
    awaitCount(t, BURST, 20_000);
    long started = threads.getTotalStartedThreadCount() - started0;
    int arrived = Math.min(t.count.get(), BURST);
    long last = 0;
    long[] lat = new long[arrived];
    int k = 0;
    for (int i = 0; i < BURST; i++) {
      if (t.arrival[i] != 0) {
        last = Math.max(last, t.arrival[i]);
        lat[k++] = t.arrival[i] - sent[i];
      }
    }
    current = null;
    server.recorder().clear();
    settle();
    // Paced: one chunk per millisecond, to see latency without queueing.
    Trial p = new Trial(PACED);
    long[] psent = new long[PACED];
    current = p;
    long next = System.nanoTime();
    for (int i = 0; i < PACED; i++) {
      next += PACE_NANOS;
      while (System.nanoTime() < next) {
        LockSupport.parkNanos(next - System.nanoTime());
      }
      psent[i] = System.nanoTime();
      peer.sendAudio(chunks[i]);
    }
    awaitCount(p, PACED, 10_000);
    long[] plat = new long[PACED];
    int pk = 0;
    for (int i = 0; i < PACED; i++) {
      if (p.arrival[i] != 0) {
        plat[pk++] = p.arrival[i] - psent[i];
      }
    }
    current = null;
    server.recorder().clear();
    int reordered = 0;
    int inv = 0;
    int max = -1;
    for (int i = 0; i < arrived; i++) {
      if (t.order[i] < max) {
        reordered++;
      }
      max = Math.max(max, t.order[i]);
      if (i > 0 && t.order[i] < t.order[i - 1]) {
        inv++;
      }
    }
    double rate = arrived / ((last - t0) / 1e9);
    System.out.printf(
        "  %s %s: %.0f msg/s, burst p50 %.2f ms, paced p50 %.2f p99 %.2f ms, lost %d, reordered"
            + " %d, threads %d%n",
        acc == null ? "warm-up" : "trial",
        name,
        rate,
        Stats.percentile(lat, k, 50) / 1e6,
        Stats.percentile(plat, pk, 50) / 1e6,
        Stats.percentile(plat, pk, 99) / 1e6,
        BURST - arrived + PACED - pk,
        reordered,
        started);
    if (acc == null) {
      return;
    }
    acc.rate.add(rate);
    acc.callRate.add(BURST / ((callsDone - t0) / 1e9));
    acc.bp50.add(Stats.percentile(lat, k, 50));
    acc.bp99.add(Stats.percentile(lat, k, 99));
    acc.pp50.add(Stats.percentile(plat, pk, 50));
    acc.pp99.add(Stats.percentile(plat, pk, 99));
    acc.threadsPerSend.add((double) started / BURST);
    acc.reordered.add((double) reordered);
    acc.inversions.add((double) inv);
    acc.lost.add((double) (BURST - arrived + PACED - pk));
  }

  /** Lets the previous phase's garbage and threads go before a latency measurement. */
  static void settle() throws InterruptedException {
    System.gc();
    Thread.sleep(200);
  }

  private static void awaitCount(Trial t, int n, long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    int seen = -1;
    long quietSince = System.currentTimeMillis();
    // Done when all arrived, or nothing new arrived for 500 ms (dropped messages never come).
    while (t.count.get() < n && System.currentTimeMillis() < deadline) {
      int c = t.count.get();
      if (c != seen) {
        seen = c;
        quietSince = System.currentTimeMillis();
      } else if (System.currentTimeMillis() - quietSince > 500) {
        break;
      }
      Thread.sleep(5);
    }
    // Stragglers (reordered or duplicated) get a short grace period.
    Thread.sleep(100);
  }

  static String section(Map<String, Result> results) {
    StringBuilder sb = new StringBuilder();
    Result sdk = results.get("SDK sendRealtimeInput, fire-and-forget");
    sb.append("## 1. Send path: 20 ms / 16 kHz PCM chunks (640 bytes) to the fake server\n\n");
    sb.append(
        Stats.fmt(
            "One caller thread; each trial sends a burst of %,d chunks as fast as the calls return,"
                + " then %,d chunks paced at one per millisecond. Arrival is taken on the server"
                + " (see caveats). %d trials after one warm-up; medians (min–max for rates)."
                + " Ratios are against the raw SDK fire-and-forget path.\n\n",
            BURST, PACED, TRIALS));
    sb.append(
        "| path | burst msg/s at server | ratio | send-call rate (calls/s) | burst p50 / p99 latency"
            + " (ms) | paced p50 / p99 latency (ms) | paced p99 ratio | threads started per send |"
            + " reordered arrivals (of 5,000) | adjacent inversions | lost |\n");
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
    return sb.toString();
  }
}
