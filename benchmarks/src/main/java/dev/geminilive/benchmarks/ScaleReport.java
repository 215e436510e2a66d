package dev.geminilive.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Section 3 of the report and its charts. */
final class ScaleReport {
  private ScaleReport() {}

  static final String P99_UP_CHART = "scale-p99-up.svg";
  static final String P99_DOWN_CHART = "scale-p99-down.svg";
  static final String THREADS_CHART = "scale-threads.svg";
  static final String HEAP_CHART = "scale-heap.svg";
  static final String CPU_CHART = "scale-cpu.svg";

  /** Display names of the client kinds. */
  static String label(String kind) {
    return switch (kind) {
      case ScaleBench.OKHTTP -> "raw OkHttp (thread per socket)";
      case ScaleBench.JDK -> "raw java.net.http WebSocket (non-blocking)";
      case ScaleBench.SDK -> "raw SDK (AsyncSession, sends chained)";
      case ScaleBench.LIBRARY_JDK -> "library on Transport.JDK (non-blocking)";
      default -> "library (ResilientLiveSession)";
    };
  }

  private interface Metric {
    double of(ScaleBench.Step s);
  }

  private static List<Svg.Series> series(ScaleBench.Result r, Metric m) {
    Map<String, List<ScaleBench.Step>> byKind = new LinkedHashMap<>();
    for (String k : r.params().kinds()) {
      byKind.put(k, new ArrayList<>());
    }
    for (ScaleBench.Step s : r.steps()) {
      byKind.computeIfAbsent(s.kind(), k -> new ArrayList<>()).add(s);
    }
    List<Svg.Series> out = new ArrayList<>();
    for (var e : byKind.entrySet()) {
      List<ScaleBench.Step> steps = e.getValue();
      double[] x = new double[steps.size()];
      double[] y = new double[steps.size()];
      for (int i = 0; i < steps.size(); i++) {
        x[i] = steps.get(i).sessions();
        y[i] = m.of(steps.get(i));
      }
      out.add(new Svg.Series(label(e.getKey()), x, y));
    }
    return out;
  }

  static List<String[]> charts(ScaleBench.Result r) {
    List<String[]> out = new ArrayList<>();
    out.add(
        new String[] {
          P99_UP_CHART,
          Svg.lines(
              "Uplink p99 (send call → load server) against sessions",
              "concurrent duplex sessions",
              "p99 latency, ms (log)",
              series(r, s -> s.upP99() / 1e6),
              true,
              50,
              "limit 50 ms")
        });
    out.add(
        new String[] {
          P99_DOWN_CHART,
          Svg.lines(
              "Downlink p99 (load server write → client callback) against sessions",
              "concurrent duplex sessions",
              "p99 latency, ms (log)",
              series(r, s -> s.downP99() / 1e6),
              true,
              50,
              "limit 50 ms")
        });
    out.add(
        new String[] {
          THREADS_CHART,
          Svg.lines(
              "Threads per open session against sessions (client process)",
              "concurrent duplex sessions",
              "threads per session",
              series(r, ScaleBench.Step::threadsPerSession),
              false,
              1.1,
              "goal ≤ 1.1")
        });
    out.add(
        new String[] {
          HEAP_CHART,
          Svg.lines(
              "Heap per idle session against sessions (client process, after GC)",
              "concurrent duplex sessions",
              "KiB per session",
              series(r, ScaleBench.Step::heapKiBIdle),
              false,
              64,
              "goal ≤ 64 KiB")
        });
    out.add(
        new String[] {
          CPU_CHART,
          Svg.lines(
              "Client CPU per 1,000 sessions at real-time pace (cores; load server apart)",
              "concurrent duplex sessions",
              "cores per 1,000 sessions",
              series(r, s -> s.clientCores() * 1_000 / s.sessions()),
              false,
              Double.NaN,
              "")
        });
    return out;
  }

