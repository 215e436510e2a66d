package dev.geminilive.benchmarks;

import dev.geminilive.Transport;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The CPU one audio chunk's send call costs on the caller's thread, and in the whole client
 * process, for the library on {@link Transport#JDK} against raw {@code java.net.http}: the focused
 * measure behind the sessions row's send split. Both kinds hold the same number of sessions to the
 * load server (its own process, so its CPU is not counted); rounds alternate the kinds in a
 * rotating order; each round one thread sends at the scale section's pace (every session a 20 ms
 * chunk every 20 ms, due times spread over the period) and takes its own CPU time, its allocated
 * bytes and the process's CPU time per chunk. Wall-clock time is not compared, so other load on the
 * machine touches the figures only through caches and frequency.
 *
 * <p>Run: {@code java -cp ... dev.geminilive.benchmarks.SendCostBench [sessions] [rounds] [seconds]
 * [duplex]}.
 */
final class SendCostBench {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private SendCostBench() {}

  /** One round's figures per chunk. */
  record Round(
      String kind,
      double callerMicros,
      double callerUserMicros,
      double processMicros,
      double allocatedBytes) {}

  public static void main(String[] args) throws Exception {
    int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 3;
    // With "duplex", the server streams 40 ms chunks to every session throughout, as in the scale
    // section, so the send path meets the receive side's use of the same locks.
    boolean duplex = args.length > 3 && args[3].equals("duplex");
    List<String> kinds =
        List.of(System.getProperty("bench.sendcost.kinds", "library-jdk,jdk").split(","));
    Map<String, List<Round>> byKind = new LinkedHashMap<>();
    try (LoadServerProcess server =
        LoadServerProcess.start(false, Path.of(System.getProperty("java.io.tmpdir")))) {
      Peers.Target target = server.target();
      java.net.http.HttpClient jdk = JdkPeer.client(target);
      Peers.Sink sink = new Peers.Sink() {};
      Map<String, List<Peers.Peer>> peers = new LinkedHashMap<>();
      for (String kind : kinds) {
        List<CompletableFuture<? extends Peers.Peer>> futures = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
          futures.add(
              kind.equals(ScaleBench.JDK)
                  ? JdkPeer.connectAsync(jdk, target, sink)
                  : Peers.LibraryPeer.connectAsync(target, sink, Transport.JDK));
        }
        List<Peers.Peer> list = new ArrayList<>();
        for (var f : futures) {
          list.add(f.get(60, TimeUnit.SECONDS));
        }
        peers.put(kind, list);
        byKind.put(kind, new ArrayList<>());
      }
      server.awaitSessions(sessions * kinds.size(), Duration.ofSeconds(30));
      if (duplex) {
        long millis = (long) ((kinds.size() * (rounds * seconds + 2) + 10) * 1000);
        server.command("start " + millis);
      }
      // Warm-up: each kind's code paths compiled before anything counts.
      for (String kind : kinds) {
        round(kind, peers.get(kind), 2);
      }
      for (int r = 0; r < rounds; r++) {
        for (int k = 0; k < kinds.size(); k++) {
          String kind = kinds.get((r + k) % kinds.size());
          Round x = round(kind, peers.get(kind), seconds);
          byKind.get(kind).add(x);
          System.out.printf(
              "round %d %-12s caller %6.2f us (user %5.2f)  process %6.2f us  alloc %5.0f B  per chunk%n",
              r,
              kind,
              x.callerMicros(),
              x.callerUserMicros(),
              x.processMicros(),
              x.allocatedBytes());
        }
      }
      for (List<Peers.Peer> list : peers.values()) {
        list.forEach(Peers.Peer::close);
      }
    }
    System.out.println();
    for (var e : byKind.entrySet()) {
      List<Round> rs = e.getValue();
      System.out.printf(
          "%-12s median caller %6.2f us [%6.2f..%6.2f], user %5.2f [%5.2f..%5.2f]  process %6.2f us"
              + " [%6.2f..%6.2f]  alloc %5.0f B%n",
          e.getKey(),
          median(rs, Round::callerMicros),
          min(rs, Round::callerMicros),
          max(rs, Round::callerMicros),
          median(rs, Round::callerUserMicros),
          min(rs, Round::callerUserMicros),
          max(rs, Round::callerUserMicros),
          median(rs, Round::processMicros),
          min(rs, Round::processMicros),
          max(rs, Round::processMicros),
          median(rs, Round::allocatedBytes));
    }
    List<Round> lib = byKind.get(ScaleBench.LIBRARY_JDK);
    List<Round> raw = byKind.get(ScaleBench.JDK);
    if (lib == null || raw == null) {
      return;
    }
    List<Double> callerRatio = new ArrayList<>();
    List<Double> userRatio = new ArrayList<>();
    List<Double> processRatio = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      callerRatio.add(lib.get(r).callerMicros() / raw.get(r).callerMicros());
      userRatio.add(lib.get(r).callerUserMicros() / raw.get(r).callerUserMicros());
      processRatio.add(lib.get(r).processMicros() / raw.get(r).processMicros());
    }
    System.out.printf(
        "library/raw per round: caller median %.2f [%.2f..%.2f], user %.2f [%.2f..%.2f], process"
            + " %.2f [%.2f..%.2f]%n",
        Stats.median(callerRatio),
        callerRatio.stream().mapToDouble(d -> d).min().orElse(0),
        callerRatio.stream().mapToDouble(d -> d).max().orElse(0),
        Stats.median(userRatio),
        userRatio.stream().mapToDouble(d -> d).min().orElse(0),
        userRatio.stream().mapToDouble(d -> d).max().orElse(0),
        Stats.median(processRatio),
        processRatio.stream().mapToDouble(d -> d).min().orElse(0),
        processRatio.stream().mapToDouble(d -> d).max().orElse(0));
  }

  /**
   * Sends for {@code seconds} at the real-time pace of {@code peers} from this thread: session
   * {@code i}'s chunks are due every 20 ms from {@code i * 20 ms / n}, sent at the first 1 ms tick
   * at or after.
   */
  private static Round round(String kind, List<Peers.Peer> peers, double seconds) {
    int n = peers.size();
    int perSession = (int) (seconds * 50);
    int[] next = new int[n];
    long t0 = System.nanoTime() + 1_000_000L;
    long sent = 0;
    long cpu0 = THREADS.getCurrentThreadCpuTime();
    long user0 = THREADS.getCurrentThreadUserTime();
    long alloc0 = THREADS.getCurrentThreadAllocatedBytes();
    long proc0 = OS.getProcessCpuTime();
    for (long tick = t0; ; tick += 1_000_000L) {
      long now = System.nanoTime();
      if (now < tick) {
        LockSupport.parkNanos(tick - now);
        now = System.nanoTime();
      }
      boolean pending = false;
      for (int i = 0; i < n; i++) {
        long origin = t0 + i * 20_000_000L / n;
        while (next[i] < perSession && origin + next[i] * 20_000_000L <= now) {
          peers.get(i).sendAudio(Pcm.loadChunk(now, i, next[i]++));
          sent++;
        }
        pending |= next[i] < perSession;
      }
      if (!pending) {
        break;
      }
    }
    long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
    long user = THREADS.getCurrentThreadUserTime() - user0;
    long alloc = THREADS.getCurrentThreadAllocatedBytes() - alloc0;
    // The writes the last sends started finish on the client's threads: let them land.
    LockSupport.parkNanos(50_000_000L);
    long proc = OS.getProcessCpuTime() - proc0;
    return new Round(
        kind, cpu / 1e3 / sent, user / 1e3 / sent, proc / 1e3 / sent, (double) alloc / sent);
  }

  private static double median(List<Round> rs, java.util.function.ToDoubleFunction<Round> f) {
    return Stats.median(rs.stream().map(f::applyAsDouble).toList());
  }

  private static double min(List<Round> rs, java.util.function.ToDoubleFunction<Round> f) {
    return rs.stream().mapToDouble(f).min().orElse(0);
  }

  private static double max(List<Round> rs, java.util.function.ToDoubleFunction<Round> f) {
    return rs.stream().mapToDouble(f).max().orElse(0);
  }
}
