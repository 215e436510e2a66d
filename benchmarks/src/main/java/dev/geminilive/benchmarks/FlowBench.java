package dev.geminilive.benchmarks;

import dev.geminilive.AudioChunk;
import dev.geminilive.LiveListener;
import dev.geminilive.ModelProfile;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.TurnComplete;
import dev.geminilive.flow.Flow;
import dev.geminilive.flow.Stage;
import dev.geminilive.flow.Transition;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordedMessage;
import dev.geminilive.tools.LiveTool;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a stage change costs, against the fake on loopback: the wait for the model's next answer
 * right after a change (its first audio chunk), against the same wait after a turn without a change
 * measured in the same run, on {@code gemini-3.8-live} ({@code contextUpdate}) and {@code
 * gemini-3.1-flash-live-preview} (a planned move to a new connection), and how many bytes each
 * change sends again (the context update, or the whole setup).
 *
 * <p>Each round: the user asks for the change ({@code flip}); the model calls the stage tool and
 * answers. On 3.8 the user speaks again ({@code ping}) at that answer's {@code turnComplete}; on
 * 3.1 the session moves to a new connection at that pause, and the user speaks as the move begins
 * (the worst moment: the input waits for the new connection). The baseline is a ping after a turn
 * without a change; the move's own length (3.1) is from {@code onReconnecting} to {@code
 * onReconnected}.
 *
 * <p>The report's section {@code flows} ({@code BenchmarkMain}); alone: {@code mvn -q -pl
 * benchmarks -am package -DskipTests} then {@code java -cp benchmarks/target/benchmarks.jar
 * dev.geminilive.benchmarks.FlowBench [rounds]}.
 */
public final class FlowBench {
  private static final long WAIT_SECONDS = 20;

  private FlowBench() {}

  /** The two stages' tools: each moves the flow to the other stage. */
  static final class Switches {
    @LiveTool(name = "flip", description = "Moves to the other step.")
    String flip() {
      return "flipped";
    }

    @LiveTool(name = "flop", description = "Moves back to the first step.")
    String flop() {
      return "flopped";
    }
  }

  static Flow flow() {
    return Flow.builder()
        .persona(
            "You are Bo, a benchmark agent. You answer in one short sentence. You never ask"
                + " questions and you never leave the rules of the current step.")
        .guideline("Keep every answer under ten words.")
        .guardrail("Never call a tool the current step does not name.")
        .tools(new Switches())
        .stage(
            Stage.named("a")
                .rule("First step", "When the user says flip, call `flip`.")
                .tools("flip")
                .transition(Transition.to("b").afterTool("flip")))
        .stage(
            Stage.named("b")
                .rule("Second step", "When the user says flop, call `flop`.")
                .tools("flop")
                .transition(Transition.to("a").afterTool("flop")))
        .build();
  }

  /** Waits in nanoseconds, per kind. */
  record Result(
      String model,
      List<Long> baseline,
      List<Long> first,
      List<Long> moveLength,
      int moves,
      int bytesPerChange,
      int setupBytes) {}

  /** First audio chunk and turn ends, in order, as the listener sees them. */
  static final class Marks implements LiveListener {
    final LinkedBlockingQueue<Long> firstAudio = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Long> turnEnds = new LinkedBlockingQueue<>();
    final AtomicInteger moves = new AtomicInteger();
    final LinkedBlockingQueue<Long> moveStarts = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Long> moveEnds = new LinkedBlockingQueue<>();
    private boolean audioSeen;

    @Override
    public void onAudio(ResilientLiveSession s, AudioChunk chunk) {
      if (!audioSeen) {
        audioSeen = true;
        firstAudio.add(System.nanoTime());
      }
    }

    @Override
    public void onTurnComplete(ResilientLiveSession s, TurnComplete turn) {
      audioSeen = false;
      turnEnds.add(System.nanoTime());
    }

    @Override
    public void onReconnecting(ResilientLiveSession s, Reconnecting event) {
      if (event.planned()) {
        moves.incrementAndGet();
        moveStarts.add(System.nanoTime());
      }
    }

    @Override
    public void onReconnected(ResilientLiveSession s, dev.geminilive.ContextRestoration r) {
      moveEnds.add(System.nanoTime());
    }

    long take(LinkedBlockingQueue<Long> q) throws InterruptedException {
      Long t = q.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      if (t == null) {
        throw new IllegalStateException("no answer within " + WAIT_SECONDS + " s");
      }
      return t;
    }
  }

