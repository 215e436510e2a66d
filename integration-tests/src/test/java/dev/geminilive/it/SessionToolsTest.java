package dev.geminilive.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.ContextRestoration;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordedMessage;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolContext;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The tool-call loop through a whole session: from toolCall to toolResponse. */
class SessionToolsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  private static List<JsonNode> responses(FakeLiveServer server) {
    return server.recorder().ofKind(MessageKind.TOOL_RESPONSE).stream()
        .flatMap(m -> m.functionResponses().stream())
        .toList();
  }

  @Test
  void runsTheCareerCoachFlowWithMatchingIdsAndNames() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText(t -> t.startsWith("I'm Ada"))
                .callTool(
                    "create_client_profile",
                    Map.of(
                        "full_name", "Ada Lovelace", "date_of_birth", "1815-12-10", "state", "NY"))
                .onToolResponse("create_client_profile")
                .reply(r -> r.say("Thanks, Ada. What's on your mind?"))
                .onText(t -> t.contains("resume"))
                .callTool(
                    "add_action_items_to_profile",
                    Map.of("client_id", "client-1", "action_items", List.of("Update resume")))
                .onToolResponse("add_action_items_to_profile")
                .reply(r -> r.say("Noted."))
                .onText(t -> t.contains("next session"))
                .callTool("get_next_appointment", Map.of("client_id", "client-1"))
                .onToolResponse("get_next_appointment")
                .reply(r -> r.callTool("get_available_appointments", Map.of()))
                .onToolResponse("get_available_appointments")
                .reply(r -> r.say("I have October 30 at 2:30 PM."))
                .onText(t -> t.contains("book it"))
                .callTool(
                    "schedule_appointment",
                    Map.of("client_id", "client-1", "appointment_datetime", "2025-10-30T14:30:00"))
                .onToolResponse("schedule_appointment")
                .reply(r -> r.say("You're booked.")));
    CoachStore store = new CoachStore();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        Fakes.builder(server).tools(store).listener(events).connect()) {
      int turns = 0;
      for (String line :
          List.of(
              "I'm Ada Lovelace, born 1815-12-10, calling from NY",
              "I want to update my resume",
              "when is my next session?",
              "book it")) {
        session.sendText(line);
        events.awaitTurnComplete(++turns, WAIT);
      }
    }
    assertThat(store.profiles.get("client-1").dateOfBirth()).isEqualTo(LocalDate.of(1815, 12, 10));
    assertThat(store.actionItems.get("client-1")).containsExactly("Update resume");
    assertThat(store.booked.get("client-1")).isEqualTo(LocalDateTime.parse("2025-10-30T14:30"));
    List<ToolCallEvent> calls = events.values(EventType.TOOL_CALL);
    List<JsonNode> sent = responses(server);
    assertThat(calls)
        .extracting(ToolCallEvent::name)
        .containsExactly(
            "create_client_profile",
            "add_action_items_to_profile",
            "get_next_appointment",
            "get_available_appointments",
            "schedule_appointment");
    assertThat(sent).hasSize(5);
    for (int i = 0; i < 5; i++) {
      assertThat(sent.get(i).path("id").asText()).isEqualTo(calls.get(i).id());
      assertThat(sent.get(i).path("name").asText()).isEqualTo(calls.get(i).name());
      assertThat(sent.get(i).path("response").has("output")).isTrue();
    }
    assertThat(sent.get(0).at("/response/output").asText()).isEqualTo("client-1");
  }

  @Test
  void aCallThatBreaksItsGuardGetsAnErrorAndTheHandlerDoesNotRun() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText("book now")
                .callTool(
                    "schedule_appointment",
                    Map.of("client_id", "c", "appointment_datetime", "2025-10-30T14:30:00")));
    CoachStore store = new CoachStore();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        Fakes.builder(server).tools(store).listener(events).connect()) {
      session.sendText("book now");
      events.await(EventType.TOOL_RESULT);
      Await.received(server.recorder(), "the response", WAIT, () -> !responses(server).isEmpty());
    }
    JsonNode response = responses(server).get(0).path("response");
    assertThat(response.path("error").asText()).contains("get_available_appointments");
    assertThat(store.scheduleCalls.get()).isZero();
  }

  @Test
  void wrongArgumentsGetAnErrorTheModelCanRead() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText("go")
                .callTool(
                    "create_client_profile",
                    Map.of("full_name", "Ada", "date_of_birth", "yesterday", "state", "NY")));
    CoachStore store = new CoachStore();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        Fakes.builder(server).tools(store).listener(events).connect()) {
      session.sendText("go");
      Await.received(server.recorder(), "the response", WAIT, () -> !responses(server).isEmpty());
    }
    assertThat(responses(server).get(0).at("/response/error").asText()).contains("date_of_birth");
    assertThat(store.profiles).isEmpty();
  }

  @Test
  void aToolThatHangsGetsATimeoutErrorResponse() throws Exception {
    FakeLiveServer server = live.server();
    server.script(s -> s.onText("look").callTool("slow_lookup", Map.of("query", "x")));
    CoachStore store = new CoachStore();
    store.slowMillis = 10_000;
    try (ResilientLiveSession session =
        Fakes.builder(server).tools(store).toolTimeout(Duration.ofMillis(200)).connect()) {
      session.sendText("look");
      Await.received(server.recorder(), "the response", WAIT, () -> !responses(server).isEmpty());
    }
    assertThat(responses(server).get(0).at("/response/error").asText())
        .contains("did not finish within 200 ms");
    // The handler sees the cancellation on its own thread, which may run after the response left.
    assertThat(store.slowCancelled.await(WAIT.toSeconds(), TimeUnit.SECONDS))
        .as("the handler saw the cancellation")
        .isTrue();
  }

  @Test
  void aCancelledCallIsStoppedAndGetsNoResponse() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText("look")
                .reply(r -> r.callTool("slow_lookup", Map.of("query", "x")))
                .onText("never mind")
                .reply(r -> r.say("OK.")));
    CoachStore store = new CoachStore();
    store.slowMillis = 5_000;
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        Fakes.builder(server).tools(store).listener(events).connect()) {
      session.sendText("look");
      assertThat(store.slowStarted.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      session.sendText("never mind");
      events.await(EventType.TOOL_CALL_CANCELLED);
      assertThat(store.slowCancelled.await(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
          .as("the handler saw the cancellation")
          .isTrue();
      events.await(EventType.TURN_COMPLETE);
    }
    assertThat(responses(server)).isEmpty();
  }

  @Test
  void aGoAwayDuringAToolCallWaitsForTheResponseAndAFreshHandle() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText("look")
                .callTool("slow_lookup", Map.of("query", "x"))
                .onToolResponse("slow_lookup")
                .reply(r -> r.say("Found it.")));
    CoachStore store = new CoachStore();
    store.slowMillis = 300;
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        Fakes.builder(server).tools(store).listener(events).connect()) {
      session.sendText("look");
      assertThat(store.slowStarted.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      server.connections().get(0).goAway(Duration.ofSeconds(10));
      assertThat(events.await(EventType.RECONNECTED).value()).isEqualTo(ContextRestoration.RESUMED);
      assertThat(events.outputTranscript()).contains("Found it.");
    }
    List<RecordedMessage> toolResponses = server.recorder().ofKind(MessageKind.TOOL_RESPONSE);
    assertThat(toolResponses).hasSize(1);
    assertThat(toolResponses.get(0).connectionIndex()).isZero();
    assertThat(store.slowCalls.get()).isEqualTo(1);
  }

  @Test
  void aDropDuringAToolCallNeverAnswersACallTwice() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText("look")
                .callTool("slow_lookup", Map.of("query", "x"))
                .onToolResponse("slow_lookup")
                .reply(r -> r.say("Found it.")));
    CoachStore store = new CoachStore();
    store.slowMillis = 300;
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        Fakes.builder(server).tools(store).listener(events).connect()) {
      session.sendText("warm up");
      events.awaitTurnComplete();
      ResilienceTest.awaitHandle(events, session);
      session.sendText("look");
      assertThat(store.slowStarted.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      server.connections().get(0).drop();
      events.await(EventType.RECONNECTED);
      events.awaitTurnComplete(2, WAIT);
      assertThat(events.outputTranscript()).contains("Found it.");
    }
    List<String> answeredIds = responses(server).stream().map(r -> r.path("id").asText()).toList();
    assertThat(answeredIds).doesNotHaveDuplicates();
    List<String> calledIds =
        events.<ToolCallEvent>values(EventType.TOOL_CALL).stream().map(ToolCallEvent::id).toList();
    // The first call was made by a state the resumed session never saw: its answer is dropped.
    assertThat(answeredIds).doesNotContain(calledIds.get(0));
  }

  /** Tells which session runs it. */
  static final class WhoRunsMe {
    final BlockingQueue<String> sessionNames = new LinkedBlockingQueue<>();

    @LiveTool(description = "Says which session runs it.")
    String whoRunsMe(ToolContext context) {
      sessionNames.add(context.sessionName());
      return "ok";
    }
  }

  @Test
  void aToolSeesTheSessionsNameWhichIsNotTheServicesSessionId() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText("who")
                .callTool("whoRunsMe", Map.of())
                .onToolResponse("whoRunsMe")
                .reply(r -> r.say("Done.")));
    WhoRunsMe tool = new WhoRunsMe();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        Fakes.builder(server).tools(tool).listener(events).connect()) {
      session.sendText("who");
      String seen = tool.sessionNames.poll(10, TimeUnit.SECONDS);
      assertThat(seen).as("the name the tool saw").isEqualTo(session.name());
      assertThat(session.toString()).startsWith(session.name());
      assertThat(session.sessionId())
          .as("the service's id")
          .contains(server.sessions().get(0).id());
      assertThat(session.name()).isNotEqualTo(server.sessions().get(0).id());
    }
  }
}