  static String section(ScaleBench.Result r, String chartDir) {
    ScaleBench.Params p = r.params();
    StringBuilder sb = new StringBuilder();
    sb.append("## 3. Scale: concurrent duplex sessions at real-time pace\n\n");
    sb.append(
        Stats.fmt(
            "The server is `LoadServer`, a lean Live server of the benchmarks module run as a"
                + " **separate process** (its own JVM: %s) and reached over loopback (%s). It"
                + " answers the setup, reads a stamp, stream id and sequence number from the first"
                + " bytes of every audio chunk without parsing the JSON, and sends every session"
                + " a stamped 40 ms / 24 kHz audio frame every 40 ms from Netty's event loops (one"
                + " per core, one 1 ms tick per loop for all its sessions), ending a model turn"
                + " every %d frames (%d s) with `turnComplete` and a resumption handle, as the"
                + " service does after each turn (without handles the library keeps every input"
                + " chunk for replay, up to its 30 s replay window). The testkit's"
                + " `FakeLiveServer` was not used: it records every message and runs every"
                + " session's protocol on one thread, which capped the previous report at 100"
                + " sessions for every client; the standalone `FakeLiveServerMain` is being"
                + " reworked on another branch. Per step: N sessions connect (%d at a time);"
                + " then for %d s each sends a 20 ms / 16 kHz chunk every 20 ms (%d pacer"
                + " threads for all sessions, one tick per millisecond, each chunk stamped when"
                + " sent) while the server streams to all of them. Latency up = server arrival −"
                + " stamp; down = client callback − server stamp (both `System.nanoTime()`: %s)."
                + " A step is **sustained** when every session connected, the pace was kept"
                + " (every chunk sent, at most 2 %% of them more than 20 ms late, the server"
                + " sent at least 98 %% of its frames), nothing was lost or reordered, and both"
                + " p99 are under 50 ms; a failing step runs once more, and a client stops at"
                + " the first step that fails twice. Heap and threads per session: client"
                + " process, after connecting and a GC, before traffic (idle) and after it;"
                + " threads are each session's own, known by name (its socket reader, new or"
                + " an idle pool thread reused), plus the threads of shared pools that the"
                + " step's clients started (by identity), divided by the sessions, counted"
                + " idle and as the traffic ends (not the JVM's live count, in which an earlier"
                + " step's pool threads that end cancel new ones)."
                + " Cores: CPU time of each process during the traffic, ÷ its length. The same"
                + " two cores also run the load server and, on this shared machine, other"
                + " builds (load average in the table). The raw SDK is not a client here (it can"
                + " be added with `-Dbench.scale.kinds`): it starts a thread for every send"
                + " (SDK-GAPS Q7, section 1), which failed at 50 sessions in the previous report and"
                + " at 100 sessions took minutes per step before its sockets timed out.\n\n",
            String.join(" ", LoadServerProcess.JVM_OPTIONS),
            p.tls() ? "TLS" : "plain WebSockets: TLS would add the same cost to every client",
            LoadServer.TURN_FRAMES,
            LoadServer.TURN_FRAMES * LoadServer.DOWN_PERIOD_NANOS / 1_000_000_000L,
            ScaleBench.CONNECTS_IN_FLIGHT,
            p.step().toSeconds(),
            ScaleBench.SENDER_THREADS,
            r.clock()));
    for (String chart :
        List.of(P99_UP_CHART, P99_DOWN_CHART, THREADS_CHART, HEAP_CHART, CPU_CHART)) {
      sb.append("![").append(chart).append("](").append(chartDir).append('/').append(chart);
      sb.append(")\n");
    }
    sb.append("\n");
    sb.append(
        "| client | sessions | sustained | connect all (s) | heap KiB / session idle | after"
            + " traffic | threads / session (idle / loaded) | threads started / s | up: due / sent / received"
            + " (late > 20 ms) | up p50 / p99 / p99.9 (ms) | down: due / sent / received | down"
            + " p50 / p99 / p99.9 (ms) | client cores (per 1,000 sessions) | server cores | GC"
            + " (count, ms) | load | note |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (ScaleBench.Step s : r.steps()) {
      sb.append(
          Stats.fmt(
              "| %s | %d | %s | %.1f | %.0f | %.0f | %.2f / %.2f | %s | %d / %d / %d (%d) | %s / %s / %s"
                  + " | %d / %d / %d | %s / %s / %s | %.2f (%.2f) | %.2f | %d, %d | %s | %s |\n",
              label(s.kind()),
              s.sessions(),
              s.sustained() ? "yes" : "**no**",
              s.connectSeconds(),
              s.heapKiBIdle(),
              s.heapKiBLoaded(),
              s.threadsPerSession(),
              s.threadsPerSessionLoaded(),
              Stats.num(s.threadsStartedPerSecond()),
              s.upDue(),
              s.upSent(),
              s.upReceived(),
              s.upLate(),
              Stats.ms(s.upP50()),
              Stats.ms(s.upP99()),
              Stats.ms(s.upP999()),
              s.downDue(),
              s.downSent(),
              s.downReceived(),
              Stats.ms(s.downP50()),
              Stats.ms(s.downP99()),
              Stats.ms(s.downP999()),
              s.clientCores(),
              s.clientCores() * 1_000 / s.sessions(),
              s.serverCores(),
              s.gcCount(),
              s.gcMillis(),
              s.load(),
              s.note().replace('|', '/')));
    }
    sb.append("\n");
    int ok = ScaleBench.largest(r, ScaleBench.OKHTTP);
    for (String kind : p.kinds()) {
      int best = ScaleBench.largest(r, kind);
      sb.append("- Largest sustained step, ")
          .append(label(kind))
          .append(": **")
          .append(best == 0 ? "none** (its first step failed twice)" : best + "** sessions")
          .append(
              kind.equals(ScaleBench.OKHTTP) || ok == 0
                  ? ""
                  : Stats.fmt(" (%.2f× raw OkHttp's)", best / (double) ok))
          .append(".\n");
    }
    sb.append("- Dispatcher probe: ").append(r.dispatcherProbe()).append(".\n\n");
    return sb.toString();
  }

  static String headline(ScaleBench.Result r) {
    List<String> parts = new ArrayList<>();
    for (String kind : r.params().kinds()) {
      parts.add(label(kind) + " " + ScaleBench.largest(r, kind));
    }
    return "Scale (load server in its own process; pace kept, nothing lost, p99 < 50 ms both"
        + " ways): largest sustained step "
        + String.join(", ", parts)
        + " sessions.";
  }
}
