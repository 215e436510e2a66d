package dev.geminilive.benchmarks;

import com.google.genai.Client;
import dev.geminilive.testkit.FakeConnection;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.MessageKind;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.OkHttpClient;

/** Section 3: many concurrent duplex sessions at real-time pace. */
final class ScaleBench {
  static final int[] STEPS = {10, 25, 50, 100, 200, 400};
  static final Duration STEP = Duration.ofSeconds(5);
  static final long P99_LIMIT_NANOS = 50_000_000;
  static final int MARK = 0xCAFE;
  static final List<String> KINDS =
      List.of(
          "library, TCP_NODELAY",
          "sdk, TCP_NODELAY",
          "okhttp, TCP_NODELAY",
          "library, default sockets");

  record Step(
      String kind,
      int sessions,
      boolean connected,
      double connectSeconds,
      double heapKiBPerSession,
      double heapKiBPerSessionLoaded,
      double threadsPerSession,
      double threadsStartedPerSecond,
      long upExpected,
      long upSent,
      long upReceived,
      double upP50,
      double upP99,
      long downExpected,
      long downSent,
      long downReceived,
      double downP50,
      double downP99,
      String note) {
    Step withNote(String more) {
      return new Step(
          kind,
          sessions,
          connected,
          connectSeconds,
          heapKiBPerSession,
          heapKiBPerSessionLoaded,
          threadsPerSession,
          threadsStartedPerSecond,
          upExpected,
          upSent,
          upReceived,
          upP50,
          upP99,
          downExpected,
          downSent,
          downReceived,
          downP50,
          downP99,
          note.isEmpty() ? more : note + "; " + more);
    }

    boolean sustained() {
      // The pace must be kept too: a client whose sends fall behind the 20 ms clock fails.
      return connected
          && upSent >= upExpected * 0.98
          && downSent >= downExpected * 0.98
          && upSent == upReceived
          && downSent == downReceived
          && upP99 < P99_LIMIT_NANOS
          && downP99 < P99_LIMIT_NANOS;
    }
  }

  record Result(List<Step> steps, String dispatcherProbe) {}

  private final FakeLiveServer server;

  ScaleBench(FakeLiveServer server) {
    this.server = server;
  }

  Result run() throws Exception {
    List<Step> steps = new ArrayList<>();
    for (String kind : KINDS) {
      // A small discarded step first, so the JIT is warm for this client's code paths.
      System.out.println("  warm-up " + step(kind, 10, Duration.ofSeconds(2)));
      for (int n : STEPS) {
        Step s = step(kind, n, STEP);
        System.out.println("  " + s);
        if (!s.sustained()) {
          // One 5 s run on a shared 2-core machine is noisy: a step fails only if a rerun fails.
          Step again = step(kind, n, STEP);
          System.out.println("  rerun " + again);
          s =
              again.sustained()
                  ? again.withNote("failed once, passed on rerun")
                  : s.withNote("failed twice");
        }
        steps.add(s);
        if (!s.sustained()) {
          break;
        }
      }
    }
    return new Result(steps, probeDefaultDispatcher());
  }

  /** Downlink latencies from all sessions of a step. */
  static final class Sink implements Peers.Sink {
    final long[] lat;
    final AtomicInteger n = new AtomicInteger();

    Sink(int capacity) {
      lat = new long[capacity];
    }

    @Override
    public void onAudio(byte[] pcm) {
      long now = System.nanoTime();
      if (pcm.length >= 10 && Pcm.outputStreamOf(pcm) == MARK) {
        int i = n.getAndIncrement();
        if (i < lat.length) {
          lat[i] = now - Pcm.stampOf(pcm);
        }
      }
    }
  }

