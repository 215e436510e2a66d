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

  static final String LIBRARY_OKHTTP = "ResilientLiveSession → LiveListener.onAudio";
  static final String LIBRARY_JDK = "ResilientLiveSession on Transport.JDK → onAudio";
  static final String RAW_JDK = "raw java.net.http WebSocket.Listener";
  static final String RAW_OKHTTP = "raw OkHttp WebSocketListener";
  static final String HANDOFF_ONE = "raw OkHttp + one hand-off to a single-thread executor";
  static final String HANDOFF_POOL = "raw OkHttp + one hand-off to a 2-thread pool";

  /** The paths whose latency is measured again with the cores kept awake. */
  static final List<String> AWAKE_PATHS = List.of(LIBRARY_OKHTTP, RAW_OKHTTP, HANDOFF_ONE);

  record Result(
      String path,
      List<Double> framesPerSecond,
      List<Double> turnMillis,
      List<Double> audioBytes,
      List<Double> p50,
      List<Double> p99,
      List<Double> lost,
      List<Double> cpuPerThousand,
      List<Split> splits) {}

  /**
   * Where one trial's stamped frames spent their time, for a path through the library: the frames
   * that had a hand-off of their own (the session's queue was idle when they arrived), and of
   * those, which part was the largest for each frame at or above the trial's p99.
   *
   * @param own frames that started a turn of the session's queue
   * @param joined frames that arrived while a turn was running and were run in it
   * @param before p50 and p99 of stamp → hand-off (server write, socket, parse), own frames
   * @param waiting p50 and p99 of hand-off → turn start (the wait for a worker), own frames
   * @param on p50 and p99 of turn start → listener (the turn on the worker), own frames
   * @param slowBy of the frames at or above the p99: how many had their largest part before the
   *     hand-off, waiting for a worker, on the worker, or had joined a running turn
   */
  record Split(int own, int joined, double[] before, double[] waiting, double[] on, int[] slowBy) {}

  /** Counts what one peer receives; reset per phase. */
  static final class Counter implements Peers.Sink {
    final AtomicInteger audio = new AtomicInteger();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong firstAudio = new AtomicLong();
    volatile long[] latencies = new long[0];
    // Per stamped frame: its task's hand-off and start (HandOffStamps), 0 when not seen.
    volatile long[] handed = new long[0];
    volatile long[] started = new long[0];
    final AtomicInteger stamped = new AtomicInteger();
    // Stamped frames delivered on another thread than the one before them.
    final AtomicInteger threadChanges = new AtomicInteger();
    private volatile Thread lastThread;
    volatile CountDownLatch turnDone = new CountDownLatch(1);
    volatile long turnCompleteAt;

    void reset(int paced) {
      audio.set(0);
      bytes.set(0);
      firstAudio.set(0);
      stamped.set(0);
      threadChanges.set(0);
      lastThread = null;
      latencies = new long[paced];
      handed = new long[paced];
      started = new long[paced];
      turnDone = new CountDownLatch(1);
    }

    @Override
    public void onAudio(byte[] pcm) {
      long now = System.nanoTime();
      if (pcm.length >= 10 && Pcm.outputStreamOf(pcm) == MARK) {
        int i = stamped.getAndIncrement();
        Thread t = Thread.currentThread();
        if (lastThread != null && lastThread != t) {
          threadChanges.incrementAndGet();
        }
        lastThread = t;
        long[] l = latencies;
        if (i < l.length) {
          l[i] = now - Pcm.stampOf(pcm);
          long[] task = HandOffStamps.current();
          if (task != null) {
            handed[i] = task[0] - Pcm.stampOf(pcm);
            started[i] = task[1] - Pcm.stampOf(pcm);
          }
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
    HandOffSink.Baselines executors = new HandOffSink.Baselines();
    try {
      String[] names = {
        LIBRARY_OKHTTP,
        "SDK receive callback",
        "raw OkHttp WebSocketListener",
        LIBRARY_JDK,
        RAW_JDK,
        HANDOFF_ONE,
        HANDOFF_POOL
      };
      HandOffStamps stamps = new HandOffStamps();
      wakes.clear();
      awakeP99.clear();
      Peers.Target target = Peers.Target.of(server);
      java.net.http.HttpClient jdk =
          JdkPeer.client(
              new Peers.Target(
                  target.baseUrl(),
                  target.webSocketUrl(),
                  target.apiKey(),
                  target.http(),
                  trusting(server)));
      for (String name : names) {
        Counter c = new Counter();
        int before = server.connections().size();
        Peers.Peer p =
            switch (name) {
              case "SDK receive callback" -> SdkPeer.connect(sdk, c, true, false);
              case "raw OkHttp WebSocketListener" -> OkHttpPeer.connect(server, http, c, false);
              case HANDOFF_ONE ->
                  OkHttpPeer.connect(server, http, new HandOffSink(c, executors.single()), false);
              case HANDOFF_POOL ->
                  OkHttpPeer.connect(server, http, new HandOffSink(c, executors.pool()), false);
              case RAW_JDK -> JdkPeer.connectAsync(jdk, target, c).get(30, TimeUnit.SECONDS);
              case LIBRARY_JDK ->
                  new Peers.LibraryPeer(
                      Peers.libraryBuilder(server, http)
                          .transport(dev.geminilive.Transport.JDK)
                          .scheduler(stamps)
                          .listener(Peers.listenerFor(c))
                          .connect());
              default ->
                  new Peers.LibraryPeer(
                      Peers.libraryBuilder(server, http)
                          .scheduler(stamps)
                          .listener(Peers.listenerFor(c))
                          .connect());
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
        if (round > 0) {
          wakeSeries();
          awakeSeries(counters, conns);
        }
      }
    } finally {
      peers.values().forEach(Peers.Peer::close);
      executors.close();
      server.script(s -> {});
    }
    return results;
  }

  private void trial(Peers.Peer peer, Counter c, FakeConnection conn, Result acc, String name)
      throws Exception {
    // Throughput: one long reply, as fast as the server can write it.
    c.reset(0);
    SendPairs.CpuSnapshot cpu0 = new SendPairs.CpuSnapshot();
    long t0 = System.nanoTime();
    peer.sendText("long");
    boolean done = c.turnDone.await(60, TimeUnit.SECONDS);
    long[] cpu = new SendPairs.CpuSnapshot().since(cpu0);
    long turn = c.turnCompleteAt - t0;
    // The client's CPU (every thread but the server's) per 1,000 audio frames of the reply.
    double cpuPerThousand = (cpu[0] + cpu[1]) / 1e6 / Math.max(1, c.audio.get()) * 1000;
    double fps = c.audio.get() / ((c.turnCompleteAt - c.firstAudio.get()) / 1e9);
    long bytes = c.bytes.get();
    server.recorder().clear();
    SendPathBench.settle();
    // Latency: stamped frames injected one per millisecond.
    SendPairs.CpuSnapshot pacedCpu0 = new SendPairs.CpuSnapshot();
    ThreadRuns runs = new ThreadRuns();
    int got = paced(c, conn);
    String perFrame = ThreadRuns.perFrame(runs.since(), got);
    // The client's threads only: the caller is the pacer here.
    long[] pacedCpu = new SendPairs.CpuSnapshot().since(pacedCpu0);
    double p50 = Stats.percentile(c.latencies, got, 50);
    double p99 = Stats.percentile(c.latencies, got, 99);
    Split split = split(c, got);
    System.out.printf(
        "  %s %s: %.0f audio frames/s, turn %.0f ms, %d bytes, client CPU %.1f ms per 1,000"
            + " frames, latency p50 %.2f p99 %.2f ms, paced client CPU %.1f ms per 1,000 frames"
            + " (per frame: %s; %d delivered on another thread than the last)%s%n",
        acc == null ? "warm-up" : "trial",
        name,
        fps,
        turn / 1e6,
        bytes,
        cpuPerThousand,
        p50 / 1e6,
        p99 / 1e6,
        pacedCpu[1] / 1e6 / Math.max(1, got) * 1000,
        perFrame,
        c.threadChanges.get(),
        split == null ? "" : "; " + describe(split));
    if (acc == null) {
      return;
    }
    acc.framesPerSecond().add(done ? fps : Double.NaN);
    acc.turnMillis().add(done ? turn / 1e6 : Double.NaN);
    acc.audioBytes().add((double) bytes);
    acc.p50().add(p50);
    acc.p99().add(p99);
    acc.lost().add((double) (PACED - got));
    acc.cpuPerThousand().add(done ? cpuPerThousand : Double.NaN);
    if (split != null) {
      acc.splits().add(split);
    }
  }

  /** Injects the stamped frames, one per millisecond; returns how many reached the listener. */
  private static int paced(Counter c, FakeConnection conn) throws InterruptedException {
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
    return Math.min(PACED, c.stamped.get());
  }

  /** Per path of {@link #AWAKE_PATHS}: the p99 of each round with the cores kept awake. */
  static final Map<String, List<Double>> awakeP99 = new LinkedHashMap<>();

  /**
   * The latency phase again beside two spinning threads, which keep both cores from halting: if the
   * slow 1 % is the wake-up of an idle core, the gap between the paths closes here.
   */
  private static void awakeSeries(Map<String, Counter> counters, Map<String, FakeConnection> conns)
      throws Exception {
    for (String name : AWAKE_PATHS) {
      Counter c = counters.get(name);
      int got;
      try (WakeLatency.Busy busy = WakeLatency.busy(2)) {
        got = paced(c, conns.get(name));
      }
      double p99 = Stats.percentile(c.latencies, got, 99);
      awakeP99.computeIfAbsent(name, k -> new ArrayList<>()).add(p99);
      System.out.printf(
          "  cores kept awake %s: latency p50 %.2f p99 %.2f ms%n",
          name, Stats.percentile(c.latencies, got, 50) / 1e6, p99 / 1e6);
    }
  }

  /** The machine's wake-up of a parked thread, idle and beside two busy threads, per round. */
  static final List<WakeLatency.Series> wakes = new ArrayList<>();

  private static void wakeSeries() throws InterruptedException {
    for (int busy : new int[] {0, 2}) {
      WakeLatency.Series s = WakeLatency.measure(PACED, PACE_NANOS, busy);
      wakes.add(s);
      System.out.printf(
          "  wake-up of a parked thread, %d busy threads: unpark → run p50 %s p99 %s µs, timer"
              + " p99 late %s µs, load %.1f%n",
          busy, Stats.us(s.wakeP50()), Stats.us(s.wakeP99()), Stats.us(s.timerP99()), s.load());
    }
  }

  private static javax.net.ssl.SSLContext trusting(FakeLiveServer server) throws Exception {
    javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
    tls.init(null, new javax.net.ssl.TrustManager[] {server.trustManager()}, null);
    return tls;
  }

  /** The trial's split, or null for a path that does not go through {@link HandOffStamps}. */
  static Split split(Counter c, int got) {
    long[] before = new long[got];
    long[] wait = new long[got];
    long[] on = new long[got];
    int own = 0;
    int joined = 0;
    for (int i = 0; i < got; i++) {
      if (c.started[i] == 0) {
        continue;
      }
      if (c.handed[i] < 0) {
        joined++;
        continue;
      }
      before[own] = c.handed[i];
      wait[own] = c.started[i] - c.handed[i];
      on[own] = c.latencies[i] - c.started[i];
      own++;
    }
    if (own + joined == 0) {
      return null;
    }
    double threshold = Stats.percentile(c.latencies, got, 99);
    int[] slowBy = new int[4];
    for (int i = 0; i < got; i++) {
      if (c.started[i] == 0 || c.latencies[i] < threshold) {
        continue;
      }
      if (c.handed[i] < 0) {
        slowBy[3]++;
        continue;
      }
      long b = c.handed[i];
      long w = c.started[i] - c.handed[i];
      long o = c.latencies[i] - c.started[i];
      slowBy[b >= w && b >= o ? 0 : w >= o ? 1 : 2]++;
    }
    return new Split(
        own,
        joined,
        new double[] {Stats.percentile(before, own, 50), Stats.percentile(before, own, 99)},
        new double[] {Stats.percentile(wait, own, 50), Stats.percentile(wait, own, 99)},
        new double[] {Stats.percentile(on, own, 50), Stats.percentile(on, own, 99)},
        slowBy);
  }

  private static String describe(Split s) {
    return String.format(
        "%d own hand-offs, %d joined a turn; p50/p99 ms before the hand-off %s, waiting for a"
            + " worker %s, on the worker %s; slowest 1 %%: %d before, %d waiting, %d on the"
            + " worker, %d joined",
        s.own(),
        s.joined(),
        pair(s.before()),
        pair(s.waiting()),
        pair(s.on()),
        s.slowBy()[0],
        s.slowBy()[1],
        s.slowBy()[2],
        s.slowBy()[3]);
  }

  private static String pair(double[] p50p99) {
    return Stats.ms(p50p99[0]) + " / " + Stats.ms(p50p99[1]);
  }
}
