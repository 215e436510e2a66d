package dev.geminilive.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.ContextRestoration;
import dev.geminilive.ModelProfile;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.flow.Flow;
import dev.geminilive.flow.FlowPosition;
import dev.geminilive.flow.StageChange;
import dev.geminilive.flow.Trigger;
import dev.geminilive.it.HelpDeskFlow.DeskTools;
import dev.geminilive.it.lifecycle.Waits;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.FakeSession;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordedMessage;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import dev.geminilive.testkit.Script;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A session built with a {@link Flow}, end to end against the fake on {@code gemini-3.8-live}: each
 * stage entered with a {@code contextUpdate} after the answer that triggered it, tools of other
 * stages refused without running, {@code requires} across stages, the position kept across resumes
 * and rebuilds; and on 3.1 the same change made by a planned move.
 */
class ConversationFlowTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  /** The fake model's side: intake, then triage, with the calls a test asks for. */
  private static void intake(Script s) {
    s.onText("I am Ada")
        .callTool("open_ticket", Map.of("caller_name", "Ada"))
        .onToolResponse("open_ticket")
        .reply((turn, r) -> r.say("Ticket " + turn.toolResult().path("output").asText() + "."));
  }

  private static void triage(Script s) {
    s.onText("the printer jams")
        .callTool("next_step", Map.of("summary", "Ada's printer on floor 3 jams."))
        .onToolResponse("next_step")
        .reply(r -> r.say("Let us book a callback."));
  }

  private ResilientLiveSession connect(Flow flow, RecordingLiveListener events) {
    return live.server().sessionBuilder().flow(flow).listener(events).connect();
  }

  @Test
  void aStageToolThatSucceedsMovesTheFlowWithAContextUpdateAfterItsAnswer() throws Exception {
    FakeLiveServer server = live.server();
    server.script(ConversationFlowTest::intake);
    DeskTools tools = new DeskTools();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = connect(HelpDeskFlow.flow(tools), events)) {
      FlowPosition position = session.flow().orElseThrow();
      assertThat(position.stage().name()).isEqualTo("intake");
      session.sendText("I am Ada");

      StageChange change = (StageChange) events.await(EventType.STAGE_CHANGED).value();
      assertThat(change.from()).isEqualTo("intake");
      assertThat(change.to()).isEqualTo("triage");
      assertThat(change.trigger()).isEqualTo(Trigger.toolSucceeded("open_ticket"));
      assertThat(change.carried())
          .containsExactly(Map.entry("ticket_id", "T-1"), Map.entry("caller_name", "Ada"));
      assertThat(position.stage().name()).isEqualTo("triage");
      assertThat(position.history()).containsExactly(change);
      assertThat(session.spec().tools().names()).containsExactly("next_step");

      List<RecordedMessage> updates =
          server.recorder().awaitOfKind(MessageKind.CONTEXT_UPDATE, 1, WAIT);
      RecordedMessage response = server.recorder().ofKind(MessageKind.TOOL_RESPONSE).get(0);
      assertThat(response.sequence())
          .as("the tool's answer goes out before the stage's context")
          .isLessThan(updates.get(0).sequence());
      JsonNode update = updates.get(0).json().path("contextUpdate");
      assertThat(update.at("/systemInstruction/parts/0/text").asText())
          .contains("ticket_id: T-1")
          .contains("caller_name: Ada")
          .contains("**Triage:**")
          .contains("call `next_step`")
          .doesNotContain("open_ticket");

      server
          .recorder()
          .awaitUntil(
              "the fake in the triage stage",
              WAIT,
              r -> server.sessions().get(0).toolNames().equals(List.of("next_step")));
      assertThat(server.connections()).hasSize(1);
      assertThat(events.count(EventType.RECONNECTING)).isZero();
      assertThat(tools.tickets).hasValue(1);
    }
  }

  @Test
  void aToolOfALaterStageIsRefusedEarlyWithWhereItBelongsAndItsHandlerDoesNotRun()
      throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText("book me at nine")
                .callTool("book_callback", Map.of("slot", "09:00"))
                .onToolResponse("book_callback")
                .reply((turn, r) -> r.say("The desk said " + turn.toolStatus().orElse("nothing"))));
    DeskTools tools = new DeskTools();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = connect(HelpDeskFlow.flow(tools), events)) {
      session.sendText("book me at nine");
      JsonNode result = (JsonNode) events.await(EventType.TOOL_RESULT).value();
      JsonNode refusal = result;
      assertThat(refusal.path("status").asText()).isEqualTo("wrong_stage");
      assertThat(refusal.path("retryable").asBoolean()).isFalse();
      assertThat(refusal.path("valid_options"))
          .extracting(JsonNode::asText)
          .containsExactly("open_ticket");
      assertThat(refusal.path("error").asText())
          .contains("'book_callback' is a tool of the 'callback' step")
          .contains("has not reached")
          .contains("in the 'intake' step, where you can call [open_ticket]");
      events.awaitTurnComplete();
      assertThat(events.outputTranscript()).contains("The desk said wrong_stage");
      assertThat(session.flow().orElseThrow().stage().name()).isEqualTo("intake");
    }
    assertThat(tools.bookings).hasValue(0);
    assertThat(server.recorder().ofKind(MessageKind.CONTEXT_UPDATE)).isEmpty();
  }

  @Test
  void aMessageWithARefusedAndAnAllowedCallIsAnsweredOnceWithBoth() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText("both")
                .reply(
                    r ->
                        r.message(
                            "{\"toolCall\":{\"functionCalls\":["
                                + "{\"id\":\"m-1\",\"name\":\"book_callback\","
                                + "\"args\":{\"slot\":\"09:00\"}},"
                                + "{\"id\":\"m-2\",\"name\":\"open_ticket\","
                                + "\"args\":{\"caller_name\":\"Ada\"}}]}}")));
    DeskTools tools = new DeskTools();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = connect(HelpDeskFlow.flow(tools), events)) {
      session.sendText("both");
      events.awaitStageChanged("intake", "triage");
      // The update follows the answers: once it is there, every answer is.
      RecordedMessage update =
          server.recorder().awaitOfKind(MessageKind.CONTEXT_UPDATE, 1, WAIT).get(0);
      List<RecordedMessage> responses = server.recorder().ofKind(MessageKind.TOOL_RESPONSE);
      assertThat(responses).hasSize(1);
      List<JsonNode> answers = responses.get(0).functionResponses();
      assertThat(answers)
          .extracting(a -> a.path("id").asText())
          .containsExactlyInAnyOrder("m-1", "m-2");
      for (JsonNode a : answers) {
        if (a.path("id").asText().equals("m-1")) {
          assertThat(a.at("/response/status").asText()).isEqualTo("wrong_stage");
        } else {
          assertThat(a.at("/response/output").asText()).isEqualTo("T-1");
        }
      }
      assertThat(update.sequence()).isGreaterThan(responses.get(0).sequence());
    }
    assertThat(tools.bookings).hasValue(0);
    assertThat(tools.tickets).hasValue(1);
  }

  @Test
  void nextStepCarriesTheModelsSummaryAndRequiresHoldAcrossStages() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s -> {
          intake(s);
          triage(s);
          s.onText("nine please")
              .callTool("book_callback", Map.of("slot", "09:00"))
              .onToolResponse("book_callback")
              .reply(
                  (turn, r) -> {
                    if (turn.toolStatus().isPresent()) {
                      r.callTool("find_slots", Map.of());
                    } else {
                      r.say("Booked.");
                    }
                  })
              .onToolResponse("find_slots")
              .callTool("book_callback", Map.of("slot", "09:00"));
        });
    DeskTools tools = new DeskTools();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = connect(HelpDeskFlow.flow(tools), events)) {
      session.sendText("I am Ada");
      events.awaitStageChanged("intake", "triage");
      session.sendText("the printer jams");
      StageChange toCallback = events.awaitStageChanged("triage", "callback");
      assertThat(toCallback.trigger()).isInstanceOf(Trigger.NextStep.class);
      assertThat(toCallback.carried())
          .containsEntry(Flow.SUMMARY, "Ada's printer on floor 3 jams.");
      assertThat(session.spec().systemInstruction())
          .contains("**So far in this conversation:** Ada's printer on floor 3 jams.")
          .contains("ticket_id: T-1");

      session.sendText("nine please");
      StageChange toGoodbye = events.awaitStageChanged("callback", "goodbye");
      assertThat(toGoodbye.trigger()).isEqualTo(Trigger.toolSucceeded("book_callback"));
      server
          .recorder()
          .awaitUntil("both answers to book_callback", WAIT, r -> bookings(r).size() == 2);
    }
    List<JsonNode> answers = bookings(server.recorder());
    assertThat(answers).hasSize(2);
    JsonNode early = answers.get(0).at("/response");
    assertThat(early.path("status").asText()).isEqualTo("precondition_failed");
    assertThat(early.path("error").asText()).contains("'book_callback' cannot run yet");
    assertThat(early.path("retryable").asBoolean()).isTrue();
    assertThat(early.path("retry_hint").asText())
        .isEqualTo("Call 'find_slots' first, then call 'book_callback' again.");
    assertThat(answers.get(1).at("/response/output").asText()).isEqualTo("booked 09:00");
    assertThat(tools.bookings).as("the refused call ran nothing").hasValue(1);
  }

  @Test
  void theApplicationMovesTheFlowByADeclaredTransitionOnly() throws Exception {
    server().script(ConversationFlowTest::intake);
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = connect(HelpDeskFlow.flow(new DeskTools()), events)) {
      FlowPosition position = session.flow().orElseThrow();
      assertThatThrownBy(() -> position.moveTo("callback"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Stage 'intake' has no transition to 'callback'")
          .hasMessageContaining("[triage]");
      session.sendText("I am Ada");
      events.awaitStageChanged("intake", "triage");

      position.moveTo("goodbye").get(WAIT.toSeconds(), TimeUnit.SECONDS);
      StageChange change = events.awaitStageChanged("triage", "goodbye");
      assertThat(change.trigger()).isEqualTo(Trigger.requested());
      assertThat(position.history())
          .extracting(StageChange::to)
          .containsExactly("triage", "goodbye");
      assertThat(session.spec().tools().isEmpty()).isTrue();
      assertThat(position.carried()).containsKeys("ticket_id", "caller_name");
    }
  }

  @Test
  void aResumedSessionIsInTheSameStageAndAToolOfAStageThatIsOverIsRefused() throws Exception {
    FakeLiveServer server = server();
    server.script(
        s ->
            s.onText("I am Ada")
                .callTool("open_ticket", Map.of("caller_name", "Ada"))
                .onText("open another")
                .callTool("open_ticket", Map.of("caller_name", "Ada"))
                .onToolResponse("open_ticket")
                .reply(
                    (turn, r) ->
                        r.say("The desk said " + turn.toolStatus().orElse("ticket opened"))));
    DeskTools tools = new DeskTools();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = connect(HelpDeskFlow.flow(tools), events)) {
      session.sendText("I am Ada");
      events.awaitStageChanged("intake", "triage");
      server.recorder().awaitOfKind(MessageKind.CONTEXT_UPDATE, 1, WAIT);
      String handle = Waits.handleOtherThan(events, session, null, WAIT);

      server.connections().get(0).drop();
      assertThat(events.await(EventType.RECONNECTED).value()).isEqualTo(ContextRestoration.RESUMED);
      assertThat(server.recorder().setups().get(1).at("/sessionResumption/handle").asText())
          .isNotEmpty();
      assertThat(session.flow().orElseThrow().stage().name()).isEqualTo("triage");
      FakeSession fake = server.sessions().get(0);
      assertThat(fake.toolNames()).containsExactly("next_step");
      assertThat(fake.systemInstruction()).contains("ticket_id: T-1");

      session.sendText("open another");
      events.awaitTurnComplete(2, WAIT);
      assertThat(events.outputTranscript()).contains("The desk said wrong_stage");
      assertThat(handle).isNotEmpty();
    }
    assertThat(tools.tickets).hasValue(1);
    assertThat(
            server.recorder().ofKind(MessageKind.CONTEXT_UPDATE).stream()
                .map(RecordedMessage::connectionIndex)
                .toList())
        .as("sent once, and again on the resumed connection only if no handle covered it")
        .doesNotHaveDuplicates();
  }

  @Test
  void aSessionRebuiltFromHistoryOpensInTheCurrentStageWithWhatWasCarried() throws Exception {
    FakeLiveServer server = server();
    server.script(ConversationFlowTest::intake);
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = connect(HelpDeskFlow.flow(new DeskTools()), events)) {
      session.sendText("I am Ada");
      events.awaitStageChanged("intake", "triage");
      server.recorder().awaitOfKind(MessageKind.CONTEXT_UPDATE, 1, WAIT);
      Waits.handleOtherThan(events, session, null, WAIT);

      server.faults().expireHandles();
      server.connections().get(0).drop();
      assertThat(events.await(EventType.RECONNECTED).value())
          .isEqualTo(ContextRestoration.REBUILT_FROM_HISTORY);
      JsonNode rebuilt = server.recorder().setups().get(server.recorder().setups().size() - 1);
      assertThat(
              rebuilt.at("/sessionResumption/handle").isMissingNode()
                  || rebuilt.at("/sessionResumption/handle").asText().isEmpty())
          .as("a fresh service session")
          .isTrue();
      assertThat(rebuilt.at("/systemInstruction/parts/0/text").asText())
          .contains("**Triage:**")
          .contains("ticket_id: T-1")
          .contains("caller_name: Ada");
      assertThat(rebuilt.at("/tools/0/functionDeclarations/0/name").asText())
          .isEqualTo("next_step");
      assertThat(session.flow().orElseThrow().stage().name()).isEqualTo("triage");
    }
  }

  @Test
  void aStageChangeInFlightWhenTheConnectionDropsHappensOnce() throws Exception {
    FakeLiveServer server = server();
    server.script(
        s ->
            s.onText("hello")
                .say("Hello, this is Sam.")
                .onText("I am Ada")
                .callTool("open_ticket", Map.of("caller_name", "Ada"))
                .onToolResponse("open_ticket")
                // The answer arrives; the context update is on its way behind it: cut the line.
                .reply(r -> server.connections().get(0).drop()));
    DeskTools tools = new DeskTools();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = connect(HelpDeskFlow.flow(tools), events)) {
      session.sendText("hello");
      events.awaitTurnComplete();
      Waits.handleOtherThan(events, session, null, WAIT);
      session.sendText("I am Ada");
      events.await(EventType.RECONNECTED);
      server
          .recorder()
          .awaitUntil(
              "the fake session in the triage stage",
              WAIT,
              r -> last(server).toolNames().equals(List.of("next_step")));
      assertThat(events.count(EventType.STAGE_CHANGED)).isEqualTo(1);
      assertThat(session.flow().orElseThrow().history()).hasSize(1);
      assertThat(last(server).systemInstruction()).contains("ticket_id: T-1");
      List<RecordedMessage> updates = server.recorder().ofKind(MessageKind.CONTEXT_UPDATE);
      assertThat(updates.stream().map(RecordedMessage::connectionIndex).toList())
          .as("at most once per connection: sent, and sent again only where it was lost")
          .doesNotHaveDuplicates();
    }
    assertThat(tools.tickets).as("the tool ran once").hasValue(1);
  }

  @Test
  void onAModelWithoutContextUpdatesTheStageChangesByAPlannedMove() throws Exception {
    FakeLiveServer server = server();
    server.script(ConversationFlowTest::intake);
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        live.server()
            .sessionBuilder()
            .model(ModelProfile.GEMINI_3_1_FLASH_LIVE)
            .flow(HelpDeskFlow.flow(new DeskTools()))
            .listener(events)
            .connect()) {
      session.sendText("I am Ada");
      events.awaitStageChanged("intake", "triage");
      Reconnecting move = (Reconnecting) events.await(EventType.RECONNECTING).value();
      assertThat(move.planned()).isTrue();
      assertThat(events.await(EventType.RECONNECTED).value()).isEqualTo(ContextRestoration.RESUMED);
      JsonNode moved = server.recorder().setups().get(1);
      assertThat(moved.at("/systemInstruction/parts/0/text").asText()).contains("ticket_id: T-1");
      assertThat(moved.at("/tools/0/functionDeclarations/0/name").asText()).isEqualTo("next_step");
      assertThat(server.recorder().ofKind(MessageKind.CONTEXT_UPDATE)).isEmpty();
    }
  }

  private static List<JsonNode> bookings(dev.geminilive.testkit.Recorder recorder) {
    return recorder.ofKind(MessageKind.TOOL_RESPONSE).stream()
        .flatMap(m -> m.functionResponses().stream())
        .filter(r -> r.path("name").asText().equals("book_callback"))
        .toList();
  }

  private FakeLiveServer server() {
    return live.server();
  }

  private static FakeSession last(FakeLiveServer server) {
    List<FakeSession> sessions = server.sessions();
    return sessions.get(sessions.size() - 1);
  }
}
