package dev.geminilive.benchmarks;

import com.google.genai.Client;
import dev.geminilive.Transport;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.OkHttpClient;

/**
 * One step of the scale section: connects {@code n} sessions of one client kind to the load server,
 * runs the traffic at real-time pace, drains it and closes the sessions, and measures latency,
 * loss, pace, threads, heap, CPU and GC on the way. Runs on the caller's thread; not thread-safe
 * (one step at a time, as the load server serves one step at a time).
 */
final class ScaleStepRun {
  private ScaleStepRun() {}

  /** Downlink latencies from all sessions of a step, with per-session counts. */
  static final class Sink implements Peers.Sink {
    final long[] lat;
    final AtomicInteger n = new AtomicInteger();

    Sink(int capacity) {
      lat = new long[capacity];
    }

    @Override
    public void onAudio(byte[] pcm) {
      long now = System.nanoTime();
      int i = n.getAndIncrement();
      if (i < lat.length && pcm.length >= 8) {
        lat[i] = now - Pcm.stampOf(pcm);
      }
    }
  }

  /**
   * Runs one step and puts where the client's CPU went into {@code cpu} under its {@link
   * ScaleBench#key}.
   */
  static ScaleBench.Step step(
      LoadServerProcess server,
      String kind,
      int n,
      Duration length,
      Map<String, CpuSplit.Window> cpu)
      throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Peers.Target target = server.target();
    OkHttpClient http = Peers.noDelayClient(target);
    Client sdk = kind.equals(ScaleBench.SDK) ? Peers.sdkClient(target, http) : null;
    java.net.http.HttpClient jdk = kind.equals(ScaleBench.JDK) ? JdkPeer.client(target) : null;
    NettyPeer.Group netty = kind.equals(ScaleBench.NETTY) ? new NettyPeer.Group(target) : null;
    int perSessionUp = (int) (length.toMillis() / 20);
    int perSessionDown = (int) (length.toMillis() / 40) + 10;
    Sink sink = new Sink(n * perSessionDown);
    long[] late = new long[n * perSessionUp];
    AtomicInteger lateCount = new AtomicInteger();
    JvmReadings.gc();
    long heap0 = JvmReadings.usedHeap();
    Set<Thread> threads0 = ThreadCensus.snapshot();
    String load = JvmReadings.loadAverage();
    List<Peers.Peer> peers = new ArrayList<>();
    Semaphore inFlight = new Semaphore(ScaleBench.CONNECTS_IN_FLIGHT);
    List<CompletableFuture<? extends Peers.Peer>> futures = new ArrayList<>();
    long c0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      inFlight.acquire();
      CompletableFuture<? extends Peers.Peer> f =
          switch (kind) {
            case ScaleBench.LIBRARY -> Peers.LibraryPeer.connectAsync(target, sink);
            case ScaleBench.LIBRARY_JDK ->
                Peers.LibraryPeer.connectAsync(target, sink, Transport.JDK);
            case ScaleBench.SDK -> SdkPeer.connectAsync(sdk, sink, true, false);
            case ScaleBench.JDK -> JdkPeer.connectAsync(jdk, target, sink);
            case ScaleBench.NETTY -> NettyPeer.connectAsync(netty, sink);
            default ->
                CompletableFuture.supplyAsync(
                    () -> {
                      try {
                        return OkHttpPeer.connect(target, http, sink, false);
                      } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                      }
                    });
          };
      f.whenComplete((p, e) -> inFlight.release());
      futures.add(f);
    }
    String note = "";
    boolean connected = true;
    for (var f : futures) {
      try {
        peers.add(f.get(60, TimeUnit.SECONDS));
      } catch (Exception e) {
        connected = false;
        note = "connect failed: " + (e.getCause() == null ? e : e.getCause());
      }
    }
    double connectSeconds = (System.nanoTime() - c0) / 1e9;
    awaitSessions(server, peers.size());
    JvmReadings.gc();
    double heapIdle = (JvmReadings.usedHeap() - heap0) / 1024.0 / Math.max(1, peers.size());
    // Idle: connected, setups answered, after a GC; nothing in flight.
    ThreadCensus idleThreads = ThreadCensus.since(threads0, peers.size());
    AtomicLong upSent = new AtomicLong();
    long started0 = threads.getTotalStartedThreadCount();
    Map<String, Long> before = server.stats();
    long cpu0 = JvmReadings.processCpuNanos();
    CpuSplit split = CpuSplit.begin();
    CpuSplit.Window byThreads = null;
    long[] gc0 = JvmReadings.gcTotals();
    long w0 = System.nanoTime();
    if (connected) {
      server.command("start " + length.toMillis());
      long t0 = System.nanoTime();
      w0 = t0;
      if (netty != null) {
        // Raw Netty's event loops pace their own sockets.
        List<NettyPeer> own = new ArrayList<>();
        peers.forEach(p -> own.add((NettyPeer) p));
        NettyPeer.pace(own, t0, perSessionUp, upSent, late, lateCount);
      } else {
        byThreads =
            AudioPacer.paceOnThreads(peers, t0, perSessionUp, upSent, late, lateCount, split);
      }
    }
    // Loaded: the traffic just ended; the pools still hold the threads it needed (the pacers are
    // the benchmark's, and gone).
    ThreadCensus loadedThreads = ThreadCensus.since(threads0, peers.size());
    System.out.println(
        "  threads per session, "
            + kind
            + " "
            + n
            + ": idle "
            + idleThreads
            + ", loaded "
            + loadedThreads);
    double window = (System.nanoTime() - w0) / 1e9;
    long cpu1 = JvmReadings.processCpuNanos();
    if (byThreads == null) {
      byThreads = split.end();
    }
    cpu.put(ScaleBench.key(kind, n), byThreads);
    System.out.println(
        "  client cores by thread group, "
            + kind
            + " "
            + n
            + ": "
            + CpuSplit.format(byThreads.cores())
            + "; "
            + CpuSplit.formatWaiting(byThreads));
    long[] gc1 = JvmReadings.gcTotals();
    // Drain: everything sent should arrive within a few seconds.
    Map<String, Long> after = server.awaitUp(upSent.get(), Duration.ofSeconds(5));
    long drainUntil = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < drainUntil && sink.n.get() < after.get("downSent")) {
      Thread.sleep(50);
      after = server.stats();
    }
    double serverCores =
        (after.get("cpuNanos") - before.get("cpuNanos")) / 1e9 / Math.max(window, 1e-3);
    double clientCores = (cpu1 - cpu0) / 1e9 / Math.max(window, 1e-3);
    JvmReadings.gc();
    double heapLoaded = (JvmReadings.usedHeap() - heap0) / 1024.0 / Math.max(1, peers.size());
    double startedPerSecond = (threads.getTotalStartedThreadCount() - started0) / window;
    peers.forEach(Peers.Peer::close);
    awaitSessions(server, 0);
    if (netty != null) {
      netty.close();
    }
    int down = Math.min(sink.n.get(), sink.lat.length);
    int lates = Math.min(lateCount.get(), late.length);
    return new ScaleBench.Step(
        kind,
        n,
        connected,
        connectSeconds,
        heapIdle,
        heapLoaded,
        idleThreads.perSession(),
        loadedThreads.perSession(),
        startedPerSecond,
        connected ? (long) n * perSessionUp : 0,
        upSent.get(),
        after.get("upReceived"),
        after.get("upOutOfOrder"),
        after.get("upP50"),
        after.get("upP99"),
        after.get("upP999"),
        Stats.percentile(late, lates, 99),
        countAbove(late, lates, 20_000_000L),
        connected ? (long) n * (length.toMillis() / 40) : 0,
        after.get("downSent"),
        sink.n.get(),
        Stats.percentile(sink.lat, down, 50),
        Stats.percentile(sink.lat, down, 99),
        Stats.percentile(sink.lat, down, 99.9),
        clientCores,
        serverCores,
        gc1[0] - gc0[0],
        gc1[1] - gc0[1],
        load,
        note);
  }

  private static long countAbove(long[] values, int count, long limit) {
    long n = 0;
    for (int i = 0; i < count; i++) {
      if (values[i] > limit) {
        n++;
      }
    }
    return n;
  }

  private static void awaitSessions(LoadServerProcess server, int expected) throws Exception {
    server.awaitSessions(expected, Duration.ofSeconds(30));
  }
}
