package dev.geminilive.benchmarks;

import com.google.genai.Client;
import dev.geminilive.testkit.FakeConnection;
import dev.geminilive.testkit.FakeLiveServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import okhttp3.OkHttpClient;

/** Section 2: model frames from the fake server to the application's callback. */
final class ReceivePathBench {
  static final Duration REPLY = Duration.ofSeconds(60);
  static final int PACED = 1_000;
  static final long PACE_NANOS = 1_000_000;
  static int TRIALS = 3; // set per form by BenchmarkMain
  static final int MARK = 0xBEEF;

  record Result(
      String path,
      List<Double> framesPerSecond,
      List<Double> turnMillis,
      List<Double> audioBytes,
      List<Double> p50,
      List<Double> p99,
      List<Double> lost) {}

  /** Counts what one peer receives; reset per phase. */
  static final class Counter implements Peers.Sink {
    final AtomicInteger audio = new AtomicInteger();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong firstAudio = new AtomicLong();
    volatile long[] latencies = new long[0];
    final AtomicInteger stamped = new AtomicInteger();
    volatile CountDownLatch turnDone = new CountDownLatch(1);
    volatile long turnCompleteAt;

    void reset(int paced) {
      audio.set(0);
      bytes.set(0);
      firstAudio.set(0);
      stamped.set(0);
      latencies = new long[paced];
      turnDone = new CountDownLatch(1);
    }

    @Override
    public void onAudio(byte[] pcm) {
      long now = System.nanoTime();
      if (pcm.length >= 10 && Pcm.outputStreamOf(pcm) == MARK) {
        int i = stamped.getAndIncrement();
        long[] l = latencies;
        if (i < l.length) {
          l[i] = now - Pcm.stampOf(pcm);
        }
        return;
      }
      firstAudio.compareAndSet(0, now);
      audio.incrementAndGet();
      bytes.addAndGet(pcm.length);
    }

    @Override
    public void onTurnComplete() {
      turnCompleteAt = System.nanoTime();
      turnDone.countDown();
    }
  }

  private final FakeLiveServer server;

  ReceivePathBench(FakeLiveServer server) {
    this.server = server;
  }

  Map<String, Result> run() throws Exception {
    server.script(
        s ->
            s.asFastAsPossible()
                .onText("long")
                .reply(r -> r.say("A long answer read out loud. ".repeat(40), REPLY)));
    OkHttpClient http = Peers.roomyClient(server);
    Client sdk = Peers.sdkClient(server, http);
    Map<String, Peers.Peer> peers = new LinkedHashMap<>();
    Map<String, Counter> counters = new LinkedHashMap<>();
    Map<String, FakeConnection> conns = new LinkedHashMap<>();
    Map<String, Result> results = new LinkedHashMap<>();
    try {
      String[] names = {
        "ResilientLiveSession → LiveListener.onAudio",
        "SDK receive callback",
        "raw OkHttp WebSocketListener"
      };
      for (String name : names) {
        Counter c = new Counter();
        int before = server.connections().size();
        Peers.Peer p =
            switch (name) {
              case "SDK receive callback" -> SdkPeer.connect(sdk, c, true, false);
              case "raw OkHttp WebSocketListener" -> OkHttpPeer.connect(server, http, c, false);
              default -> Peers.LibraryPeer.connect(server, http, c);
            };
        peers.put(name, p);
        counters.put(name, c);
        conns.put(name, server.awaitConnections(before + 1, Duration.ofSeconds(5)).get(before));
        results.put(
            name,
            new Result(
                name,
                new ArrayList<>(),
                new ArrayList<>(),
                new ArrayList<>(),
                new ArrayList<>(),
                new ArrayList<>(),
                new ArrayList<>()));
      }
      for (int round = 0; round <= TRIALS; round++) {
        for (String name : names) {
          trial(
              peers.get(name),
              counters.get(name),
              conns.get(name),
              round == 0 ? null : results.get(name),
              name);
        }
      }
    } finally {
      peers.values().forEach(Peers.Peer::close);
      server.script(s -> {});
    }
    return results;
  }

  private void trial(Peers.Peer peer, Counter c, FakeConnection conn, Result acc, String name)
      throws Exception {
    // Throughput: one long reply, as fast as the server can write it.
    c.reset(0);
    long t0 = System.nanoTime();
    peer.sendText("long");
    boolean done = c.turnDone.await(60, TimeUnit.SECONDS);
    long turn = c.turnCompleteAt - t0;
    double fps = c.audio.get() / ((c.turnCompleteAt - c.firstAudio.get()) / 1e9);
    long bytes = c.bytes.get();
    server.recorder().clear();
    SendPathBench.settle();
    // Latency: stamped frames injected one per millisecond.
    c.reset(PACED);
    long next = System.nanoTime();
    for (int i = 0; i < PACED; i++) {
      next += PACE_NANOS;
      while (System.nanoTime() < next) {
        LockSupport.parkNanos(next - System.nanoTime());
      }
      conn.sendRaw(Pcm.stampedOutputFrame(System.nanoTime(), MARK));
    }
    long deadline = System.currentTimeMillis() + 10_000;
    while (c.stamped.get() < PACED && System.currentTimeMillis() < deadline) {
      Thread.sleep(5);
    }
    int got = Math.min(PACED, c.stamped.get());
    double p50 = Stats.percentile(c.latencies, got, 50);
    double p99 = Stats.percentile(c.latencies, got, 99);
    System.out.printf(
        "  %s %s: %.0f audio frames/s, turn %.0f ms, %d bytes, latency p50 %.2f p99 %.2f ms%n",
        acc == null ? "warm-up" : "trial", name, fps, turn / 1e6, bytes, p50 / 1e6, p99 / 1e6);
    if (acc == null) {
      return;
    }
    acc.framesPerSecond().add(done ? fps : Double.NaN);
    acc.turnMillis().add(done ? turn / 1e6 : Double.NaN);
    acc.audioBytes().add((double) bytes);
    acc.p50().add(p50);
    acc.p99().add(p99);
    acc.lost().add((double) (PACED - got));
  }

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
            + " received | p50 / p99 latency (ms) | p50 ratio | p99 ratio | stamped frames lost |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|\n");
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
            + " frame, by design: a slow listener never blocks the socket).\n\n");
    return sb.toString();
  }
}
