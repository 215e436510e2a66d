package dev.geminilive.examples.coach;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.ContextRestoration;
import dev.geminilive.ContextUpdate;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ModelProfile;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.FakeSession;
import dev.geminilive.testkit.HistoryEntry;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.Event;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolBehavior;
import dev.geminilive.tools.ToolContext;
import dev.geminilive.tools.ToolParam;
import dev.geminilive.tools.ToolResult;
import dev.geminilive.tools.ToolScheduling;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 13's "must show": a career-coach call on {@code gemini-3.8-live} against the fake server.
 * Asynchronous tool calls answered while Laura keeps speaking, a scheduling choice the fake
 * honours, a BLOCKING booking cancelled by barge-in, and a context update that survives a goAway
 * (resumed) and a drop with an expired handle (rebuilt).
 */
class CareerCoach38CallTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String LAURA = "You are Laura, a career coach from Brooklyn.";
  private static final String BILLING =
      "You are Laura. The session is booked: collect the fee with `take_payment`.";
  private static final String OPENINGS = "[\"2026-11-26T14:30\",\"2026-11-27T09:00\"]";

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  private final Openings openings = new Openings();
  private final Booking booking = new Booking();

  @AfterEach
  void releaseTools() {
    openings.release.countDown();
    booking.release.countDown();
  }

  /** NON_BLOCKING (the 3.8 default): holds its answer until the test releases it. */
  static final class Openings {
    final CountDownLatch running = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @LiveTool(
        name = "get_available_appointments",
        description = "Fetches a list of the next available appointment slots.")
    String openings() throws InterruptedException {
      running.countDown();
      release.await();
      return OPENINGS;
    }
  }

  /** The openings again, answered at once with the scheduling the test chooses per result. */
  static final class ScheduledOpenings {
    private final ToolScheduling scheduling;

    ScheduledOpenings(ToolScheduling scheduling) {
      this.scheduling = scheduling;
    }

    @LiveTool(
        name = "get_available_appointments",
        description = "Fetches a list of the next available appointment slots.")
    ToolResult openings() {
      return ToolResult.of(OPENINGS).scheduling(scheduling);
    }
  }

  /** BLOCKING: runs until it is cancelled, then returns a result anyway (which must not go out). */
  static final class Booking {
    final CountDownLatch running = new CountDownLatch(1);
    final CountDownLatch returned = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicBoolean toldOfCancellation = new AtomicBoolean();
    final AtomicBoolean interrupted = new AtomicBoolean();

    @LiveTool(
        name = "schedule_appointment",
        description = "Books a new appointment for a client at a specific date and time.",
        behavior = ToolBehavior.BLOCKING)
    String schedule(
        @ToolParam(name = "client_id", description = "The unique ID of the client.")
            String clientId,
        @ToolParam(name = "appointment_datetime", description = "The chosen slot, ISO 8601.")
            String appointmentDatetime,
        ToolContext context) {
      context.cancellation().thenRun(() -> toldOfCancellation.set(true));
      running.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        interrupted.set(true);
      } finally {
        returned.countDown();
      }
      return "booked " + appointmentDatetime;
    }
  }

  static final class ProfileTools {
    @LiveTool(
        name = "create_client_profile",
        description = "Creates a new client profile. Returns a unique client ID.")
    String create(
        @ToolParam(name = "full_name", description = "The client's full name.") String fullName) {
      return "client-1";
    }
  }

  static final class BillingTools {
    @LiveTool(name = "take_payment", description = "Takes the coaching fee.")
    String pay(String amount) {
      return "paid " + amount;
    }
  }

  private LiveSessionBuilder laura(RecordingLiveListener events, Object... tools) {
    return live.server()
        .sessionBuilder()
        .model(ModelProfile.GEMINI_3_8_LIVE)
        .persona(LAURA)
        .tools(tools)
        .outputTranscription(true)
        .listener(events);
  }

  private static int indexOf(List<Event> events, EventType type, String containing) {
    for (int i = 0; i < events.size(); i++) {
      Event e = events.get(i);
      if (e.type() == type && String.valueOf(e.value()).contains(containing)) {
        return i;
      }
    }
    return -1;
  }

  private static int firstAfter(List<Event> events, EventType type, int after) {
    for (int i = after + 1; i < events.size(); i++) {
      if (events.get(i).type() == type) {
        return i;
      }
    }
    return -1;
  }

  private static String handleOtherThan(
      RecordingLiveListener events, ResilientLiveSession session, @Nullable String previous) {
    events.awaitMatching(
        e ->
            e.type() == EventType.RESUMPTION_HANDLE
                && session.resumptionHandle().filter(h -> !h.equals(previous)).isPresent(),
        1,
        WAIT,
        "a new resumption handle");
    return session.resumptionHandle().orElseThrow();
  }

  @Test
  void laurasToolCallIsAnsweredWhileSheKeepsSpeaking() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText("What's free next week?")
                .reply(
                    r ->
                        r.say("Let me look at my calendar.")
                            .callTool("get_available_appointments", Map.of())
                            .say("While I look: what kind of role are you after?"))
                .onToolResponse("get_available_appointments")
                .reply(r -> r.say("Thursday at 2:30 is open.")));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = laura(events, openings).connect()) {
      session.sendText("What's free next week?");
      events.await(EventType.TOOL_CALL);
      assertThat(openings.running.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

      // The tool is still running (its answer is held): Laura keeps talking anyway.
      events.awaitMatching(
          e ->
              e.type() == EventType.OUTPUT_TRANSCRIPT
                  && String.valueOf(e.value()).contains("what kind of role"),
          1,
          WAIT,
          "Laura speaking while get_available_appointments runs");
      assertThat(server.recorder().ofKind(MessageKind.TOOL_RESPONSE)).isEmpty();
      assertThat(events.count(EventType.TURN_COMPLETE)).isZero();

      openings.release.countDown();
      events.await(EventType.TOOL_RESULT);
      events.awaitTurnComplete();
    }
    List<Event> all = events.events();
    int call = indexOf(all, EventType.TOOL_CALL, "");
    int audioAfterCall = firstAfter(all, EventType.AUDIO, call);
    int whileRunning = indexOf(all, EventType.OUTPUT_TRANSCRIPT, "what kind of role");
    int result = indexOf(all, EventType.TOOL_RESULT, "");
    int reply = indexOf(all, EventType.OUTPUT_TRANSCRIPT, "Thursday at 2:30");
    assertThat(call).isNotNegative();
    assertThat(audioAfterCall).as("audio after the toolCall").isGreaterThan(call);
    assertThat(result).as("the result after that audio").isGreaterThan(audioAfterCall);
    assertThat(whileRunning).isGreaterThan(call).isLessThan(result);
    assertThat(reply).as("the reply to the result").isGreaterThan(result);
    assertThat(
            server
                .recorder()
                .setups()
                .get(0)
                .at("/tools/0/functionDeclarations/0/behavior")
                .asText())
        .isEqualTo("NON_BLOCKING");
    assertThat(server.recorder().ofKind(MessageKind.TOOL_RESPONSE)).hasSize(1);
    assertThat(events.count(EventType.INTERRUPTED)).isZero();
  }

  @Test
  void aSilentResultJoinsTheHistoryAndNoReplyFollowsIt() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText("What's free next week?")
                .reply(
                    r ->
                        r.callTool("get_available_appointments", Map.of())
                            .say("I'll note the openings for later."))
                .onToolResponse("get_available_appointments")
                .reply(r -> r.say("Thursday at 2:30 is open."))
                .onText("Let's talk about my resume.")
                .reply(r -> r.say("Sure, send me your best bullet.")));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        laura(events, new ScheduledOpenings(ToolScheduling.SILENT)).connect()) {
      session.sendText("What's free next week?");
      events.await(EventType.TOOL_RESULT);
      server.recorder().awaitOfKind(MessageKind.TOOL_RESPONSE, 1, WAIT);
      events.awaitTurnComplete();
      // Input sent after the result: a reply to the result would come ahead of this turn's answer.
      session.sendText("Let's talk about my resume.");
      events.awaitTurnComplete(2, WAIT);
    }
    assertThat(events.outputTranscript())
        .as("nothing is said about a SILENT result")
        .doesNotContain("Thursday at 2:30")
        .endsWith("Sure, send me your best bullet.");
    assertThat(scheduling(server)).isEqualTo("SILENT");
    FakeSession fake = server.sessions().get(0);
    assertThat(fake.history())
        .extracting(HistoryEntry::text)
        .anyMatch(t -> t.startsWith("get_available_appointments -> ") && t.contains("14:30"));
    assertThat(fake.turnCount()).isEqualTo(2);
    assertThat(events.count(EventType.INTERRUPTED)).isZero();
  }

  @Test
  void anInterruptResultCutsLaurasTurnAndIsAnsweredAtOnce() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.speed(10)
                .onText("What's free next week?")
                .reply(
                    r ->
                        r.callTool("get_available_appointments", Map.of())
                            .say(
                                "While I look, a long story about negotiating offers.",
                                Duration.ofSeconds(60)))
                .onToolResponse("get_available_appointments")
                .reply(r -> r.say("Thursday at 2:30 is open.")));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        laura(events, new ScheduledOpenings(ToolScheduling.INTERRUPT)).connect()) {
      session.sendText("What's free next week?");
      events.await(EventType.INTERRUPTED);
      events.awaitTurnComplete(2, WAIT);
    }
    List<Event> all = events.events();
    int result = indexOf(all, EventType.TOOL_RESULT, "");
    int cut = indexOf(all, EventType.INTERRUPTED, "");
    int reply = indexOf(all, EventType.OUTPUT_TRANSCRIPT, "Thursday at 2:30");
    assertThat(result).isNotNegative();
    assertThat(cut).as("the turn is interrupted after the result").isGreaterThan(result);
    assertThat(reply).as("and the result answered at once").isGreaterThan(cut);
    assertThat(scheduling(server)).isEqualTo("INTERRUPT");
    assertThat(events.count(EventType.TOOL_CALL_CANCELLED)).isZero();
    assertThat(server.sessions().get(0).turnCount()).isEqualTo(2);
  }

  @Test
  void aBlockingBookingIsCancelledByBargeInAndNoResultIsSent() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText("Book me Thursday at 2:30.")
                .callTool(
                    "schedule_appointment",
                    Map.of("client_id", "client-1", "appointment_datetime", "2026-11-26T14:30"))
                .onText("Wait, make it Friday.")
                .reply(r -> r.say("Sure, I stopped that booking."))
                .onText("Anything else?")
                .reply(r -> r.say("No, that's all.")));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = laura(events, booking).connect()) {
      session.sendText("Book me Thursday at 2:30.");
      ToolCallEvent call = (ToolCallEvent) events.await(EventType.TOOL_CALL).value();
      assertThat(booking.running.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

      session.sendText("Wait, make it Friday."); // barge-in: new input cancels the BLOCKING call
      @SuppressWarnings("unchecked")
      List<String> cancelled = (List<String>) events.await(EventType.TOOL_CALL_CANCELLED).value();
      assertThat(cancelled).containsExactly(call.id());
      assertThat(booking.returned.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(booking.toldOfCancellation).as("the handler's cancellation completed").isTrue();
      assertThat(booking.interrupted).as("the handler's thread was interrupted").isTrue();

      // Sent after the handler returned: had its late result gone out, it would be ahead of this.
      session.sendText("Anything else?");
      events.awaitTurnComplete(3, WAIT);
    }
    assertThat(
            server
                .recorder()
                .setups()
                .get(0)
                .at("/tools/0/functionDeclarations/0/behavior")
                .asText())
        .isEqualTo("BLOCKING");
    assertThat(server.recorder().ofKind(MessageKind.TOOL_RESPONSE))
        .as("no toolResponse for the cancelled call")
        .isEmpty();
    assertThat(events.count(EventType.TOOL_RESULT)).isZero();
    assertThat(server.sessions().get(0).pendingToolCallIds()).isEmpty();
    assertThat(events.outputTranscript()).contains("Sure, I stopped that booking.");
  }

  @Test
  void aContextUpdateMidCallSurvivesAGoAwayAndADropWithAnExpiredHandle() throws Exception {
    String said = billingCallWithAGoAwayAndADrop(false);
    assertThat(said.split(Pattern.quote("under: " + BILLING), -1)).hasSize(3);
  }

  /**
   * The drop comes after the session saw the third turn end and before the handle that follows it
   * (the fake's turn end and its handle are two frames, and a drop can fall between them; here the
   * fake holds its own end of the turn). No handle covers "Still there?", so the rebuilt
   * conversation is seeded with the turns before it and has it replayed: once in the conversation,
   * and answered again under the update, as docs/resilience.md says of what is replayed.
   */
  @Test
  void aTurnWhoseHandleTheDropCutOffIsReplayedOnceInTheRebuiltCallAndAnsweredAgain()
      throws Exception {
    String said = billingCallWithAGoAwayAndADrop(true);
    assertThat(said.split(Pattern.quote("under: " + BILLING), -1)).hasSize(4);
  }

  /**
   * A turn under Laura's instruction, a context update (billing instruction and {@code
   * take_payment}), a turn under it, a goAway (resumed), a turn, a drop with every handle expired
   * (rebuilt), and the payment; {@code handleCutOff} makes the drop fall between the third turn's
   * end and its handle. Returns the output transcript.
   */
  private String billingCallWithAGoAwayAndADrop(boolean handleCutOff) throws Exception {
    FakeLiveServer server = live.server();
    CompletableFuture<Void> never = new CompletableFuture<>();
    AtomicInteger stillThere = new AtomicInteger();
    server.script(
        s ->
            s.onText("I'll pay now.")
                .callTool("take_payment", Map.of("amount", "80 USD"))
                .onToolResponse("take_payment")
                .reply(r -> r.say("Payment received."))
                .onAnyText()
                .reply(
                    (t, r) -> {
                      r.say("under: " + t.systemInstruction());
                      if (handleCutOff
                          && t.text().equals("Still there?")
                          && stillThere.incrementAndGet() == 1) {
                        // The session sees the turn end; the fake's own end, and its handle, wait.
                        r.message("{\"serverContent\":{\"turnComplete\":true}}").pauseUntil(never);
                      }
                    }));
    RecordingLiveListener events = new RecordingLiveListener();
    ContextUpdate billing =
        ContextUpdate.builder().systemInstruction(BILLING).tools(new BillingTools()).build();
    try (ResilientLiveSession session = laura(events, new ProfileTools()).connect()) {
      session.sendText("I'm Maya Chen.");
      events.awaitTurnComplete();
      String before = handleOtherThan(events, session, null);

      session.updateContext(billing).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      session.sendText("What do I owe?");
      events.awaitTurnComplete(2, WAIT);
      String covering = handleOtherThan(events, session, before);

      // goAway: the session moves to a new connection and resumes with the handle.
      server.connections().get(0).goAway(Duration.ofSeconds(5));
      assertThat(events.await(EventType.RECONNECTED).value()).isEqualTo(ContextRestoration.RESUMED);
      session.sendText("Still there?");
      events.awaitTurnComplete(3, WAIT);
      if (!handleCutOff) {
        // The drop must not fall before the handle that covers this turn, or the turn is replayed.
        handleAfterTurnEnd(events, 3);
      }
      JsonNode resumed = server.recorder().setups().get(1);
      assertThat(resumed.at("/sessionResumption/handle").asText()).isEqualTo(covering);
      assertThat(server.sessions()).hasSize(1);
      assertHoldsTheUpdate(server.sessions().get(0));

      // A drop with every handle expired: the session is rebuilt on a fresh fake session.
      server.faults().expireHandles();
      server.connections().get(1).drop();
      assertThat(events.await(EventType.RECONNECTED, 2, WAIT).value())
          .isEqualTo(ContextRestoration.REBUILT_FROM_HISTORY);
      session.sendText("I'll pay now.");
      events.await(EventType.TOOL_RESULT);
      // The payment's reply, not the n-th turn end: a replayed turn ends a turn of its own.
      turnEndAfter(events, "Payment received.");

      List<JsonNode> setups = server.recorder().setups();
      JsonNode rebuilt = setups.get(setups.size() - 1);
      assertThat(rebuilt.at("/sessionResumption/handle").isMissingNode()).isTrue();
      assertThat(rebuilt.at("/systemInstruction/parts/0/text").asText()).startsWith(BILLING);
      assertThat(rebuilt.at("/tools/0/functionDeclarations/0/name").asText())
          .isEqualTo("take_payment");
      assertThat(server.sessions()).hasSize(2);
      assertHoldsTheUpdate(server.sessions().get(1));
      assertThat(
              server.sessions().get(1).history().stream()
                  .filter(h -> h.role().equals("user"))
                  .map(HistoryEntry::text))
          .as("the rebuilt conversation holds each turn once")
          .containsExactly("I'm Maya Chen.", "What do I owe?", "Still there?", "I'll pay now.");
      assertThat(session.spec().tools().names()).containsExactly("take_payment");
    } finally {
      never.complete(null);
    }
    String said = events.outputTranscript();
    assertThat(said).contains("a career coach from Brooklyn.");
    said = said.substring(said.indexOf("a career coach from Brooklyn."));
    assertThat(said)
        .as("every turn after the update is answered under it, on each connection")
        .doesNotContain("under: " + LAURA)
        .contains("under: " + BILLING)
        .endsWith("Payment received.");
    assertThat(server.recorder().ofKind(MessageKind.TOOL_RESPONSE)).hasSize(1);
    return said;
  }

  /** Waits for the first resumption handle after the {@code n}-th turn end, and returns it. */
  private static String handleAfterTurnEnd(RecordingLiveListener events, int n) {
    List<Event> all = events.events();
    int end = -1;
    for (int i = 0, seen = 0; i < all.size() && seen < n; i++) {
      if (all.get(i).type() == EventType.TURN_COMPLETE && ++seen == n) {
        end = i;
      }
    }
    assertThat(end).as("turn end %d", n).isNotNegative();
    long handlesBefore =
        all.subList(0, end).stream().filter(e -> e.type() == EventType.RESUMPTION_HANDLE).count();
    return (String)
        events
            .awaitMatching(
                e -> e.type() == EventType.RESUMPTION_HANDLE,
                (int) handlesBefore + 1,
                WAIT,
                "the handle after turn end " + n)
            .value();
  }

  /** Waits for the turn end that follows the transcript {@code said}. */
  private static void turnEndAfter(RecordingLiveListener events, String said) {
    events.awaitMatching(
        e -> e.type() == EventType.OUTPUT_TRANSCRIPT && said.equals(e.value()),
        1,
        WAIT,
        "the transcript '" + said + "'");
    List<Event> all = events.events();
    int at = indexOf(all, EventType.OUTPUT_TRANSCRIPT, said);
    long endsBefore =
        all.subList(0, at).stream().filter(e -> e.type() == EventType.TURN_COMPLETE).count();
    events.awaitTurnComplete((int) endsBefore + 1, WAIT);
  }

  private static String scheduling(FakeLiveServer server) {
    List<JsonNode> answers =
        server.recorder().ofKind(MessageKind.TOOL_RESPONSE).stream()
            .flatMap(m -> m.functionResponses().stream())
            .toList();
    assertThat(answers).hasSize(1);
    return answers.get(0).path("scheduling").asText();
  }

  private static void assertHoldsTheUpdate(FakeSession session) {
    assertThat(session.systemInstruction()).startsWith(BILLING);
    assertThat(session.toolNames()).containsExactly("take_payment");
  }
}
