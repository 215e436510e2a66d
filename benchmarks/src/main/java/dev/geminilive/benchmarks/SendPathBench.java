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
  static final int BURST = 10_000;
  static final int PACED = 1_000;
  static final long PACE_NANOS = 1_000_000;
  static final int TRIALS = 3;

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
      List<Double> outOfPlace,
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
    Map<String, Result> results = new LinkedHashMap<>();
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
      results.put(
          "ResilientLiveSession.sendAudio",
          measure("ResilientLiveSession.sendAudio", Peers.LibraryPeer.connect(server, http, none)));
      results.put(
          "SDK sendRealtimeInput, fire-and-forget",
          measure(
              "SDK sendRealtimeInput, fire-and-forget",
              Peers.SdkPeer.connect(sdk, none, false, false)));
      results.put(
          "SDK sendRealtimeInput, chained for order",
          measure(
              "SDK sendRealtimeInput, chained for order",
              Peers.SdkPeer.connect(sdk, none, true, false)));
      results.put(
          "raw OkHttp WebSocket.send",
          measure(
              "raw OkHttp WebSocket.send", Peers.OkHttpPeer.connect(server, http, none, false)));
    }
    return results;
  }

  private Result measure(String name, Peers.Peer peer) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    List<Double> rate = new ArrayList<>();
    List<Double> callRate = new ArrayList<>();
    List<Double> bp50 = new ArrayList<>();
    List<Double> bp99 = new ArrayList<>();
    List<Double> pp50 = new ArrayList<>();
    List<Double> pp99 = new ArrayList<>();
    List<Double> threadsPerSend = new ArrayList<>();
    List<Double> outOfPlace = new ArrayList<>();
    List<Double> inversions = new ArrayList<>();
    List<Double> lost = new ArrayList<>();
    byte[][] chunks = new byte[BURST][];
    for (int i = 0; i < BURST; i++) {
      chunks[i] = Pcm.inputChunk(1, i);
    }
    try (peer) {
      // Warm-up: one burst and one paced run, discarded.
      for (int trial = -1; trial < TRIALS; trial++) {
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
        awaitCount(t, BURST, 15_000);
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
        if (trial < 0) {
          continue;
        }
        rate.add(arrived / ((last - t0) / 1e9));
        callRate.add(BURST / ((callsDone - t0) / 1e9));
        bp50.add(Stats.percentile(lat, k, 50));
        bp99.add(Stats.percentile(lat, k, 99));
        pp50.add(Stats.percentile(plat, pk, 50));
        pp99.add(Stats.percentile(plat, pk, 99));
        threadsPerSend.add((double) started / BURST);
        int misplaced = 0;
        int inv = 0;
        for (int i = 0; i < arrived; i++) {
          if (t.order[i] != i) {
            misplaced++;
          }
          if (i > 0 && t.order[i] < t.order[i - 1]) {
            inv++;
          }
        }
        outOfPlace.add((double) misplaced);
        inversions.add((double) inv);
        lost.add((double) (BURST - arrived + PACED - pk));
      }
    }
    Thread.sleep(300);
    return new Result(
        name, rate, callRate, bp50, bp99, pp50, pp99, threadsPerSend, outOfPlace, inversions, lost);
  }

  private static void awaitCount(Trial t, int n, long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (t.count.get() < n && System.currentTimeMillis() < deadline) {
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
            + " out of place (of 10,000) | adjacent inversions | lost |\n");
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
          .append(Stats.num(Stats.median(r.outOfPlace())))
          .append(" | ")
          .append(Stats.num(Stats.median(r.inversions())))
          .append(" | ")
          .append(Stats.num(Stats.max(r.lost())))
          .append(" |\n");
    }
    sb.append(
        "\nRatio > 1 means more messages per second than the raw SDK; a latency ratio < 1 means"
            + " lower latency. \"Lost\" is the worst trial (burst + paced); \"out of place\" counts"
            + " arrival positions that differ from the send order.\n\n");
    return sb.toString();
  }
}
