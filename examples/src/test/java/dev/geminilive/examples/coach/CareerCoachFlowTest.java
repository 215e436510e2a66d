package dev.geminilive.examples.coach;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.ContextRestoration;
import dev.geminilive.LiveListener;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ModelProfile;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.flow.Flow;
import dev.geminilive.flow.FlowPosition;
import dev.geminilive.flow.StageChange;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordedMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The career coach as a {@link CoachFlow}, end to end against the fake: on {@code gemini-3.8-live}
 * four stage changes by {@code contextUpdate} on one connection, each stage declaring only its
 * tools, a too-early booking refused, a {@code goAway}, a drop and an expired handle that come back
 * in the right stage; on 3.1 the same call with planned moves.
 */
class CareerCoachFlowTest {
  private static final LocalDate TODAY = LocalDate.of(2026, 11, 24);
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final List<String> STAGES =
      List.of(
          CoachFlow.INTAKE,
          CoachFlow.DISCUSSION,
          CoachFlow.ACTION_ITEMS,
          CoachFlow.SCHEDULING,
          CoachFlow.WRAP_UP);

  /** What one scripted call left behind. */
  record Call(
      CoachTools tools,
      Transcript transcript,
      FakeLiveServer server,
      List<StageChange> changes,
      List<String> stageAfterEachLine,
      List<Reconnecting> moves,
      List<ContextRestoration> restorations,
      ResilientLiveSession.SessionStats stats) {}

  /** Records what a {@link Transcript} does not: stage changes, moves and restorations. */
  static final class Moves implements LiveListener {
    final List<StageChange> changes = new CopyOnWriteArrayList<>();
    final List<Reconnecting> moves = new CopyOnWriteArrayList<>();
    final List<ContextRestoration> restorations = new CopyOnWriteArrayList<>();

    @Override
    public void onStageChanged(ResilientLiveSession session, StageChange change) {
      changes.add(change);
    }

    @Override
    public void onReconnecting(ResilientLiveSession session, Reconnecting event) {
      moves.add(event);
    }

    @Override
    public void onReconnected(ResilientLiveSession session, ContextRestoration restoration) {
      restorations.add(restoration);
    }
  }

