package dev.geminilive.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
  static final String NETTY = "netty";

  /** The plan of one form. */
  record Params(int[] steps, Duration step, List<String> kinds, boolean tls) {
    static Params of(Form form, boolean tls) {
      return form.full()
          ? new Params(
              new int[] {100, 250, 500, 750, 1000, 1500, 2000},
              Duration.ofSeconds(20),
              List.of(NETTY, OKHTTP, JDK, LIBRARY, LIBRARY_JDK),
              tls)
          : new Params(
              new int[] {100, 500}, Duration.ofSeconds(3), List.of(NETTY, OKHTTP, LIBRARY), tls);
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

  /**
   * What the section measured.
   *
   * @param cpu per step ({@link #key}): where the client's CPU went during the traffic, and how
   *     long its threads waited for a core
   */
  record Result(
      Params params,
      List<Step> steps,
      String dispatcherProbe,
      String clock,
      Map<String, CpuSplit.Window> cpu) {}

  /** The key of a step in {@link Result#cpu}. */
  static String key(String kind, int sessions) {
    return kind + " " + sessions;
  }

  private final Map<String, CpuSplit.Window> cpu = new java.util.LinkedHashMap<>();

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
      clock = server.clockAgreement();
      progress.note("load server pid " + server.pid() + "; " + clock);
      int planned = params.kinds().size() * params.steps().length;
      int done = 0;
      for (String kind : params.kinds()) {
        // A small discarded step first, so the JIT is warm for this client's code paths.
        progress.step(kind + ": warm-up", ++done, planned + params.kinds().size());
        progress.note("warm-up " + ScaleStepRun.step(server, kind, 50, Duration.ofSeconds(2), cpu));
        for (int n : params.steps()) {
          progress.step(kind + ": " + n + " sessions", ++done, planned + params.kinds().size());
          Step s = ScaleStepRun.step(server, kind, n, params.step(), cpu);
          progress.note(brief(s));
          if (!s.sustained()) {
            // One run on a shared 2-core machine is noisy: a step fails only if a rerun fails.
            Step again = ScaleStepRun.step(server, kind, n, params.step(), cpu);
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
      probe = DispatcherProbe.probeDefaultDispatcher(server);
    }
    return new Result(params, steps, probe, clock, cpu);
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
