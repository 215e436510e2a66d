package dev.geminilive.benchmarks;

import com.google.genai.Client;
import dev.geminilive.Transport;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Section 3: many concurrent duplex sessions at real-time pace against the {@link LoadServer} in
 * its own process. Each client kind steps through the session counts until a step fails twice.
 */
final class ScaleBench {
  static final long P99_LIMIT_NANOS = 50_000_000;
  static final int SENDER_THREADS = 2;
  static final int CONNECTS_IN_FLIGHT = 32;

  static final String OKHTTP = "okhttp";
  static final String JDK = "jdk";
  static final String LIBRARY = "library";

  /**
   * The library on {@code Transport.JDK} (plain loopback only: it trusts the JVM's trust store).
   */
  static final String LIBRARY_JDK = "library-jdk";

  static final String SDK = "sdk";

  /** The plan of one form. */
  record Params(int[] steps, Duration step, List<String> kinds, boolean tls) {
    static Params of(Form form, boolean tls) {
      return form.full()
          ? new Params(
              new int[] {100, 250, 500, 750, 1000, 1500, 2000},
              Duration.ofSeconds(20),
              List.of(OKHTTP, JDK, LIBRARY, LIBRARY_JDK),
              tls)
          : new Params(new int[] {100, 500}, Duration.ofSeconds(3), List.of(OKHTTP, LIBRARY), tls);
    }

    /** A rough length in seconds, for the progress estimate. */
    double estimateSeconds() {
      double perStep = step.toSeconds() + 8;
      return kinds.size() * 4 * perStep + 20;
    }
  }

  record Step(
      String kind,
      int sessions,
      boolean connected,
      double connectSeconds,
      double heapKiBIdle,
      double heapKiBLoaded,
      double threadsPerSession,
      double threadsPerSessionLoaded,
      double threadsStartedPerSecond,
      long upDue,
      long upSent,
      long upReceived,
      long upOutOfOrder,
      double upP50,
      double upP99,
      double upP999,
      double sendLateP99,
      long upLate,
      long downDue,
      long downSent,
      long downReceived,
      double downP50,
      double downP99,
      double downP999,
      double clientCores,
      double serverCores,
      long gcCount,
      long gcMillis,
      String load,
      String note) {
    Step withNote(String more) {
      return new Step(
          kind,
          sessions,
          connected,
          connectSeconds,
          heapKiBIdle,
          heapKiBLoaded,
          threadsPerSession,
          threadsPerSessionLoaded,
          threadsStartedPerSecond,
          upDue,
          upSent,
          upReceived,
          upOutOfOrder,
          upP50,
          upP99,
          upP999,
          sendLateP99,
          upLate,
          downDue,
          downSent,
          downReceived,
          downP50,
          downP99,
          downP999,
          clientCores,
          serverCores,
          gcCount,
          gcMillis,
          load,
          note.isEmpty() ? more : note + "; " + more);
    }

    boolean sustained() {
      // The pace must be kept too: a client whose sends fall behind the 20 ms clock fails.
      return connected
          && paceKept()
          && upSent == upReceived
          && downSent == downReceived
          && upOutOfOrder == 0
          && upP99 < P99_LIMIT_NANOS
          && downP99 < P99_LIMIT_NANOS;
    }

    /** At least 98 % of the chunks went out within one period (20 ms up, 40 ms down) of due. */
    boolean paceKept() {
      return upSent == upDue && upLate <= upDue * 0.02 && downSent >= downDue * 0.98;
    }

    String failure() {
      List<String> why = new ArrayList<>();
      if (!connected) {
        why.add("not all connected");
      }
      if (!paceKept()) {
        why.add("pace not kept");
      }
      if (upSent != upReceived || downSent != downReceived) {
        why.add("lost frames");
      }
      if (upOutOfOrder > 0) {
        why.add("reordered");
      }
      if (upP99 >= P99_LIMIT_NANOS) {
        why.add("up p99 ≥ 50 ms");
      }
      if (downP99 >= P99_LIMIT_NANOS) {
        why.add("down p99 ≥ 50 ms");
      }
      return String.join(", ", why);
    }
  }

  record Result(Params params, List<Step> steps, String dispatcherProbe, String clock) {}

  private final Params params;
  private final Progress progress;
  private final Path workDir;

  ScaleBench(Params params, Progress progress, Path workDir) {
    this.params = params;
    this.progress = progress;
    this.workDir = workDir;
  }

