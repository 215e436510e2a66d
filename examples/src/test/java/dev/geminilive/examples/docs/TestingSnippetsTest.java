package dev.geminilive.examples.docs;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.ContextRestoration;
import dev.geminilive.InteractionStatus;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ReconnectPolicy;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.examples.coach.CoachInstruction;
import dev.geminilive.examples.coach.CoachTools;
import dev.geminilive.examples.coach.CoachTools.Appointment;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordedMessage;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The tests shown in docs/testing.md; they run with the build. */
class TestingSnippetsTest {
  private static final LocalDateTime SLOT = LocalDateTime.of(2026, 12, 3, 14, 30);

  // snippet:testing-extension
  @RegisterExtension final FakeLiveServerExtension live = new FakeLiveServerExtension();

  @Test
  void answersHello() {
    live.server().script(s -> s.onText("hello").say("Hi, I'm Laura."));
    RecordingLiveListener events = new RecordingLiveListener();

    try (ResilientLiveSession session = live.server().sessionBuilder().listener(events).connect()) {
      session.sendText("hello");

      events.awaitTurnComplete();
      assertThat(events.outputTranscript()).isEqualTo("Hi, I'm Laura.");
    }
  }

  // end:testing-extension

  // snippet:testing-tools
  @Test
  void booksTheSlotTheClientChose() {
    CoachTools tools = new CoachTools(List.of(SLOT));
    live.server()
        .script(
            s ->
                s.onText("I'm Maya Chen, born 1991-03-14, from NY.")
                    .callTool(
                        "create_client_profile",
                        Map.of(
                            "full_name", "Maya Chen", "date_of_birth", "1991-03-14", "state", "NY"))
                    .onText("What's free?")
                    .callTool("get_available_appointments", Map.of())
                    .onText("Book it.")
                    .callTool(
                        "schedule_appointment",
                        Map.of("client_id", "client-1", "appointment_datetime", SLOT.toString()))
                    .onToolResponse("schedule_appointment")
                    .say("You're booked."));
    RecordingLiveListener events = new RecordingLiveListener();

    try (ResilientLiveSession session =
        live.server().sessionBuilder().tools(tools).listener(events).connect()) {
      List<String> lines =
          List.of("I'm Maya Chen, born 1991-03-14, from NY.", "What's free?", "Book it.");
      for (int i = 0; i < lines.size(); i++) {
        session.sendText(lines.get(i));
        events.awaitTurnComplete(i + 1, Duration.ofSeconds(10));
      }

      assertThat(tools.appointment("client-1")).contains(new Appointment("client-1", SLOT));
      assertThat(events.outputTranscript()).endsWith("You're booked.");
    }
  }

  // end:testing-tools

  // snippet:testing-configure
  /** The application's agent as its production code builds it; credentials come from outside. */
  static LiveSessionBuilder coach(CoachTools tools) {
    return ResilientLiveSession.builder()
        .voice("Peri")
        .systemInstruction(CoachInstruction.laura())
        .tools(tools)
        .reconnectPolicy(ReconnectPolicy.exponential(ofMillis(250), 2.0, ofSeconds(10)));
  }

  @Test
  void theApplicationsOwnAgentLooksUpTheOpenings() {
    CoachTools tools = new CoachTools(List.of(SLOT));
    live.server()
        .script(s -> s.onText("Book me in.").callTool("get_available_appointments", Map.of()));
    RecordingLiveListener events = new RecordingLiveListener();

    try (ResilientLiveSession session =
        live.server().configure(coach(tools)).listener(events).connect()) {
      session.sendText("Book me in.");

      ToolCallEvent call = (ToolCallEvent) events.await(EventType.TOOL_CALL).value();
      assertThat(call.name()).isEqualTo("get_available_appointments");
      JsonNode result = (JsonNode) events.await(EventType.TOOL_RESULT).value();
      assertThat(result.at("/output/0").asText()).isEqualTo("2026-12-03T14:30:00");
    }
  }

  // end:testing-configure

  // snippet:testing-in-order
  @Test
  void answersInOrder() {
    live.server().script(s -> s.onText("hello").say("Hi, I'm Laura."));
    RecordingLiveListener events =
        new RecordingLiveListener().ignore(EventType.AUDIO, EventType.USAGE);

    try (ResilientLiveSession session = live.server().sessionBuilder().listener(events).connect()) {
      session.sendText("hello");

      events.assertOpen();
      events.assertOutputTranscript("Hi, I'm Laura.");
      events.assertGenerationComplete();
      events.assertTurnComplete();
      events.assertNext(EventType.INTERACTION_STATUS, InteractionStatus.IDLE); // 3.8: nothing left
    }
    events.assertClosed();
    events.assertNoMoreEvents();
  }

  // end:testing-in-order

  // snippet:testing-faults
  @Test
  void survivesADroppedConnection() throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = server.sessionBuilder().listener(events).connect()) {
      session.sendText("first");
      events.awaitTurnComplete(); // the fake sends a resumption handle after each turn

      server.connections().get(0).drop(); // TCP gone, no close frame (the client sees 1006)

      assertThat(events.await(EventType.RECONNECTED).value()).isEqualTo(ContextRestoration.RESUMED);
      session.sendText("second");
      events.awaitTurnComplete(2, Duration.ofSeconds(10));
      assertThat(server.recorder().setups().get(1).at("/sessionResumption/handle").asText())
          .isNotEmpty();
    }
  }

  // end:testing-faults

  // snippet:testing-recorder
  @Test
  void sendsTheSetupTheSpecDescribes() throws Exception {
    FakeLiveServer server = live.server();
    try (ResilientLiveSession session =
        server.sessionBuilder().voice("Peri").language("en-US").connect()) {
      session.sendText("hi");

      RecordedMessage setup = server.takeClientMessage(Duration.ofSeconds(5));
      assertThat(setup.kind()).isEqualTo(MessageKind.SETUP);
      assertThat(setup.setup().at("/generationConfig/speechConfig/languageCode").asText())
          .isEqualTo("en-US");
      assertThat(server.takeClientMessage(Duration.ofSeconds(5)).text()).isEqualTo("hi");
    }
  }

  // end:testing-recorder

  @Test
  void standaloneServer() throws Exception {
    // snippet:testing-standalone
    try (FakeLiveServer server = FakeLiveServer.builder().build()) {
      server.script(s -> s.onAnyText().say("Hello from the fake model."));
      server.faults().goAwayAfterSetup(Duration.ofSeconds(2), Duration.ofSeconds(5));
      RecordingLiveListener events = new RecordingLiveListener();
      try (ResilientLiveSession session = server.sessionBuilder().listener(events).connect()) {
        session.sendText("hi");
        events.awaitTurnComplete();
        events.await(EventType.GO_AWAY);
        events.await(EventType.RECONNECTED); // planned move at the next pause
      }
    }
    // end:testing-standalone
  }
}