  private Step step(String kind, int n, Duration length) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    OkHttpClient http =
        kind.endsWith("TCP_NODELAY") ? Peers.noDelayClient(server) : Peers.roomyClient(server);
    Client sdk = Peers.sdkClient(server, http);
    int perSessionUp = (int) (length.toMillis() / 20) + 10;
    int perSessionDown = (int) (length.toMillis() / 40) + 10;
    Sink sink = new Sink(n * perSessionDown);
    long[][] sentAt = new long[n][perSessionUp];
    long[] upLat = new long[n * perSessionUp];
    AtomicInteger upCount = new AtomicInteger();
    System.gc();
    Thread.sleep(200);
    long heap0 = usedHeap();
    int threads0 = threads.getThreadCount();
    int before = server.connections().size();
    List<Peers.Peer> peers = new ArrayList<>();
    Semaphore inFlight = new Semaphore(16);
    List<CompletableFuture<? extends Peers.Peer>> futures = new ArrayList<>();
    long c0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      inFlight.acquire();
      CompletableFuture<? extends Peers.Peer> f =
          switch (kind) {
            case "library, default sockets", "library, TCP_NODELAY" ->
                Peers.LibraryPeer.connectAsync(server, http, sink);
            case "sdk, TCP_NODELAY" -> Peers.SdkPeer.connectAsync(sdk, sink, true, false);
            default ->
                CompletableFuture.supplyAsync(
                    () -> {
                      try {
                        return Peers.OkHttpPeer.connect(server, http, sink, false);
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
        peers.add(f.get(20, TimeUnit.SECONDS));
      } catch (Exception e) {
        connected = false;
        note = "connect failed: " + e;
      }
    }
    double connectSeconds = (System.nanoTime() - c0) / 1e9;
    System.gc();
    Thread.sleep(300);
    double heapPer = (usedHeap() - heap0) / 1024.0 / Math.max(1, peers.size());
    double threadsPer = (threads.getThreadCount() - threads0) / (double) Math.max(1, peers.size());
    List<FakeConnection> conns =
        connected
            ? server.awaitConnections(before + n, Duration.ofSeconds(5)).subList(before, before + n)
            : List.of();
    AtomicLong upSent = new AtomicLong();
    AtomicLong downSent = new AtomicLong();
    long started0 = threads.getTotalStartedThreadCount();
    ScheduledExecutorService senders = Executors.newScheduledThreadPool(4);
    ScheduledExecutorService model = Executors.newScheduledThreadPool(2);
    List<ScheduledFuture<?>> tasks = new ArrayList<>();
    try (ServerTap tap =
        new ServerTap(
            server,
            (m, t) -> {
              if (m.kind() != MessageKind.REALTIME_AUDIO) {
                return;
              }
              byte[] pcm = m.audioBytes();
              int stream = Pcm.streamOf(pcm);
              int seq = Pcm.seqOf(pcm);
              if (stream < n && seq < perSessionUp) {
                int i = upCount.getAndIncrement();
                if (i < upLat.length) {
                  upLat[i] = t - sentAt[stream][seq];
                }
              }
            })) {
      if (connected) {
        for (int i = 0; i < n; i++) {
          int stream = i;
          Peers.Peer p = peers.get(i);
          int[] seq = {0};
          tasks.add(
              senders.scheduleAtFixedRate(
                  () -> {
                    int s = seq[0]++;
                    if (s >= perSessionUp) {
                      return;
                    }
                    sentAt[stream][s] = System.nanoTime();
                    p.sendAudio(Pcm.inputChunk(stream, s));
                    upSent.incrementAndGet();
                  },
                  i * 20_000L / n,
                  20_000,
                  TimeUnit.MICROSECONDS));
          FakeConnection c = conns.get(i);
          tasks.add(
              model.scheduleAtFixedRate(
                  () -> {
                    c.sendRaw(Pcm.stampedOutputFrame(System.nanoTime(), MARK));
                    downSent.incrementAndGet();
                  },
                  i * 40_000L / n,
                  40_000,
                  TimeUnit.MICROSECONDS));
        }
        Thread.sleep(length.toMillis());
        tasks.forEach(t -> t.cancel(false));
        senders.shutdown();
        model.shutdown();
        senders.awaitTermination(5, TimeUnit.SECONDS);
        model.awaitTermination(5, TimeUnit.SECONDS);
        // Drain: everything sent should arrive within a couple of seconds.
        long deadline = System.currentTimeMillis() + 3_000;
        while ((upCount.get() < upSent.get() || sink.n.get() < downSent.get())
            && System.currentTimeMillis() < deadline) {
          Thread.sleep(20);
        }
      }
    } finally {
      senders.shutdownNow();
      model.shutdownNow();
    }
    System.gc();
    Thread.sleep(200);
    double heapLoaded = (usedHeap() - heap0) / 1024.0 / Math.max(1, peers.size());
    double startedPerSecond =
        (threads.getTotalStartedThreadCount() - started0) / (length.toMillis() / 1000.0);
    peers.forEach(Peers.Peer::close);
    Thread.sleep(500);
    server.recorder().clear();
    int up = Math.min(upCount.get(), upLat.length);
    int down = Math.min(sink.n.get(), sink.lat.length);
    return new Step(
        kind,
        n,
        connected,
        connectSeconds,
        heapPer,
        heapLoaded,
        threadsPer,
        startedPerSecond,
        (long) n * (length.toMillis() / 20),
        upSent.get(),
        upCount.get(),
        Stats.percentile(upLat, up, 50),
        Stats.percentile(upLat, up, 99),
        (long) n * (length.toMillis() / 40),
        downSent.get(),
        sink.n.get(),
        Stats.percentile(sink.lat, down, 50),
        Stats.percentile(sink.lat, down, 99),
        note);
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  /**
   * The library given a plain OkHttpClient (default Dispatcher, maxRequests 64): how many of 70
   * sessions connect? Every open WebSocket holds a dispatcher slot (SDK-GAPS Q7).
   */
  private String probeDefaultDispatcher() throws Exception {
    OkHttpClient plain =
        server.okHttpClient().newBuilder().dispatcher(new okhttp3.Dispatcher()).build();
    List<CompletableFuture<?>> futures = new ArrayList<>();
    List<Peers.LibraryPeer> open = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      futures.add(
          Peers.libraryBuilder(server, plain)
              .connectTimeout(Duration.ofSeconds(3))
              .connectAsync()
              .thenAccept(
                  s -> {
                    synchronized (open) {
                      open.add(new Peers.LibraryPeer(s));
                    }
                  }));
    }
    int ok = 0;
    String failure = "";
    for (var f : futures) {
      try {
        f.get(10, TimeUnit.SECONDS);
        ok++;
      } catch (Exception e) {
        failure = e.getCause() == null ? e.toString() : e.getCause().toString();
      }
    }
    synchronized (open) {
      open.forEach(Peers.Peer::close);
    }
    Thread.sleep(500);
    server.recorder().clear();
    return Stats.fmt(
        "%d of 70 library sessions connected through an OkHttpClient with the default Dispatcher"
            + " (maxRequests 64)%s",
        ok, ok < 70 ? "; the others failed with: " + failure.replace('|', '/') : "");
  }

  static String section(Result r) {
    StringBuilder sb = new StringBuilder();
    sb.append("## 3. Scale: concurrent duplex sessions at real-time pace\n\n");
    sb.append(
        Stats.fmt(
            "Per step: N sessions connect (16 at a time), then for %d s each sends a 20 ms / 16 kHz"
                + " chunk every 20 ms (4 scheduler threads for all sessions; the SDK chained for"
                + " order) while the fake model sends each a stamped 40 ms / 24 kHz audio frame"
                + " every 40 ms (FakeConnection.sendRaw from 2 scheduler threads). A step is"
                + " sustained when the clients keep the pace (at least 98 %% of the chunks due were"
                + " sent), nothing is lost either way and both p99 latencies are under 50 ms; a failing step is run once more, and stepping stops at the first step that fails twice (the table shows the first run of a twice-failed step). Heap and threads per session"
                + " are measured after connecting (after a GC), before traffic, and again after the traffic (after a GC, still connected; this includes what the fake server recorded, the same amount for every client). Raw OkHttp shows what"
                + " the harness itself allows (the fake server runs all sessions' protocol on one"
                + " thread). A p99 near 50 ms is at the mercy of GC pauses and scheduling on two"
                + " shared cores, so read the whole table (pace kept, loss, p50, heap, threads), not"
                + " only the largest sustained step. All"
                + " clients get an OkHttpClient with TCP_NODELAY (the SDK through"
                + " ClientOptions.customHttpClient) so that Nagle's algorithm, which puts every"
                + " default-socket p99 near the 40 ms delayed-ACK timer, does not decide the"
                + " comparison; the last rows show the library with default sockets.\n\n",
            STEP.toSeconds()));
    sb.append(
        "| client | sessions | sustained | connect all (s) | heap KiB / session idle | heap KiB /"
            + " session after traffic (incl. server recorder) | threads /"
            + " session | threads started / s | up: due / sent / received | up p50 / p99 (ms) |"
            + " down: due / sent / received | down p50 / p99 (ms) | note |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Step s : r.steps()) {
      sb.append(
          Stats.fmt(
              "| %s | %d | %s | %.1f | %.0f | %.0f | %.1f | %s | %d / %d / %d | %s / %s | %d / %d / %d |"
                  + " %s / %s |"
                  + " %s |\n",
              s.kind(),
              s.sessions(),
              s.sustained() ? "yes" : "**no**",
              s.connectSeconds(),
              s.heapKiBPerSession(),
              s.heapKiBPerSessionLoaded(),
              s.threadsPerSession(),
              Stats.num(s.threadsStartedPerSecond()),
              s.upExpected(),
              s.upSent(),
              s.upReceived(),
              Stats.ms(s.upP50()),
              Stats.ms(s.upP99()),
              s.downExpected(),
              s.downSent(),
              s.downReceived(),
              Stats.ms(s.downP50()),
              Stats.ms(s.downP99()),
              s.note().replace('|', '/')));
    }
    sb.append("\n");
    for (String kind : KINDS) {
      int best = 0;
      for (Step s : r.steps()) {
        if (s.kind().equals(kind) && s.sustained()) {
          best = Math.max(best, s.sessions());
        }
      }
      sb.append("- Largest sustained step, ")
          .append(kind)
          .append(": **")
          .append(best == 0 ? "none" : String.valueOf(best))
          .append("** sessions.\n");
    }
    sb.append("- Dispatcher probe: ").append(r.dispatcherProbe()).append(".\n\n");
    return sb.toString();
  }

  static int largest(Result r, String kind) {
    int best = 0;
    for (Step s : r.steps()) {
      if (s.kind().equals(kind) && s.sustained()) {
        best = Math.max(best, s.sessions());
      }
    }
    return best;
  }
}