  Result run() throws Exception {
    List<Step> steps = new ArrayList<>();
    String probe;
    String clock;
    try (LoadServerProcess server = LoadServerProcess.start(params.tls(), workDir)) {
      clock = clockCheck(server);
      progress.note("load server pid " + server.pid() + "; " + clock);
      int planned = params.kinds().size() * params.steps().length;
      int done = 0;
      for (String kind : params.kinds()) {
        // A small discarded step first, so the JIT is warm for this client's code paths.
        progress.step(kind + ": warm-up", ++done, planned + params.kinds().size());
        progress.note("warm-up " + step(server, kind, 50, Duration.ofSeconds(2)));
        for (int n : params.steps()) {
          progress.step(kind + ": " + n + " sessions", ++done, planned + params.kinds().size());
          Step s = step(server, kind, n, params.step());
          progress.note(brief(s));
          if (!s.sustained()) {
            // One run on a shared 2-core machine is noisy: a step fails only if a rerun fails.
            Step again = step(server, kind, n, params.step());
            progress.note("rerun " + brief(again));
            s =
                again.sustained()
                    ? again.withNote("failed once (" + s.failure() + "), passed on rerun")
                    : s.withNote("failed twice: " + s.failure() + " / " + again.failure());
          }
          steps.add(s);
          if (!s.sustained()) {
            break;
          }
        }
      }
      probe = probeDefaultDispatcher(server);
    }
    return new Result(params, steps, probe, clock);
  }

  private static String brief(Step s) {
    return Stats.fmt(
        "%s %d: %s; up p99 %s ms, down p99 %s ms, send lateness p99 %s ms (%d late), lost %d/%d,"
            + " client %.2f / server %.2f cores, %.2f / %.2f threads (idle / loaded) and %.0f KiB"
            + " per session",
        s.kind(),
        s.sessions(),
        s.sustained() ? "sustained" : "FAILED (" + s.failure() + ")",
        Stats.ms(s.upP99()),
        Stats.ms(s.downP99()),
        Stats.ms(s.sendLateP99()),
        s.upLate(),
        s.upSent() - s.upReceived(),
        s.downSent() - s.downReceived(),
        s.clientCores(),
        s.serverCores(),
        s.threadsPerSession(),
        s.threadsPerSessionLoaded(),
        s.heapKiBIdle());
  }

  /** Whether the child's System.nanoTime() is this process's clock (it is on Linux). */
  private static String clockCheck(LoadServerProcess server) throws Exception {
    double worst = 0;
    for (int i = 0; i < 20; i++) {
      long before = System.nanoTime();
      long theirs = Long.parseLong(server.command("clock"));
      long after = System.nanoTime();
      double offset = theirs - (before + after) / 2.0;
      double bound = (after - before) / 2.0 + Math.abs(offset);
      worst = i == 0 ? bound : Math.min(worst, bound);
    }
    return Stats.fmt(
        "the load server's System.nanoTime() agrees with the clients' within %.0f µs (best of 20"
            + " round trips)",
        worst / 1e3);
  }

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

