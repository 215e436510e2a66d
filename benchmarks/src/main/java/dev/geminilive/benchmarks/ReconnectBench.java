package dev.geminilive.benchmarks;

import com.google.genai.Client;
import dev.geminilive.ContextRestoration;
import dev.geminilive.LiveListener;
import dev.geminilive.ReconnectPolicy;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.FakeConnection;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.MessageKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;

/** Section 4: planned (goAway) and unplanned (drop) moves to a new connection vs a cold connect. */
final class ReconnectBench {
  static int CONNECTS = 15; // set per form by BenchmarkMain
  static int MOVES = 5; // set per form by BenchmarkMain

  /**
   * The default policy with a stable period the moves' connections reach (each is up at least 0.8 s
   * before the next move), so that every drop is of a healthy connection, as in a call.
   */
  static final ReconnectPolicy POLICY =
      ReconnectPolicy.defaults().withStablePeriod(Duration.ofMillis(500));

  record Move(
      long detectedNanos, long resumedNanos, long serverAudioGapNanos, int lost, int duplicated) {}

  record Result(
      List<Double> coldLibrary,
      List<Double> coldSdk,
      List<Double> coldOkHttp,
      List<Move> goAway,
      List<Move> drop,
      String restoration) {}

  private final FakeLiveServer server;

  ReconnectBench(FakeLiveServer server) {
    this.server = server;
  }

  Result run() throws Exception {
    OkHttpClient http = Peers.roomyClient(server);
    Client sdk = Peers.sdkClient(server, http);
    Peers.Sink none = new Peers.Sink() {};
    List<Double> lib = new ArrayList<>();
    List<Double> sdkTimes = new ArrayList<>();
    List<Double> ok = new ArrayList<>();
    for (int i = -3; i < CONNECTS; i++) {
      long t0 = System.nanoTime();
      Peers.Peer a = Peers.LibraryPeer.connect(server, http, none);
      long t1 = System.nanoTime();
      Peers.Peer b = SdkPeer.connect(sdk, none, false, false);
      long t2 = System.nanoTime();
      Peers.Peer c = OkHttpPeer.connect(server, http, none, false);
      long t3 = System.nanoTime();
      a.close();
      b.close();
      c.close();
      if (i >= 0) {
        lib.add((double) (t1 - t0));
        sdkTimes.add((double) (t2 - t1));
        ok.add((double) (t3 - t2));
      }
    }
    Thread.sleep(500);
    server.recorder().clear();
    List<Move> goAways = new ArrayList<>();
    List<Move> drops = new ArrayList<>();
    String restoration = moves(http, goAways, drops);
    return new Result(lib, sdkTimes, ok, goAways, drops, restoration);
  }

