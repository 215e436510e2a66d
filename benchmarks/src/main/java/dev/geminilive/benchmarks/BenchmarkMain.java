package dev.geminilive.benchmarks;

import dev.geminilive.testkit.FakeLiveServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the benchmarks and writes the report with its charts. Usage: {@code BenchmarkMain [report
 * path] [sections]}, sections a comma-separated subset of {@code
 * audio,send,receive,scale,reconnect,tools,flows} (default: all). System properties: {@code
 * bench.form=short|full} (default full; the short form writes {@code target/REPORT-short.md}
 * instead of {@code REPORT.md}), {@code bench.tls=true} (the scale section over TLS), {@code
 * bench.scale.kinds}, {@code bench.scale.steps}, {@code bench.scale.seconds} (override the scale
 * plan, e.g. {@code okhttp,library} and {@code 100,250}), {@code bench.send.trials} (the send
 * section's trials per path), {@code bench.send.rounds} (the paired rounds its burst ratio is taken
 * over), {@code bench.receive.trials} (the receive section's trials per path), {@code
 * bench.tools.calls} (the tool section's calls per path).
 */
public final class BenchmarkMain {
  private BenchmarkMain() {}

  static final List<String> SECTIONS =
      List.of("audio", "send", "receive", "scale", "reconnect", "tools", "flows");

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws Exception {
    Form form =
        "short".equalsIgnoreCase(System.getProperty("bench.form", "full")) ? Form.SHORT : Form.FULL;
    Path report = Path.of(args.length > 0 ? args[0] : "REPORT.md").toAbsolutePath();
    if (!form.full() && report.getFileName().toString().equals("REPORT.md")) {
      report = report.resolveSibling("target").resolve("REPORT-short.md");
    }
    Files.createDirectories(report.getParent());
    Path charts = report.resolveSibling(form.full() ? "charts" : "charts-short");
    Set<String> only =
        args.length > 1 && !args[1].equals("all")
            ? Set.of(args[1].split(","))
            : Set.copyOf(SECTIONS);
    configure(form);
    quietJul();
    ScaleBench.Params scale = scaleParams(form);
    Progress progress = new Progress();
    Map<String, Double> estimates = new LinkedHashMap<>();
    estimates.put("audio", form.full() ? 200.0 : 30.0);
    estimates.put("send", form.full() ? 110.0 : 30.0);
    estimates.put("receive", form.full() ? 80.0 : 30.0);
    estimates.put("scale", scale.estimateSeconds());
    estimates.put("reconnect", form.full() ? 45.0 : 15.0);
    estimates.put("tools", form.full() ? 15.0 : 6.0);
    estimates.put("flows", form.full() ? 20.0 : 8.0);
    for (var e : estimates.entrySet()) {
      if (only.contains(e.getKey())) {
        progress.plan(e.getKey(), e.getValue());
      }
    }
    Machine machine = new Machine(form);
    List<String> sections = new ArrayList<>();
    List<String> headlines = new ArrayList<>();
    Map<String, String> chartFiles = new LinkedHashMap<>();
    AudioBench.Result audio = null;
    SendPathBench.Outcome send = null;
    Map<String, ReceivePathBench.Result> receive = null;
    ScaleBench.Result scaleResult = null;
    ReconnectBench.Result reconnect = null;
    Map<String, ToolBench.Result> tools = null;
    String chartLink = charts.getFileName().toString();
    if (only.contains("audio")) {
      progress.section("audio");
      machine.mark("audio");
      audio = new AudioBench(form, progress).run();
      for (String[] c : AudioReport.charts(audio)) {
        chartFiles.put(c[0], c[1]);
      }
    }
    try (FakeLiveServer server = FakeLiveServer.builder().build()) {
      if (only.contains("send")) {
        progress.section("send");
        machine.mark("send");
        send = new SendPathBench(server).run();
        sections.add(SendReport.section(send));
        headlines.addAll(Headlines.send(send.paths()));
      }
      if (only.contains("receive")) {
        progress.section("receive");
        machine.mark("receive");
        receive = new ReceivePathBench(server).run();
        sections.add(ReceiveReport.section(receive));
        headlines.addAll(Headlines.receive(receive));
      }
      if (only.contains("scale")) {
        progress.section("scale");
        machine.mark("scale");
        scaleResult = new ScaleBench(scale, progress, report.resolveSibling("target")).run();
        sections.add(ScaleReport.section(scaleResult, chartLink));
        headlines.add(ScaleReport.headline(scaleResult));
        for (String[] c : ScaleReport.charts(scaleResult)) {
          chartFiles.put(c[0], c[1]);
        }
      }
      if (only.contains("reconnect")) {
        progress.section("reconnect");
        machine.mark("reconnect");
        reconnect = new ReconnectBench(server).run();
        sections.add(ReconnectBench.section(reconnect));
        headlines.add(ReconnectBench.headline(reconnect));
      }
      if (only.contains("tools")) {
        progress.section("tools");
        machine.mark("tools");
        tools = new ToolBench(server).run();
        sections.add(ToolBench.section(tools));
        headlines.add(ToolBench.headline(tools));
      }
    }
    if (audio != null) {
      sections.add(AudioReport.section(audio, chartLink));
      headlines.add(AudioReport.headline(audio));
    }
    if (only.contains("flows")) {
      progress.section("flows");
      machine.mark("flows");
      List<FlowBench.Result> flows = FlowBench.run();
      sections.add(FlowBench.section(flows));
      headlines.add(FlowBench.headline(flows));
    }
    progress.endSection();
    machine.mark("end");
    sections.add(Caveats.TEXT);
    String goals =
        Goals.section(new Goals.Inputs(send, receive, scaleResult, reconnect, tools, audio));
    Files.createDirectories(charts);
    for (var c : chartFiles.entrySet()) {
      Files.writeString(charts.resolve(c.getKey()), c.getValue());
    }
    write(report, form, machine, goals, headlines, sections);
    System.out.println("wrote " + report + " and " + chartFiles.size() + " charts in " + charts);
    // SDK and OkHttp leave non-daemon threads behind; the report is written, so end here.
    System.exit(0);
  }

  /** Trial counts per form (the full form's are the report's). */
  private static void configure(Form form) {
    SendPathBench.TRIALS = Integer.getInteger("bench.send.trials", form.pick(1, 3));
    SendPairs.ROUNDS = Integer.getInteger("bench.send.rounds", form.pick(8, 30));
    ReceivePathBench.TRIALS = Integer.getInteger("bench.receive.trials", form.pick(1, 3));
    ReconnectBench.CONNECTS = form.pick(5, 15);
    ReconnectBench.MOVES = form.pick(2, 5);
    ToolBench.CALLS = Integer.getInteger("bench.tools.calls", form.pick(100, 300));
    FlowBench.ROUNDS = form.pick(5, 20);
  }

  private static ScaleBench.Params scaleParams(Form form) {
    boolean tls = Boolean.getBoolean("bench.tls");
    ScaleBench.Params p = ScaleBench.Params.of(form, tls);
    String kinds = System.getProperty("bench.scale.kinds");
    String steps = System.getProperty("bench.scale.steps");
    String seconds = System.getProperty("bench.scale.seconds");
    return new ScaleBench.Params(
        steps == null
            ? p.steps()
            : Arrays.stream(steps.split(",")).mapToInt(Integer::parseInt).toArray(),
        seconds == null ? p.step() : Duration.ofSeconds(Long.parseLong(seconds)),
        kinds == null ? p.kinds() : List.of(kinds.split(",")),
        tls);
  }

  /** The SDK logs every close at INFO through JUL to stderr; benchmarks keep WARNING and above. */
  private static void quietJul() {
    Logger.getLogger("").setLevel(Level.WARNING);
    for (var h : Logger.getLogger("").getHandlers()) {
      h.setLevel(Level.WARNING);
    }
  }

  /** Facts about the machine and the load on it when each section started. */
  static final class Machine {
    final Form form;
    final Instant date = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    final long started = System.nanoTime();
    final Map<String, String> load = new LinkedHashMap<>();

    Machine(Form form) {
      this.form = form;
      load.put("start", loadAverages());
    }

    void mark(String section) {
      load.put(section, loadAverages());
    }

    static String loadAverages() {
      try {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " / " + f[1] + " / " + f[2];
      } catch (IOException e) {
        return "n/a";
      }
    }
  }

  static void write(
      Path report,
      Form form,
      Machine machine,
      String goals,
      List<String> headlines,
      List<String> sections)
      throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("# Benchmark report\n\n");
    sb.append(
        "Generated by `dev.geminilive.benchmarks.BenchmarkMain` (see `README.md` for the command)."
            + " Do not edit by hand: rerun the command.\n\n");
    sb.append("## Machine\n\n");
    Runtime rt = Runtime.getRuntime();
    sb.append("| fact | value |\n|---|---|\n");
    sb.append("| date (UTC) | ").append(machine.date).append(" |\n");
    sb.append("| form | ")
        .append(form.name().toLowerCase(Locale.ROOT))
        .append(form.full() ? "" : " (a quick check: fewer trials, shorter steps)")
        .append(" |\n");
    sb.append("| cores (availableProcessors) | ").append(rt.availableProcessors()).append(" |\n");
    sb.append("| CPU | ").append(cpuModel()).append(" |\n");
    sb.append("| ForkJoinPool.commonPool parallelism | ")
        .append(ForkJoinPool.getCommonPoolParallelism())
        .append(" |\n");
    sb.append("| JVM | ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.runtime.version"))
        .append(" (")
        .append(System.getProperty("java.vendor"))
        .append(") |\n");
    sb.append("| JVM arguments | `")
        .append(String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()))
        .append("` |\n");
    sb.append("| max heap | ").append(rt.maxMemory() >> 20).append(" MiB |\n");
    sb.append("| OS | ")
        .append(System.getProperty("os.name"))
        .append(' ')
        .append(System.getProperty("os.version"))
        .append(' ')
        .append(System.getProperty("os.arch"))
        .append(" |\n");
    sb.append("| total run time | ")
        .append(Stats.fmt("%.0f s", (System.nanoTime() - machine.started) / 1e9))
        .append(" |\n");
    StringBuilder loads = new StringBuilder();
    for (var e : machine.load.entrySet()) {
      if (loads.length() > 0) {
        loads.append("; ");
      }
      loads.append(e.getKey()).append(' ').append(e.getValue());
    }
    sb.append("| load average (1 / 5 / 15 min) when each section started | ")
        .append(loads)
        .append(" |\n\n");
    sb.append(
        "The machine is shared with other builds (the load averages above: on two cores, a"
            + " load of 2 means the cores were busy), so absolute figures move from run to run;"
            + " each figure is compared with a baseline measured in the same section, minutes"
            + " apart at most. Sections 1, 2, 4 and 5 run against the testkit's `FakeLiveServer`"
            + " in this JVM; section 3 against a load server in its own process; section 6"
            + " measures CPU time, which waiting for a core does not inflate.\n\n");
    sb.append(goals);
    if (!headlines.isEmpty()) {
      sb.append("## Headlines\n\n");
      for (String h : headlines) {
        sb.append("- ").append(h).append('\n');
      }
      sb.append('\n');
    }
    for (String s : sections) {
      sb.append(s);
    }
    Files.writeString(report, sb.toString());
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return System.getProperty("os.arch");
  }
}
