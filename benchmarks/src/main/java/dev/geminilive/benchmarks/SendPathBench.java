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
  /**
   * Chunks per burst: as many as fit the library's bound on the socket's send queue (4 MiB, past
   * which it drops audio and says so), so that every path sends every chunk and does the same work.
   */
  static final int BURST = 4_000;

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

  /** The table's per-path trials and the rounds that give the burst's ratio. */
  record Outcome(Map<String, Result> paths, SendPairs.Summary rounds) {}

  static final String LIBRARY = "ResilientLiveSession.sendAudio";
  static final String RAW = "raw OkHttp WebSocket.send";
  static final String RAW_NO_DELAY = "raw OkHttp WebSocket.send, TCP_NODELAY";

  Outcome run() throws Exception {
    OkHttpClient http = Peers.roomyClient(server);
    Client sdk = Peers.sdkClient(server, http);
    Peers.Sink none = new Peers.Sink() {};
    Map<String, Peers.Peer> peers = new LinkedHashMap<>();
    Map<String, Acc> accs = new LinkedHashMap<>();
    List<SendPairs.Round> rounds = new ArrayList<>();
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
      peers.put(LIBRARY, Peers.LibraryPeer.connect(server, http, none));
      peers.put("SDK sendRealtimeInput, fire-and-forget", SdkPeer.connect(sdk, none, false, false));
      peers.put(
          "SDK sendRealtimeInput, chained for order", SdkPeer.connect(sdk, none, true, false));
      peers.put(RAW, OkHttpPeer.connect(server, http, none, false));
      peers.put(RAW_NO_DELAY, OkHttpPeer.connect(server, Peers.noDelayClient(server), none, false));
      peers.keySet().forEach(k -> accs.put(k, new Acc()));
      // Trials are interleaved (every path once per round) so drift in the shared machine hits all
      // paths alike; round 0 is warm-up for the JIT of clients and server and is discarded.
      for (int round = 0; round <= TRIALS; round++) {
        for (var e : peers.entrySet()) {
          trial(e.getKey(), e.getValue(), round == 0 ? null : accs.get(e.getKey()));
        }
      }
      // The ratio's own rounds: bursts only, the three OkHttp-based paths in rotating order.
      List<String> paired = List.of(LIBRARY, RAW, RAW_NO_DELAY);
      for (int round = 0; round < SendPairs.WARMUP + SendPairs.ROUNDS; round++) {
        Map<String, SendPairs.Burst> bursts = new LinkedHashMap<>();
        for (String path : SendPairs.order(paired, round)) {
          bursts.put(path, burst(peers.get(path)).summary());
        }
        if (round >= SendPairs.WARMUP) {
          rounds.add(new SendPairs.Round(bursts));
          System.out.printf(
              "  round %d: library %.0f, raw %.0f, raw TCP_NODELAY %.0f msg/s; ratio %.3f;"
                  + " caller CPU µs/msg %.2f vs %.2f%n",
              round - SendPairs.WARMUP + 1,
              bursts.get(LIBRARY).rate(),
              bursts.get(RAW).rate(),
              bursts.get(RAW_NO_DELAY).rate(),
              bursts.get(LIBRARY).rate() / bursts.get(RAW).rate(),
              bursts.get(LIBRARY).callerCpuPerMessage() / 1e3,
              bursts.get(RAW).callerCpuPerMessage() / 1e3);
        }
      }
    } finally {
      peers.values().forEach(Peers.Peer::close);
    }
    Map<String, Result> results = new LinkedHashMap<>();
    accs.forEach((k, a) -> results.put(k, a.result(k)));
    return new Outcome(results, new SendPairs.Summary(rounds));
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

  /** One burst's raw data. */
  private record BurstRun(
      Trial trial,
      long[] sent,
      long t0,
      long callsDone,
      long[] cpu,
      long[] collections,
      long threadsStarted) {
    int arrived() {
      return Math.min(trial.count.get(), BURST);
    }

    long last() {
      long last = 0;
      for (long a : trial.arrival) {
        last = Math.max(last, a);
      }
      return last;
    }

    double rate() {
      return arrived() / ((last() - t0) / 1e9);
    }

    SendPairs.Burst summary() {
      return new SendPairs.Burst(
          rate(),
          BURST - arrived(),
          (double) cpu[0] / BURST,
          (double) cpu[1] / Math.max(1, arrived()),
          (double) cpu[2] / Math.max(1, arrived()),
          collections[0],
          collections[1]);
    }
  }

  /**
   * Sends {@link #BURST} chunks as fast as the calls return and waits for them at the server, after
   * a collection and a pause so that the previous burst's garbage is not this one's.
   */
  private BurstRun burst(Peers.Peer peer) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    byte[][] chunks = chunks();
    settle();
    Trial t = new Trial(BURST);
    long[] sent = new long[BURST];
    current = t;
    long started0 = threads.getTotalStartedThreadCount();
    long[] gc0 = JvmReadings.gcTotals();
    SendPairs.CpuSnapshot cpu0 = new SendPairs.CpuSnapshot();
    long t0 = System.nanoTime();
    for (int i = 0; i < BURST; i++) {
      sent[i] = System.nanoTime();
      peer.sendAudio(chunks[i]);
    }
    long callsDone = System.nanoTime();
    awaitCount(t, BURST, 20_000);
    long[] cpu = new SendPairs.CpuSnapshot().since(cpu0);
    long[] gc1 = JvmReadings.gcTotals();
    long started = threads.getTotalStartedThreadCount() - started0;
    current = null;
    server.recorder().clear();
    return new BurstRun(
        t, sent, t0, callsDone, cpu, new long[] {gc1[0] - gc0[0], gc1[1] - gc0[1]}, started);
  }

  private static byte[][] chunks() {
    byte[][] chunks = new byte[BURST][];
    for (int i = 0; i < BURST; i++) {
      chunks[i] = Pcm.inputChunk(1, i);
    }
    return chunks;
  }

  private void trial(String name, Peers.Peer peer, Acc acc) throws Exception {
    BurstRun b = burst(peer);
    Trial t = b.trial();
    long[] sent = b.sent();
    long t0 = b.t0();
    long callsDone = b.callsDone();
    long started = b.threadsStarted();
    byte[][] chunks = chunks();
    int arrived = b.arrived();
    long last = b.last();
    long[] lat = new long[arrived];
    int k = 0;
    for (int i = 0; i < BURST; i++) {
      if (t.arrival[i] != 0) {
        lat[k++] = t.arrival[i] - sent[i];
      }
    }
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
}