  /** One session streaming audio at real-time pace through goAways and drops. */
  private String moves(OkHttpClient http, List<Move> goAways, List<Move> drops) throws Exception {
    Semaphore turnDone = new Semaphore(0);
    Semaphore reconnected = new Semaphore(0);
    long[] detected = {0};
    long[] resumed = {0};
    List<String> restorations = new ArrayList<>();
    LiveListener listener =
        new LiveListener() {
          @Override
          public void onTurnComplete(ResilientLiveSession s, String reason) {
            turnDone.release();
          }

          @Override
          public void onReconnecting(ResilientLiveSession s, Reconnecting event) {
            synchronized (detected) {
              if (detected[0] == 0) {
                detected[0] = System.nanoTime();
              }
            }
          }

          @Override
          public void onReconnected(ResilientLiveSession s, ContextRestoration restoration) {
            resumed[0] = System.nanoTime();
            synchronized (restorations) {
              restorations.add(restoration.name());
            }
            reconnected.release();
          }
        };
    // arrival time and connection per sequence number, from the server tap
    Map<Integer, Long> arrival = new ConcurrentHashMap<>();
    Map<Integer, Integer> copies = new ConcurrentHashMap<>();
    long[] sentAt = new long[20_000];
    AtomicInteger seq = new AtomicInteger();
    ScheduledExecutorService mic = Executors.newSingleThreadScheduledExecutor();
    try (ServerTap tap =
            new ServerTap(
                server,
                (m, t) -> {
                  if (m.kind() == MessageKind.REALTIME_AUDIO) {
                    int s = Pcm.seqOf(m.audioBytes());
                    arrival.putIfAbsent(s, t);
                    copies.merge(s, 1, Integer::sum);
                  }
                });
        ResilientLiveSession session =
            Peers.libraryBuilder(server, http)
                .reconnectPolicy(POLICY)
                .listener(listener)
                .connect()) {
      mic.scheduleAtFixedRate(
          () -> {
            int s = seq.getAndIncrement();
            if (s < sentAt.length) {
              sentAt[s] = System.nanoTime();
              session.sendAudio(Pcm.inputChunk(3, s));
            }
          },
          0,
          20,
          TimeUnit.MILLISECONDS);
      for (int i = -1; i < 2 * MOVES; i++) {
        boolean goAway = i < 0 || i % 2 == 0;
        // A finished turn gives the session a fresh resumption handle and a natural pause.
        session.sendText("hello");
        turnDone.tryAcquire(10, TimeUnit.SECONDS);
        Thread.sleep(300);
        List<FakeConnection> conns = server.connections();
        FakeConnection current = conns.get(conns.size() - 1);
        synchronized (detected) {
          detected[0] = 0;
        }
        int fromSeq = seq.get();
        long t0 = System.nanoTime();
        if (goAway) {
          current.goAway(Duration.ofSeconds(10));
        } else {
          current.drop();
        }
        boolean ok = reconnected.tryAcquire(20, TimeUnit.SECONDS);
        long tResumed = resumed[0];
        long tDetected;
        synchronized (detected) {
          tDetected = detected[0];
        }
        Thread.sleep(500);
        int toSeq = seq.get();
        // The server-side gap: longest silence between consecutive audio arrivals in the window.
        List<Long> times = new ArrayList<>();
        int lost = 0;
        int dup = 0;
        for (int s = fromSeq - 10; s < toSeq - 10; s++) {
          Long t = arrival.get(s);
          if (t == null) {
            lost++;
          } else {
            times.add(t);
          }
          if (copies.getOrDefault(s, 0) > 1) {
            dup++;
          }
        }
        times.sort(Long::compare);
        long gap = 0;
        for (int k = 1; k < times.size(); k++) {
          gap = Math.max(gap, times.get(k) - times.get(k - 1));
        }
        Move m =
            new Move(tDetected == 0 ? -1 : tDetected - t0, ok ? tResumed - t0 : -1, gap, lost, dup);
        System.out.println("  " + (goAway ? "goAway " : "drop ") + m);
        if (i >= 0) {
          (goAway ? goAways : drops).add(m);
        }
      }
    } finally {
      mic.shutdownNow();
    }
    Thread.sleep(300);
    server.recorder().clear();
    synchronized (restorations) {
      return String.join(", ", restorations);
    }
  }

  private static List<Double> field(List<Move> moves, java.util.function.ToLongFunction<Move> f) {
    List<Double> out = new ArrayList<>();
    for (Move m : moves) {
      long v = f.applyAsLong(m);
      out.add(v < 0 ? Double.NaN : (double) v);
    }
    return out;
  }

