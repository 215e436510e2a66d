package dev.geminilive.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.ContextRestoration;
import dev.geminilive.ContextUpdate;
import dev.geminilive.LiveConfigException;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ModelProfile;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.Transport;
import dev.geminilive.it.lifecycle.Waits;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.FakeSession;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordedMessage;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolBehavior;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code updateContext} on gemini-3.8-live: a {@code contextUpdate} in order with the other input,
 * that every later resume and rebuild opens with, sent again once on a resumed connection when no
 * handle covered it.
 */
class ContextUpdateInPlaceTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String BILLING = "You are Laura. Collect the payment with `take_payment`.";

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  static final class CoachTools {
    @LiveTool(name = "create_client_profile", description = "Creates a client profile.")
    String create(String name) {
      return "client-1";
    }
  }

  static final class BillingTools {
    @LiveTool(name = "take_payment", description = "Takes a payment.")
    String pay(String amount) {
      return "paid " + amount;
    }
  }

  static final class BlockingBilling {
    @LiveTool(
        name = "take_payment",
        description = "Takes a payment.",
        behavior = ToolBehavior.BLOCKING)
    String pay(String amount) {
      return "paid " + amount;
    }
  }

  private static ContextUpdate billing() {
    return ContextUpdate.builder().systemInstruction(BILLING).tools(new BillingTools()).build();
  }

  /** The fake answers each turn with the instruction it is under. */
  private static void answerWithTheInstruction(FakeLiveServer server) {
    server.script(s -> s.onAnyText().reply((t, r) -> r.say("under: " + t.systemInstruction())));
  }

  private static LiveSessionBuilder coach(FakeLiveServer server, RecordingLiveListener events) {
    return server
        .sessionBuilder()
        .model(ModelProfile.GEMINI_3_8_LIVE)
        .persona("You are Laura, a career coach.")
        .tools(new CoachTools())
        .outputTranscription(true)
        .listener(events);
  }

  private static void assertHoldsTheUpdate(FakeSession s) {
    assertThat(s.systemInstruction()).startsWith(BILLING);
    assertThat(s.toolNames()).containsExactly("take_payment");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theUpdateIsProcessedInOrderWithTheOtherInput(Transport transport) throws Exception {
    FakeLiveServer server = live.server();
    answerWithTheInstruction(server);
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = coach(server, events).transport(transport).connect()) {
      session.sendText("one");
      CompletableFuture<Void> done = session.updateContext(billing());
      session.sendText("two");

      done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      events.awaitTurnComplete(2, WAIT);
      String said = String.join("", events.values(EventType.OUTPUT_TRANSCRIPT));
      assertThat(said).contains("a career coach.").contains("under: " + BILLING);
      assertThat(said.indexOf("a career coach."))
          .as("'one' is answered under the old instruction, 'two' under the new")
          .isLessThan(said.indexOf("under: " + BILLING));
      List<MessageKind> sent =
          server.recorder().all().stream()
              .map(RecordedMessage::kind)
              .filter(k -> k != MessageKind.SETUP)
              .toList();
      assertThat(sent)
          .containsExactly(
              MessageKind.REALTIME_TEXT, MessageKind.CONTEXT_UPDATE, MessageKind.REALTIME_TEXT);
      assertHoldsTheUpdate(server.sessions().get(0));
      assertThat(server.connections()).hasSize(1);
      assertThat(session.spec().tools().names()).containsExactly("take_payment");
    }
  }

  @Test
  void anInvalidUpdateFailsItsFutureAndNothingIsSent() throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        server
            .sessionBuilder()
            .model(ModelProfile.GEMINI_3_8_LIVE_EXTENDED_THINKING)
            .listener(events)
            .connect()) {
      CompletableFuture<Void> done =
          session.updateContext(ContextUpdate.builder().tools(new BlockingBilling()).build());
      assertThat(done.handle((v, e) -> e).get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .isInstanceOfSatisfying(
              LiveConfigException.class, e -> assertThat(e.field()).isEqualTo("tools"));
      session.sendText("hello");
      events.awaitTurnComplete();
      assertThat(server.recorder().ofKind(MessageKind.CONTEXT_UPDATE)).isEmpty();
      assertThat(session.spec().tools().names()).isEmpty();
    }
  }

  @Test
  void theUpdateSurvivesAGoAwayTheResumedSessionHoldsIt() throws Exception {
    FakeLiveServer server = live.server();
    answerWithTheInstruction(server);
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = coach(server, events).connect()) {
      session.updateContext(billing()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      session.sendText("one");
      events.awaitTurnComplete();
      String handle = Waits.handle(events, session, WAIT);

      server.connections().get(0).goAway(Duration.ofSeconds(5));
      assertThat(events.await(EventType.RECONNECTED).value()).isEqualTo(ContextRestoration.RESUMED);
      session.sendText("two");
      events.awaitTurnComplete(2, WAIT);

      JsonNode resumed = server.recorder().setups().get(1);
      assertThat(resumed.at("/sessionResumption/handle").asText()).isEqualTo(handle);
      assertThat(resumed.at("/systemInstruction/parts/0/text").asText()).startsWith(BILLING);
      assertThat(resumed.at("/tools/0/functionDeclarations/0/name").asText())
          .isEqualTo("take_payment");
      assertThat(server.sessions()).hasSize(1);
      assertHoldsTheUpdate(server.sessions().get(0));
      assertThat(server.recorder().ofKind(MessageKind.CONTEXT_UPDATE))
          .as("covered by the handle: not sent again")
          .hasSize(1);
      assertThat(String.join("", events.values(EventType.OUTPUT_TRANSCRIPT)))
          .doesNotContain("a career coach");
    }
  }

  @Test
  void anUpdateNoHandleCoversIsSentAgainOnceOnTheResumedConnection() throws Exception {
    FakeLiveServer server = live.server();
    answerWithTheInstruction(server);
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = coach(server, events).connect()) {
      session.sendText("one");
      events.awaitTurnComplete();
      Waits.handle(events, session, WAIT);
      session.updateContext(billing()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      Waits.received(
          server.recorder(),
          "the update",
          WAIT,
          () -> !server.recorder().ofKind(MessageKind.CONTEXT_UPDATE).isEmpty());

      server.connections().get(0).drop();
      assertThat(events.await(EventType.RECONNECTED).value()).isEqualTo(ContextRestoration.RESUMED);
      session.sendText("two");
      events.awaitTurnComplete(2, WAIT);

      List<RecordedMessage> updates = server.recorder().ofKind(MessageKind.CONTEXT_UPDATE);
      assertThat(updates).extracting(RecordedMessage::connectionIndex).containsExactly(0, 1);
      assertHoldsTheUpdate(server.sessions().get(0));
      assertThat(String.join("", events.values(EventType.OUTPUT_TRANSCRIPT)))
          .endsWith("under: " + BILLING);
    }
  }

  @Test
  void theUpdateSurvivesADropWithAnExpiredHandleTheRebuiltSessionHoldsIt() throws Exception {
    FakeLiveServer server = live.server();
    answerWithTheInstruction(server);
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = coach(server, events).connect()) {
      session.sendText("one");
      events.awaitTurnComplete();
      session.updateContext(billing()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      session.sendText("two");
      events.awaitTurnComplete(2, WAIT);
      Waits.handle(events, session, WAIT);

      server.faults().expireHandles();
      server.connections().get(0).drop();
      assertThat(events.await(EventType.RECONNECTED).value())
          .isEqualTo(ContextRestoration.REBUILT_FROM_HISTORY);
      session.sendText("three");
      events.awaitTurnComplete(3, WAIT);

      List<JsonNode> setups = server.recorder().setups();
      JsonNode fresh = setups.get(setups.size() - 1);
      assertThat(fresh.at("/sessionResumption/handle").isMissingNode()).isTrue();
      assertThat(fresh.at("/systemInstruction/parts/0/text").asText()).startsWith(BILLING);
      assertThat(fresh.at("/tools/0/functionDeclarations/0/name").asText())
          .isEqualTo("take_payment");
      assertThat(server.sessions()).hasSize(2);
      assertHoldsTheUpdate(server.sessions().get(1));
      assertThat(String.join("", events.values(EventType.OUTPUT_TRANSCRIPT)))
          .endsWith("under: " + BILLING);
    }
  }
}