  /**
   * Plays the offline call line by line; {@code afterLine} runs after each line's answer (with the
   * line's index) and may drop the connection or expire handles.
   */
  private static Call call(
      String model, CoachFlowScript script, BiConsumer<Integer, FakeLiveServer> afterLine)
      throws Exception {
    CoachTools tools = new CoachTools(CareerCoach.openings(TODAY));
    Transcript transcript =
        new Transcript(
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), "Laura");
    Moves moves = new Moves();
    List<String> stages = new ArrayList<>();
    FakeLiveServer server = FakeLiveServer.builder().build();
    server.script(script);
    LiveSessionBuilder builder =
        CareerCoach.coachFlow(tools, transcript)
            .model(model)
            .listener(
                new dev.geminilive.ForwardingLiveListener(transcript) {
                  @Override
                  public void onStageChanged(ResilientLiveSession s, StageChange change) {
                    super.onStageChanged(s, change);
                    moves.onStageChanged(s, change);
                  }

                  @Override
                  public void onReconnecting(ResilientLiveSession s, Reconnecting event) {
                    super.onReconnecting(s, event);
                    moves.onReconnecting(s, event);
                  }

                  @Override
                  public void onReconnected(ResilientLiveSession s, ContextRestoration r) {
                    super.onReconnected(s, r);
                    moves.onReconnected(s, r);
                  }
                });
    ResilientLiveSession.SessionStats stats;
    try (ResilientLiveSession session = server.configure(builder).connect()) {
      FlowPosition position = session.flow().orElseThrow();
      int turns = 1;
      transcript.awaitTurnsCompleted(turns, WAIT);
      List<String> lines = CoachFlowScript.CLIENT_LINES;
      for (int i = 0; i < lines.size(); i++) {
        if (transcript.goAways() > transcript.reconnects()) {
          transcript.awaitReconnects(transcript.goAways(), WAIT);
        }
        session.sendText(lines.get(i));
        transcript.awaitTurnsCompleted(++turns, WAIT);
        // A user's pause: on 3.1 the move to a new stage's setup waits for one.
        position.entered().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        stages.add(position.stage().name());
        afterLine.accept(i, server);
      }
      stats = session.stats();
    }
    return new Call(
        tools,
        transcript,
        server,
        List.copyOf(moves.changes),
        stages,
        List.copyOf(moves.moves),
        List.copyOf(moves.restorations),
        stats);
  }

  private static List<String> declared(JsonNode toolsHolder) {
    List<String> names = new ArrayList<>();
    for (JsonNode tool : toolsHolder) {
      for (JsonNode f : tool.path("functionDeclarations")) {
        names.add(f.path("name").asText());
      }
    }
    return names;
  }

  @Test
  void onGemini38TheCallGoesThroughFourStagesOnOneConnectionEachWithItsOwnTools() throws Exception {
    Call call = call(ModelProfile.GEMINI_3_8_LIVE, new CoachFlowScript(false, false), (i, s) -> {});
    try (FakeLiveServer server = call.server()) {
      assertThat(CareerCoach.problem(call.tools())).isEmpty();
      assertThat(call.changes())
          .extracting(StageChange::to)
          .containsExactlyElementsOf(STAGES.subList(1, STAGES.size()));
      assertThat(call.stats().connections()).isEqualTo(1);
      assertThat(call.moves()).isEmpty();

      List<RecordedMessage> updates = server.recorder().ofKind(MessageKind.CONTEXT_UPDATE);
      assertThat(updates).hasSize(4);
      Flow flow = CoachFlow.of(call.tools());
      assertThat(declared(server.recorder().setups().get(0).path("tools")))
          .containsExactly("create_client_profile");
      for (int i = 0; i < updates.size(); i++) {
        String stage = STAGES.get(i + 1);
        JsonNode update = updates.get(i).json().path("contextUpdate");
        List<String> expected =
            flow.toolsOf(stage).stream().map(dev.geminilive.tools.ToolDefinition::name).toList();
        assertThat(declared(update.path("tools").path("tools")))
            .as("the tools of stage " + stage)
            .containsExactlyElementsOf(expected);
        assertThat(update.at("/systemInstruction/parts/0/text").asText())
            .as("the instruction of stage " + stage)
            .contains("client_id: client-1")
            .contains("You are Laura");
      }
      assertThat(updates.get(1).json().at("/contextUpdate/systemInstruction/parts/0/text").asText())
          .contains("**So far in this conversation:** " + CoachFlowScript.SUMMARY);
      assertThat(call.stageAfterEachLine())
          .containsExactly(
              CoachFlow.DISCUSSION,
              CoachFlow.DISCUSSION,
              CoachFlow.SCHEDULING,
              CoachFlow.WRAP_UP,
              CoachFlow.WRAP_UP);
    }
  }

  @Test
  void aBookingTriedDuringIntakeIsRefusedWithWhereItBelongsAndTheCallGoesOn() throws Exception {
    Call call = call(ModelProfile.GEMINI_3_8_LIVE, new CoachFlowScript(false, true), (i, s) -> {});
    try (FakeLiveServer server = call.server()) {
      JsonNode first =
          server.recorder().ofKind(MessageKind.TOOL_RESPONSE).get(0).functionResponses().get(0);
      assertThat(first.path("name").asText()).isEqualTo("schedule_appointment");
      JsonNode refusal = first.path("response");
      assertThat(refusal.path("status").asText()).isEqualTo("wrong_stage");
      assertThat(refusal.path("error").asText())
          .contains("'schedule_appointment' is a tool of the 'scheduling' step")
          .contains("you can call [create_client_profile]");
      assertThat(
              StreamSupport.stream(refusal.path("valid_options").spliterator(), false)
                  .map(JsonNode::asText))
          .containsExactly("create_client_profile");
      assertThat(CareerCoach.problem(call.tools())).isEmpty();
      assertThat(call.tools().openings()).hasSize(2);
      assertThat(call.changes()).hasSize(4);
    }
  }

  @Test
  void aGoAwayAndADropMidFlowComeBackInTheRightStage() throws Exception {
    Call call =
        call(
            ModelProfile.GEMINI_3_8_LIVE,
            new CoachFlowScript(true, false),
            (line, server) -> {
              if (line == 2) { // in scheduling, openings offered: the line goes dead
                server.connections().get(server.connections().size() - 1).drop();
              }
            });
    try (FakeLiveServer server = call.server()) {
      assertThat(CareerCoach.problem(call.tools())).isEmpty();
      assertThat(call.moves()).hasSize(2);
      assertThat(call.moves().get(0).planned()).as("the goAway's move").isTrue();
      assertThat(call.moves().get(1).planned()).as("the drop").isFalse();
      assertThat(call.restorations())
          .containsExactly(ContextRestoration.RESUMED, ContextRestoration.RESUMED);
      assertThat(call.changes())
          .extracting(StageChange::to)
          .containsExactlyElementsOf(STAGES.subList(1, STAGES.size()));
      // Each resume opened where the flow was: the setup after the goAway in the discussion, the
      // one after the drop in scheduling (the handle's setup, which the fake restores).
      List<JsonNode> setups = server.recorder().setups();
      assertThat(setups).hasSize(3);
      assertThat(server.sessions()).hasSize(1);
      assertThat(call.stageAfterEachLine().get(1)).isEqualTo(CoachFlow.DISCUSSION);
      assertThat(call.stageAfterEachLine().get(3)).isEqualTo(CoachFlow.WRAP_UP);
      assertThat(server.sessions().get(0).toolNames()).isEmpty();
      assertThat(server.sessions().get(0).systemInstruction()).contains("**Close the call:**");
    }
  }

  @Test
  void aSessionRebuiltAfterAnExpiredHandleResumesTheFlowAtTheCurrentStage() throws Exception {
    Call call =
        call(
            ModelProfile.GEMINI_3_8_LIVE,
            new CoachFlowScript(false, false),
            (line, server) -> {
              if (line == 2) {
                server.faults().expireHandles();
                server.connections().get(server.connections().size() - 1).drop();
              }
            });
    try (FakeLiveServer server = call.server()) {
      assertThat(call.restorations()).containsExactly(ContextRestoration.REBUILT_FROM_HISTORY);
      JsonNode rebuilt = server.recorder().setups().get(1);
      assertThat(declared(rebuilt.path("tools")))
          .containsExactly(
              "get_next_appointment",
              "get_available_appointments",
              "schedule_appointment",
              Flow.NEXT_STEP_TOOL);
      assertThat(rebuilt.at("/systemInstruction/parts/0/text").asText())
          .contains("**Next appointment:**")
          .contains("client_id: client-1")
          .contains("full_name: Maya Chen")
          .contains(CoachFlowScript.SUMMARY);
      assertThat(CareerCoach.problem(call.tools())).isEmpty();
      assertThat(call.changes()).extracting(StageChange::to).endsWith(CoachFlow.WRAP_UP);
    }
  }

  @Test
  void onGemini31TheSameCallChangesStageByPlannedMoves() throws Exception {
    Call call =
        call(ModelProfile.GEMINI_3_1_FLASH_LIVE, new CoachFlowScript(false, false), (i, s) -> {});
    try (FakeLiveServer server = call.server()) {
      assertThat(CareerCoach.problem(call.tools())).isEmpty();
      assertThat(call.changes())
          .extracting(StageChange::to)
          .containsExactlyElementsOf(STAGES.subList(1, STAGES.size()));
      assertThat(server.recorder().ofKind(MessageKind.CONTEXT_UPDATE)).isEmpty();
      assertThat(call.moves()).isNotEmpty().allMatch(Reconnecting::planned);
      assertThat(call.restorations()).allMatch(r -> r == ContextRestoration.RESUMED);
      // Each move opened with a later stage's setup (changes close together share one move; the
      // last may not happen before the call ends).
      List<Integer> reached = new ArrayList<>();
      for (JsonNode setup : server.recorder().setups()) {
        reached.add(stageOf(setup.at("/systemInstruction/parts/0/text").asText()));
      }
      assertThat(reached).hasSize(call.moves().size() + 1).isSorted().doesNotHaveDuplicates();
      assertThat(reached.get(0)).isZero();
      assertThat(reached.get(reached.size() - 1)).isEqualTo(STAGES.indexOf(CoachFlow.WRAP_UP));
    }
  }

  /** The index of the stage whose rule the instruction has. */
  private static int stageOf(String instruction) {
    List<String> titles =
        List.of(
            "**Intake:**",
            "**Discuss the client's issue:**",
            "**Action items:**",
            "**Next appointment:**",
            "**Close the call:**");
    for (int i = 0; i < titles.size(); i++) {
      if (instruction.contains(titles.get(i))) {
        return i;
      }
    }
    throw new AssertionError("no stage's rule in " + instruction);
  }

  @Test
  void theOfflineFlowRunPrintsItsStagesAndBooks() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    CareerCoach.Result result;
    try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
      result = CareerCoach.runOfflineFlow(out, TODAY);
    }
    assertThat(CareerCoach.problem(result.tools())).isEmpty();
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("stage intake -> discussion (tool create_client_profile succeeded)")
        .contains("stage discussion -> action_items (next step")
        .contains("stage scheduling -> wrap_up (tool schedule_appointment succeeded)")
        .contains("Booked:       Thursday, November 26 at 2:30 PM");
    assertThat(Map.of("goAways", result.transcript().goAways())).containsEntry("goAways", 1);
  }
}