  static String section(Result r) {
    double cold = Stats.median(r.coldLibrary());
    double coldSdk = Stats.median(r.coldSdk());
    StringBuilder sb = new StringBuilder();
    sb.append("## 4. Reconnect: goAway and abrupt drop vs a cold connect\n\n");
    sb.append(
        Stats.fmt(
            "Cold connect: %d connects each after 3 warm-up rounds (library `connect()`, SDK"
                + " `live.connect(...).get()`, raw OkHttp until setupComplete), medians. Moves: one"
                + " library session (default reconnect policy with a 0.5 s stable period: each"
                + " connection is up for at least 0.8 s before it is dropped, so every drop is of a"
                + " healthy connection, whose first attempt goes at once; with the default 10 s"
                + " each drop here would count as flapping) streams 20 ms chunks at real-time"
                + " pace; before each move a text turn completes (fresh resumption handle, natural"
                + " pause), then the server sends goAway (timeLeft 10 s) or drops the TCP"
                + " connection without a close frame. \"Detected\" = onReconnecting, \"resumed\" ="
                + " onReconnected, both from the fault; \"server audio gap\" = the longest silence"
                + " between consecutive input chunks arriving at the server around the move. %d"
                + " moves of each kind, medians (max).\n\n",
            CONNECTS, MOVES));
    sb.append(
        "| what | median (ms) | max (ms) | ratio to library cold connect | ratio to SDK cold connect |\n");
    sb.append("|---|---|---|---|---|\n");
    row(sb, "cold connect, library", r.coldLibrary(), cold, coldSdk);
    row(sb, "cold connect, raw SDK", r.coldSdk(), cold, coldSdk);
    row(sb, "cold connect, raw OkHttp", r.coldOkHttp(), cold, coldSdk);
    row(sb, "goAway → detected", field(r.goAway(), Move::detectedNanos), cold, coldSdk);
    row(sb, "goAway → resumed", field(r.goAway(), Move::resumedNanos), cold, coldSdk);
    row(
        sb,
        "goAway: server audio gap",
        field(r.goAway(), Move::serverAudioGapNanos),
        cold,
        coldSdk);
    row(sb, "drop → detected", field(r.drop(), Move::detectedNanos), cold, coldSdk);
    row(sb, "drop → resumed", field(r.drop(), Move::resumedNanos), cold, coldSdk);
    row(sb, "drop: server audio gap", field(r.drop(), Move::serverAudioGapNanos), cold, coldSdk);
    int lostG = r.goAway().stream().mapToInt(Move::lost).sum();
    int dupG = r.goAway().stream().mapToInt(Move::duplicated).sum();
    int lostD = r.drop().stream().mapToInt(Move::lost).sum();
    int dupD = r.drop().stream().mapToInt(Move::duplicated).sum();
    sb.append(
        Stats.fmt(
            "\nInput chunks never received across all moves: goAway %d, drop %d; received more"
                + " than once (replayed): goAway %d, drop %d. Context after each move: %s. The raw"
                + " SDK has no reconnect: after a goAway or drop its session is silently dead"
                + " (SDK-GAPS Q4), so its only \"gap\" is an application-level cold connect plus"
                + " whatever the application takes to notice.\n\n",
            lostG, lostD, dupG, dupD, r.restoration()));
    return sb.toString();
  }

  private static void row(StringBuilder sb, String what, List<Double> v, double cold, double sdk) {
    double med = Stats.median(v);
    sb.append(
        Stats.fmt(
            "| %s | %s | %s | %s | %s |\n",
            what,
            Stats.ms(med),
            Stats.ms(Stats.max(v)),
            Stats.ratio(med, cold),
            Stats.ratio(med, sdk)));
  }

  static String headline(Result r) {
    return Stats.fmt(
        "Reconnect: goAway → resumed %s ms, drop → resumed %s ms (detected after %s ms), vs cold"
            + " connect %s ms (library) / %s ms (SDK); longest server-side input gap %s ms"
            + " (goAway) / %s ms (drop).",
        Stats.ms(Stats.median(field(r.goAway(), Move::resumedNanos))),
        Stats.ms(Stats.median(field(r.drop(), Move::resumedNanos))),
        Stats.ms(Stats.median(field(r.drop(), Move::detectedNanos))),
        Stats.ms(Stats.median(r.coldLibrary())),
        Stats.ms(Stats.median(r.coldSdk())),
        Stats.ms(Stats.median(field(r.goAway(), Move::serverAudioGapNanos))),
        Stats.ms(Stats.median(field(r.drop(), Move::serverAudioGapNanos))));
  }
}