  static Result run(String model, int rounds) throws Exception {
    try (FakeLiveServer server = FakeLiveServer.builder().build()) {
      server.script(
          s ->
              s.onText("flip")
                  .callTool("flip", Map.of())
                  .onText("flop")
                  .callTool("flop", Map.of())
                  .onAnyToolResponse()
                  .say("Done.")
                  .onText("ping")
                  .say("Pong."));
      Marks marks = new Marks();
      List<Long> baseline = new ArrayList<>();
      List<Long> first = new ArrayList<>();
      List<Long> moveLength = new ArrayList<>();
      boolean moves = !ModelProfile.of(model).contextUpdates();
      try (ResilientLiveSession session =
          server.sessionBuilder().model(model).flow(flow()).listener(marks).connect()) {
        // A first exchange, so that a handle exists and the JIT has seen the paths.
        for (int warm = 0; warm < 3; warm++) {
          ping(session, marks);
        }
        for (int r = 0; r < rounds; r++) {
          ping(session, marks);
          baseline.add(ping(session, marks));
          baseline.add(ping(session, marks));
          session.sendText(r % 2 == 0 ? "flip" : "flop");
          marks.take(marks.turnEnds);
          long moveStart = moves ? marks.take(marks.moveStarts) : 0;
          first.add(ping(session, marks));
          session.flow().orElseThrow().entered().get(WAIT_SECONDS, TimeUnit.SECONDS);
          if (moves) {
            moveLength.add(marks.take(marks.moveEnds) - moveStart);
          }
        }
      }
      List<RecordedMessage> updates = server.recorder().ofKind(MessageKind.CONTEXT_UPDATE);
      List<RecordedMessage> setups = server.recorder().ofKind(MessageKind.SETUP);
      int setupBytes = setups.get(setups.size() - 1).raw().length();
      int perChange = updates.isEmpty() ? setupBytes : updates.get(0).raw().length();
      return new Result(
          model, baseline, first, moveLength, marks.moves.get(), perChange, setupBytes);
    }
  }

  /** Sends a ping at once and returns the wait until the first audio of its answer. */
  private static long ping(ResilientLiveSession session, Marks marks) throws Exception {
    marks.firstAudio.clear();
    long sent = System.nanoTime();
    session.sendText("ping");
    long heard = marks.take(marks.firstAudio);
    marks.take(marks.turnEnds);
    return heard - sent;
  }

  static double medianMs(List<Long> nanos) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    int n = sorted.size();
    double m = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    return m / 1e6;
  }

  static String row(Result r) {
    double base = medianMs(r.baseline());
    double a = medianMs(r.first());
    String move =
        r.moveLength().isEmpty()
            ? "none"
            : String.format(Locale.ROOT, "%.1f", medianMs(r.moveLength()));
    return String.format(
        Locale.ROOT,
        "| %s | %.1f | %.1f (%.2f×) | %s | %d | %d | %d |",
        r.model(),
        base,
        a,
        a / base,
        move,
        r.moves(),
        r.bytesPerChange(),
        r.setupBytes());
  }

  /** Rounds per model in the report's section (set per form by {@code BenchmarkMain}). */
  static int ROUNDS = 20;

  private static final String HEADER =
      "| model | wait for the next answer, no change: median ms | the same right after a change"
          + " | the move to a new connection: median ms | planned moves | bytes sent per change |"
          + " setup bytes |\n|---|---|---|---|---|---|---|\n";

  /** Both models, {@link #ROUNDS} rounds each. */
  static List<Result> run() throws Exception {
    return List.of(
        run(ModelProfile.GEMINI_3_8_LIVE, ROUNDS), run(ModelProfile.GEMINI_3_1_FLASH_LIVE, ROUNDS));
  }

  /** The report's section for {@code results}. */
  static String section(List<Result> results) {
    StringBuilder sb = new StringBuilder();
    sb.append("## 7. Conversation flows: what a stage change costs\n\n");
    sb.append(
        Stats.fmt(
            "Against the testkit's fake in this JVM over loopback, %d rounds per model. Each"
                + " round: the user asks for the change, the model calls the stage tool and"
                + " answers; then the user speaks again. The figure is the wait from that input to"
                + " the first audio of its answer, right after a change, against the same wait"
                + " after a turn without one (the baseline, in the same session). On"
                + " `gemini-3.8-live` a change is a `contextUpdate` on the open connection; on"
                + " `gemini-3.1-flash-live-preview` it is a planned move to a new connection at"
                + " the turn's pause, and the input is sent as the move begins (the worst"
                + " moment: it waits for the new connection). Bytes: what one change sends again"
                + " (the context update, or the whole setup).\n\n",
            ROUNDS));
    sb.append(HEADER);
    for (Result r : results) {
      sb.append(row(r)).append('\n');
    }
    return sb.append('\n').toString();
  }

  /** One line for the report's headlines. */
  static String headline(List<Result> results) {
    List<String> parts = new ArrayList<>();
    for (Result r : results) {
      parts.add(
          Stats.fmt(
              "%s %.2f× its baseline (%d bytes per change)",
              r.model(), medianMs(r.first()) / medianMs(r.baseline()), r.bytesPerChange()));
    }
    return "Flows: the answer right after a stage change waits " + String.join("; ", parts) + ".";
  }

  /**
   * Runs both models and prints a Markdown table.
   *
   * @param args the number of rounds (default 20)
   * @throws Exception when a wait times out
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Result r38 = run(ModelProfile.GEMINI_3_8_LIVE, rounds);
    Result r31 = run(ModelProfile.GEMINI_3_1_FLASH_LIVE, rounds);
    System.out.print(HEADER);
    System.out.println(row(r38));
    System.out.println(row(r31));
    System.out.printf(
        Locale.ROOT,
        "%d rounds per model; %d cores; loopback TLS to the in-process fake.%n",
        rounds,
        Runtime.getRuntime().availableProcessors());
  }
}
