package dev.geminilive.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.ContextRestoration;
import dev.geminilive.ContextUpdate;
import dev.geminilive.LiveConfigException;
import dev.geminilive.ReconnectPolicy;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.it.lifecycle.Waits;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.Event;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import dev.geminilive.tools.LiveTool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code updateContext} on a model without {@code contextUpdate} (3.1): the session moves to a new
 * connection, resuming with its handle and the updated setup, at the next natural pause; the tool
 * loop takes the new tools at once.
 */
class ContextUpdateByMoveTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  static final class CoachTools {
    final AtomicInteger profiles = new AtomicInteger();

    @LiveTool(name = "create_client_profile", description = "Creates a client profile.")
    String create(String name) {
      profiles.incrementAndGet();
      return "client-1";
    }
  }

  static final class BillingTools {
    final AtomicInteger payments = new AtomicInteger();

    @LiveTool(name = "take_payment", description = "Takes a payment.")
    String pay(String amount) {
      payments.incrementAndGet();
      return "paid " + amount;
    }
  }

  private static ContextUpdate billing(BillingTools tools) {
    return ContextUpdate.builder()
        .systemInstruction("You are Laura. Collect the payment with `take_payment`.")
        .tools(tools)
        .build();
  }

  @Test
  void atAPauseTheSessionResumesOnANewConnectionWhoseSetupHoldsTheUpdate() throws Exception {
    FakeLiveServer server = live.server();
    server.script(s -> s.onText("hello").reply(r -> r.say("Hi, I am Laura.")));
    RecordingLiveListener events = new RecordingLiveListener();
    BillingTools billing = new BillingTools();
    try (ResilientLiveSession session =
        Fakes.builder(server)
            .persona("You are Laura, a career coach.")
            .tools(new CoachTools())
            .listener(events)
            .connect()) {
      session.sendText("hello");
      events.awaitTurnComplete();
      String handle = Waits.handle(events, session, WAIT);

      CompletableFuture<Void> done = session.updateContext(billing(billing));
      assertThat(session.spec().tools().names()).containsExactly("take_payment");

      done.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
      Reconnecting move = (Reconnecting) events.await(EventType.RECONNECTING).value();
      assertThat(move.planned()).isTrue();
      assertThat(move.cause()).contains("context update");
      assertThat(events.await(EventType.RECONNECTED).value()).isEqualTo(ContextRestoration.RESUMED);
      List<JsonNode> setups = server.recorder().setups();
      assertThat(setups).hasSize(2);
      JsonNode resumed = setups.get(1);
      assertThat(resumed.at("/sessionResumption/handle").asText()).isEqualTo(handle);
      assertThat(resumed.at("/systemInstruction/parts/0/text").asText())
          .startsWith("You are Laura. Collect the payment");
      assertThat(resumed.at("/tools/0/functionDeclarations/0/name").asText())
          .isEqualTo("take_payment");
      assertThat(resumed.at("/tools/0/functionDeclarations")).hasSize(1);
      assertThat(setups.get(0).at("/tools/0/functionDeclarations/0/name").asText())
          .isEqualTo("create_client_profile");
    }
  }

  @Test
  void whileTheModelSpeaksTheMoveWaitsForTheEndOfTheTurn() throws Exception {
    FakeLiveServer server = live.server();
    // The story goes on until the update has been asked for, however slow the test thread is;
    // then it ends by itself.
    CompletableFuture<Void> asked = new CompletableFuture<>();
    server.script(
        s ->
            s.realTime()
                .onText("tell me a story")
                .reply(
                    r ->
                        r.say("Once upon a time", Duration.ofMillis(400))
                            .pauseUntil(asked)
                            .say("they lived happily.", Duration.ofMillis(400))));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        Fakes.builder(server).tools(new CoachTools()).listener(events).connect()) {
      session.sendText("hello");
      events.awaitTurnComplete();
      Waits.handle(events, session, WAIT);
      session.sendText("tell me a story");
      events.await(EventType.AUDIO);

      CompletableFuture<Void> done = session.updateContext(billing(new BillingTools()));
      assertThat(events.count(EventType.TURN_COMPLETE))
          .as("turns ended when the update came")
          .isOne();
      asked.complete(null);
      done.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

      List<EventType> order = events.events().stream().map(Event::type).toList();
      int secondTurnEnd = nthIndex(order, EventType.TURN_COMPLETE, 2);
      assertThat(secondTurnEnd).as("the story's turnComplete").isPositive();
      assertThat(order.indexOf(EventType.RECONNECTING))
          .as("the move comes after the story ends")
          .isGreaterThan(secondTurnEnd);
      assertThat(events.count(EventType.INTERRUPTED)).isZero();
    }
  }

  @Test
  void aCallToAToolTheUpdateRemovedGetsTheUnknownToolAnswerAndNoHandlerRuns() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText("old tool")
                .callTool("create_client_profile", Map.of("name", "Ada"))
                .onToolResponse("create_client_profile")
                .reply(r -> r.say("Done."))
                .onText("new tool")
                .callTool("take_payment", Map.of("amount", "10 EUR"))
                .onToolResponse("take_payment")
                .reply(r -> r.say("Paid.")));
    RecordingLiveListener events = new RecordingLiveListener();
    CoachTools coach = new CoachTools();
    BillingTools billing = new BillingTools();
    try (ResilientLiveSession session =
        Fakes.builder(server).tools(coach).listener(events).connect()) {
      session.sendText("hello");
      events.awaitTurnComplete();
      Waits.handle(events, session, WAIT);
      session
          .updateContext(billing(billing))
          .get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
      events.await(EventType.RECONNECTED);

      session.sendText("old tool");
      events.awaitTurnComplete(2, WAIT);
      session.sendText("new tool");
      events.awaitTurnComplete(3, WAIT);
    }
    assertThat(coach.profiles).hasValue(0);
    assertThat(billing.payments).hasValue(1);
    List<JsonNode> responses =
        server.recorder().ofKind(MessageKind.TOOL_RESPONSE).stream()
            .flatMap(m -> m.functionResponses().stream())
            .toList();
    assertThat(responses).hasSize(2);
    assertThat(responses.get(0).at("/response/error").asText())
        .contains("Unknown tool 'create_client_profile'")
        .contains("take_payment");
    assertThat(responses.get(0).at("/response/status").asText()).isEqualTo("unknown_tool");
    assertThat(responses.get(0).at("/response/valid_options/0").asText()).isEqualTo("take_payment");
    assertThat(responses.get(1).at("/response/output").asText()).isEqualTo("paid 10 EUR");
  }

  @Test
  void aSessionThatCannotReconnectRefusesTheUpdateAndKeepsItsSpec() throws Exception {
    FakeLiveServer server = live.server();
    try (ResilientLiveSession session =
        Fakes.builder(server)
            .tools(new CoachTools())
            .sessionResumption(false)
            .reconnectPolicy(ReconnectPolicy.none())
            .connect()) {
      CompletableFuture<Void> done = session.updateContext(billing(new BillingTools()));
      assertThat(done.handle((v, e) -> e).get())
          .isInstanceOf(LiveConfigException.class)
          .hasMessageContaining("reconnect policy is none()");
      assertThat(session.spec().tools().names()).containsExactly("create_client_profile");
      assertThat(server.recorder().setups()).hasSize(1);
    }
  }

  private static int nthIndex(List<EventType> order, EventType type, int n) {
    int seen = 0;
    for (int i = 0; i < order.size(); i++) {
      if (order.get(i) == type && ++seen == n) {
        return i;
      }
    }
    return -1;
  }
}