  private Step step(LoadServerProcess server, String kind, int n, Duration length)
      throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Peers.Target target = server.target();
    OkHttpClient http = Peers.noDelayClient(target);
    Client sdk = kind.equals(SDK) ? Peers.sdkClient(target, http) : null;
    java.net.http.HttpClient jdk = kind.equals(JDK) ? JdkPeer.client(target) : null;
    int perSessionUp = (int) (length.toMillis() / 20);
    int perSessionDown = (int) (length.toMillis() / 40) + 10;
    Sink sink = new Sink(n * perSessionDown);
    long[] late = new long[n * perSessionUp];
    AtomicInteger lateCount = new AtomicInteger();
    gc();
    long heap0 = usedHeap();
    Set<Thread> threads0 = ThreadCensus.snapshot();
    String load = loadAverage();
    List<Peers.Peer> peers = new ArrayList<>();
    Semaphore inFlight = new Semaphore(CONNECTS_IN_FLIGHT);
    List<CompletableFuture<? extends Peers.Peer>> futures = new ArrayList<>();
    long c0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      inFlight.acquire();
      CompletableFuture<? extends Peers.Peer> f =
          switch (kind) {
            case LIBRARY -> Peers.LibraryPeer.connectAsync(target, sink);
            case LIBRARY_JDK -> Peers.LibraryPeer.connectAsync(target, sink, Transport.JDK);
            case SDK -> Peers.SdkPeer.connectAsync(sdk, sink, true, false);
            case JDK -> JdkPeer.connectAsync(jdk, target, sink);
            default ->
                CompletableFuture.supplyAsync(
                    () -> {
                      try {
                        return Peers.OkHttpPeer.connect(target, http, sink, false);
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
    gc();
    double heapIdle = (usedHeap() - heap0) / 1024.0 / Math.max(1, peers.size());
    // Idle: connected, setups answered, after a GC; nothing in flight.
    ThreadCensus idleThreads = ThreadCensus.since(threads0, peers.size());
    AtomicLong upSent = new AtomicLong();
    long started0 = threads.getTotalStartedThreadCount();
    Map<String, Long> before = server.stats();
    long cpu0 = processCpuNanos();
    long[] gc0 = gcTotals();
    long w0 = System.nanoTime();
    if (connected) {
      server.command("start " + length.toMillis());
      long t0 = System.nanoTime();
      w0 = t0;
      List<Thread> pacers = new ArrayList<>();
      for (int t = 0; t < SENDER_THREADS; t++) {
        int first = t;
        Thread pacer =
            new Thread(
                () -> pace(peers, first, SENDER_THREADS, t0, perSessionUp, upSent, late, lateCount),
                "bench-pacer-" + t);
        pacer.setDaemon(true);
        pacer.start();
        pacers.add(pacer);
      }
      for (Thread pacer : pacers) {
        pacer.join();
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
    long cpu1 = processCpuNanos();
    long[] gc1 = gcTotals();
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
    gc();
    double heapLoaded = (usedHeap() - heap0) / 1024.0 / Math.max(1, peers.size());
    double startedPerSecond = (threads.getTotalStartedThreadCount() - started0) / window;
    peers.forEach(Peers.Peer::close);
    awaitSessions(server, 0);
    int down = Math.min(sink.n.get(), sink.lat.length);
    int lates = Math.min(lateCount.get(), late.length);
    return new Step(
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

  /**
   * Sends the audio of sessions {@code first, first + stride, ...}: session {@code i}'s chunk
   * {@code s} is due at {@code t0 + i * 20 ms / n + s * 20 ms} and is sent at the first tick (one
   * per millisecond) at or after that time, stamped when sent. One thread wakes a thousand times a
   * second for all its sessions, as an audio pump of a gateway would, instead of once per chunk.
   */
  private static void pace(
      List<Peers.Peer> peers,
      int first,
      int stride,
      long t0,
      int perSession,
      AtomicLong upSent,
      long[] late,
      AtomicInteger lateCount) {
    int n = peers.size();
    int[] next = new int[n];
    long end = t0 + perSession * 20_000_000L + 20_000_000L;
    for (long tick = t0; ; tick += 1_000_000L) {
      long now = System.nanoTime();
      if (now < tick) {
        java.util.concurrent.locks.LockSupport.parkNanos(tick - now);
        now = System.nanoTime();
      }
      boolean pending = false;
      for (int i = first; i < n; i += stride) {
        long origin = t0 + i * 20_000_000L / n;
        while (next[i] < perSession && origin + next[i] * 20_000_000L <= now) {
          int s = next[i]++;
          int k = lateCount.getAndIncrement();
          if (k < late.length) {
            late[k] = now - (origin + s * 20_000_000L);
          }
          peers.get(i).sendAudio(Pcm.loadChunk(now, i, s));
          upSent.incrementAndGet();
          now = System.nanoTime();
        }
        pending |= next[i] < perSession;
      }
      if (!pending || now > end + 5_000_000_000L) {
        return;
      }
    }
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

  static void gc() throws InterruptedException {
    System.gc();
    Thread.sleep(100);
    System.gc();
    Thread.sleep(100);
  }

  static long usedHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static long processCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }

  private static long[] gcTotals() {
    long count = 0;
    long millis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, gc.getCollectionCount());
      millis += Math.max(0, gc.getCollectionTime());
    }
    return new long[] {count, millis};
  }

  /** The 1-minute load average, from /proc (Linux), or "n/a". */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      return "n/a";
    }
  }

  /**
   * The library given a plain OkHttpClient (default Dispatcher, maxRequests 64): how many of 70
   * sessions connect? Every open WebSocket holds a dispatcher slot (SDK-GAPS Q7).
   */
  private static String probeDefaultDispatcher(LoadServerProcess server) throws Exception {
    OkHttpClient plain =
        server.target().http().newBuilder().dispatcher(new okhttp3.Dispatcher()).build();
    List<CompletableFuture<?>> futures = new ArrayList<>();
    List<Peers.LibraryPeer> open = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      futures.add(
          Peers.libraryBuilder(server.target())
              .httpClient(plain)
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
    awaitSessions(server, 0);
    return Stats.fmt(
        "%d of 70 library sessions connected through an OkHttpClient with the default Dispatcher"
            + " (maxRequests 64)%s",
        ok, ok < 70 ? "; the others failed with: " + failure.replace('|', '/') : "");
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

  /** The step of {@code kind} with {@code sessions}, or null. */
  static Step find(Result r, String kind, int sessions) {
    for (Step s : r.steps()) {
      if (s.kind().equals(kind) && s.sessions() == sessions) {
        return s;
      }
    }
    return null;
  }
}
