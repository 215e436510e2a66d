package dev.geminilive.benchmarks;

import dev.geminilive.Transport;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one downlink frame costs the client process in CPU time and in thread switches, for the
 * library on {@link Transport#JDK} against raw {@code java.net.http}, in the scale section's duplex
 * traffic: the measure behind the sessions row's "where do the extra core and the extra runnable
 * threads go". Each round connects {@code sessions} of one kind to the load server (its own
 * process, so its CPU is not counted), streams a 40 ms frame to every session every 40 ms while the
 * scale section's pacer sends each session a 20 ms chunk every 20 ms, and reads, over the traffic
 * only: the process's CPU time, each thread group's CPU time, and each group's voluntary context
 * switches (a thread that parked and was woken) and involuntary ones (a thread preempted), all per
 * 1,000 downlink frames delivered (each with its two uplink chunks). Rounds alternate the kinds in
 * a rotating order after a warm-up round of each; medians and ranges are printed per kind.
 *
 * <p>A thread is counted in the group of the name it had when the round began (the first 15
 * characters, which is what the OS keeps): the library's workers carry a session's name during a
 * turn, and would otherwise be counted wherever they happened to be at the end. A thread that ends
 * during a round (a pool's idle thread reaching its keep-alive) takes its CPU time to {@value
 * CpuSplit#OTHER} and its switches with it; the pacers' CPU time is read before they end.
 *
 * <p>CPU time and switch counts, not wall-clock time, so other load on the machine touches the
 * figures only through caches, frequency and preemption (involuntary switches show the latter).
 * Linux only for the switches ({@code /proc/self/task/<tid>/status}); CPU time anywhere.
 *
 * <p>Run: {@code java -cp ... dev.geminilive.benchmarks.FrameCostBench [sessions] [rounds]
 * [seconds] [kinds]} (defaults 300, 4, 8, {@code library-jdk,jdk}).
 */
final class FrameCostBench {
  private static final java.lang.management.ThreadMXBean THREADS =
      ManagementFactory.getThreadMXBean();

  private FrameCostBench() {}

  /**
   * One round's figures.
   *
   * @param cpuMicros the process's CPU time per frame, in µs
   * @param groupMicros each thread group's CPU time per frame, in µs
   * @param voluntary each group's voluntary context switches per 1,000 frames
   * @param involuntary each group's involuntary context switches per 1,000 frames
   * @param frames the downlink frames delivered during the traffic
   * @param load the load average when the round began
   */
  record Round(
      String kind,
      double cpuMicros,
      Map<String, Double> groupMicros,
      Map<String, Double> voluntary,
      Map<String, Double> involuntary,
      long frames,
      String load) {}

  /** Counts the audio parts delivered. */
  private static final class Count implements Peers.Sink {
    final AtomicLong audio = new AtomicLong();

    @Override
    public void onAudio(byte[] pcm) {
      audio.incrementAndGet();
    }
  }

  public static void main(String[] args) throws Exception {
    int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    long seconds = args.length > 2 ? Long.parseLong(args[2]) : 8;
    List<String> kinds =
        List.of(
            (args.length > 3 ? args[3] : ScaleBench.LIBRARY_JDK + "," + ScaleBench.JDK).split(","));
    Map<String, List<Round>> byKind = new LinkedHashMap<>();
    try (LoadServerProcess server =
        LoadServerProcess.start(false, Path.of(System.getProperty("java.io.tmpdir")))) {
      for (String kind : kinds) {
        round(server, kind, sessions, 3);
        byKind.put(kind, new ArrayList<>());
      }
      for (int r = 0; r < rounds; r++) {
        for (int k = 0; k < kinds.size(); k++) {
          String kind = kinds.get((r + k) % kinds.size());
          Round x = round(server, kind, sessions, seconds);
          byKind.get(kind).add(x);
          System.out.printf(
              "round %d %-12s %6.2f us per frame (%d frames, load %s)%n  cpu us/frame %s%n"
                  + "  voluntary switches /1000 frames %s%n  involuntary /1000 frames %s%n",
              r,
              kind,
              x.cpuMicros(),
              x.frames(),
              x.load(),
              brief(x.groupMicros()),
              brief(x.voluntary()),
              brief(x.involuntary()));
        }
      }
    }
    System.out.println();
    for (var e : byKind.entrySet()) {
      List<Round> rs = e.getValue();
      System.out.printf(
          "%-12s process %s us per frame over %d rounds%n",
          e.getKey(), spread(rs.stream().map(Round::cpuMicros).toList()), rs.size());
      TreeSet<String> groups = new TreeSet<>();
      rs.forEach(x -> groups.addAll(x.groupMicros().keySet()));
      rs.forEach(x -> groups.addAll(x.voluntary().keySet()));
      for (String g : groups) {
        List<Double> cpu = rs.stream().map(x -> x.groupMicros().getOrDefault(g, 0.0)).toList();
        List<Double> vol = rs.stream().map(x -> x.voluntary().getOrDefault(g, 0.0)).toList();
        List<Double> inv = rs.stream().map(x -> x.involuntary().getOrDefault(g, 0.0)).toList();
        if (Stats.median(cpu) < 0.05 && Stats.median(vol) < 1 && Stats.median(inv) < 1) {
          continue;
        }
        System.out.printf(
            "  %-34s cpu %s us  voluntary %s  involuntary %s /1000 frames%n",
            g, spread(cpu), spread(vol), spread(inv));
      }
    }
    // The SDK's and OkHttp's threads are not all daemons.
    System.exit(0);
  }

  private static Round round(LoadServerProcess server, String kind, int n, long seconds)
      throws Exception {
    Peers.Target target = server.target();
    java.net.http.HttpClient jdk = kind.equals(ScaleBench.JDK) ? JdkPeer.client(target) : null;
    Count sink = new Count();
    List<CompletableFuture<? extends Peers.Peer>> futures = new ArrayList<>();
    Semaphore inFlight = new Semaphore(ScaleBench.CONNECTS_IN_FLIGHT);
    for (int i = 0; i < n; i++) {
      inFlight.acquire();
      CompletableFuture<? extends Peers.Peer> f =
          jdk != null
              ? JdkPeer.connectAsync(jdk, target, sink)
              : Peers.LibraryPeer.connectAsync(target, sink, Transport.JDK);
      f.whenComplete((p, e) -> inFlight.release());
      futures.add(f);
    }
    List<Peers.Peer> peers = new ArrayList<>();
    for (var f : futures) {
      peers.add(f.get(60, TimeUnit.SECONDS));
    }
    server.awaitSessions(n, Duration.ofSeconds(30));
    JvmReadings.gc();
    int perSessionUp = (int) (seconds * 1000 / 20);
    String load = JvmReadings.loadAverage();
    Map<Long, String> groupOfThread = new HashMap<>();
    Map<Long, Long> cpuStart = new HashMap<>();
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info != null) {
        groupOfThread.put(info.getThreadId(), group(info.getThreadName()));
        cpuStart.put(info.getThreadId(), THREADS.getThreadCpuTime(info.getThreadId()));
      }
    }
    Map<String, Task> switchesStart = switches();
    long frames0 = sink.audio.get();
    long process0 = JvmReadings.processCpuNanos();
    long wall0 = System.nanoTime();
    server.command("start " + seconds * 1000);
    long t0 = System.nanoTime();
    // The pacers end before this returns: their CPU time is taken from the window it returns.
    CpuSplit.Window window =
        AudioPacer.paceOnThreads(
            peers,
            t0,
            perSessionUp,
            new AtomicLong(),
            new long[n * perSessionUp],
            new AtomicInteger(),
            CpuSplit.begin());
    long wall = System.nanoTime() - wall0;
    long process = JvmReadings.processCpuNanos() - process0;
    long frames = Math.max(1, sink.audio.get() - frames0);
    Map<String, Task> switchesEnd = switches();
    Map<String, Long> cpuByGroup = new TreeMap<>();
    long counted = 0;
    for (long id : THREADS.getAllThreadIds()) {
      long cpu = THREADS.getThreadCpuTime(id);
      ThreadInfo info = THREADS.getThreadInfo(id);
      if (cpu < 0 || info == null) {
        continue;
      }
      long used = cpu - cpuStart.getOrDefault(id, 0L);
      if (used > 0) {
        String g = groupOfThread.getOrDefault(id, group(info.getThreadName()));
        cpuByGroup.merge(g, used, Long::sum);
        counted += used;
      }
    }
    for (var e : window.cores().entrySet()) {
      if (e.getKey().startsWith("bench-pacer")) {
        long pacers = (long) (e.getValue() * wall);
        cpuByGroup.merge(group(e.getKey()), pacers, Long::sum);
        counted += pacers;
      }
    }
    cpuByGroup.put(CpuSplit.OTHER, Math.max(0, process - counted));
    Map<String, Double> groupMicros = new TreeMap<>();
    cpuByGroup.forEach((g, ns) -> groupMicros.put(g, ns / 1e3 / frames));
    Map<String, Double> voluntary = new TreeMap<>();
    Map<String, Double> involuntary = new TreeMap<>();
    for (var e : switchesEnd.entrySet()) {
      Task before = switchesStart.get(e.getKey());
      Task after = e.getValue();
      String g = group(before != null ? before.name() : after.name());
      long v = after.voluntary() - (before == null ? 0 : before.voluntary());
      long i = after.involuntary() - (before == null ? 0 : before.involuntary());
      voluntary.merge(g, v * 1000.0 / frames, Double::sum);
      involuntary.merge(g, i * 1000.0 / frames, Double::sum);
    }
    // Let the last frames land, then close before the next round connects.
    long until = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < until && server.stats().get("downSent") > sink.audio.get()) {
      Thread.sleep(50);
    }
    peers.forEach(Peers.Peer::close);
    server.awaitSessions(0, Duration.ofSeconds(30));
    return new Round(
        kind, process / 1e3 / frames, groupMicros, voluntary, involuntary, frames, load);
  }

  /**
   * Each task's name and its voluntary and involuntary context switches so far, keyed by task id,
   * from {@code /proc/self/task} (empty off Linux).
   */
  private static Map<String, Task> switches() {
    Map<String, Task> byTask = new HashMap<>();
    java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
    if (tasks == null) {
      return byTask;
    }
    for (java.io.File task : tasks) {
      try {
        String comm = Files.readString(task.toPath().resolve("comm")).trim();
        long voluntary = 0;
        long involuntary = 0;
        for (String line : Files.readAllLines(task.toPath().resolve("status"))) {
          if (line.startsWith("voluntary_ctxt_switches:")) {
            voluntary = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
          } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
            involuntary = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
          }
        }
        byTask.put(task.getName(), new Task(comm, voluntary, involuntary));
      } catch (IOException | RuntimeException e) {
        // the thread ended while being read
      }
    }
    return byTask;
  }

  /** One task's name (as the OS has it) and its context switches. */
  private record Task(String name, long voluntary, long involuntary) {}

  /**
   * The group of a thread named {@code name}: the OS keeps the first 15 characters of a Java
   * thread's name, so both the CPU time and the switches are grouped by those, numbers taken out.
   */
  static String group(String name) {
    String cut = name.length() > 15 ? name.substring(0, 15) : name;
    return CpuSplit.group(cut).replaceAll("-+$", "");
  }

  private static String brief(Map<String, Double> m) {
    StringBuilder sb = new StringBuilder();
    m.entrySet().stream()
        .filter(e -> e.getValue() >= 0.05)
        .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
        .forEach(e -> sb.append(Stats.fmt("%s %.2f, ", e.getKey(), e.getValue())));
    return sb.length() == 0 ? "-" : sb.substring(0, sb.length() - 2);
  }

  private static String spread(List<Double> values) {
    double min = values.stream().mapToDouble(d -> d).min().orElse(0);
    double max = values.stream().mapToDouble(d -> d).max().orElse(0);
    return Stats.fmt("%.2f [%.2f..%.2f]", Stats.median(values), min, max);
  }
}
