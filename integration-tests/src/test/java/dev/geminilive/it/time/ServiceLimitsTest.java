package dev.geminilive.it.time;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.ContextRestoration;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ModelProfile;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.it.lifecycle.Waits;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.ManualScheduler;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import dev.geminilive.tools.LiveTool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The service's limits, planned for on the session's clock: a connection near its lifetime moves
 * (resumed) at the next pause, a service session near its lifetime moves to a fresh service session
 * seeded with the conversation, and a handle older than the service keeps it is not tried.
 */
class ServiceLimitsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  private final ManualScheduler clock = new ManualScheduler();
  private final BlockingTool tool = new BlockingTool();

  @AfterEach
  void stop() {
    tool.release.countDown();
    clock.close();
  }

  /** A tool that runs until the test lets it go: while it runs there is no natural pause. */
  static final class BlockingTool {
    final CountDownLatch running = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @LiveTool(description = "Takes as long as the test wants.")
    String work() throws InterruptedException {
      running.countDown();
      release.await();
      return "done";
    }
  }

  private static ModelProfile.Builder threeEight() {
    return ModelProfile.of(ModelProfile.GEMINI_3_8_LIVE).toBuilder()
        .connectionLifetime(null)
        .sessionLifetime(null);
  }

  private LiveSessionBuilder session(
      FakeLiveServer server, ModelProfile profile, RecordingLiveListener events) {
    return server
        .sessionBuilder()
        .modelProfile(profile)
        .scheduler(clock)
        .stallTimeout(Duration.ofHours(3))
        .listener(events);
  }

  @Test
  void aConnectionNearItsLifetimeMovesAtTheNextPauseAndResumes() throws Exception {
    FakeLiveServer server = live.server();
    server.script(s -> s.onText("work").reply(r -> r.callTool("work", Map.of())));
    RecordingLiveListener events = new RecordingLiveListener();
    ModelProfile profile = threeEight().connectionLifetime(Duration.ofMinutes(4)).build();
    try (ResilientLiveSession session =
        session(server, profile, events)
            .tools(tool)
            .toolTimeout(Duration.ofMinutes(10)) // the tool outlasts the clock's three minutes
            .connect()) {
      clock.runUntilIdle(); // the connection's setup task has finished
      assertThat(clock.timeUntil("connection age")).contains(Duration.ofMinutes(3));
      session.sendText("work");
      tool.running.await();

      clock.advanceBy(Duration.ofMinutes(3));
      assertThat(events.count(EventType.RECONNECTING)).as("no pause while the tool runs").isZero();
      tool.release.countDown();

      Reconnecting move = (Reconnecting) events.await(EventType.RECONNECTING).value();
      assertThat(move.planned()).isTrue();
      assertThat(move.cause()).isEqualTo("planned move: connection age");
      assertThat(events.await(EventType.RECONNECTED).value()).isEqualTo(ContextRestoration.RESUMED);
      assertThat(server.recorder().ofKind(MessageKind.TOOL_RESPONSE)).hasSize(1);
      clock.runUntilIdle();
      assertThat(clock.timeUntil("connection age"))
          .as("the new connection has its own budget")
          .contains(Duration.ofMinutes(3));
    }
  }

  @Test
  void aServiceSessionNearItsLifetimeMovesToAFreshSessionSeededWithTheConversation()
      throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    ModelProfile profile = threeEight().sessionLifetime(Duration.ofMinutes(20)).build();
    try (ResilientLiveSession session = session(server, profile, events).connect()) {
      session.sendText("my name is Ada");
      events.awaitTurnComplete();
      Waits.handle(events, session, WAIT);
      clock.runUntilIdle();
      assertThat(clock.timeUntil("session age")).contains(Duration.ofMinutes(17));

      clock.advanceBy(Duration.ofMinutes(17));
      Reconnecting move = (Reconnecting) events.await(EventType.RECONNECTING).value();
      assertThat(move.planned()).isTrue();
      assertThat(move.cause()).isEqualTo("planned move: session age");
      assertThat(events.await(EventType.RECONNECTED).value())
          .isEqualTo(ContextRestoration.REBUILT_FROM_HISTORY);
      List<JsonNode> setups = server.recorder().setups();
      assertThat(setups).hasSize(2);
      assertThat(setups.get(1).at("/sessionResumption/handle").isMissingNode()).isTrue();
      Waits.received(
          server.recorder(),
          "the seeded history",
          WAIT,
          () -> !server.recorder().ofKind(MessageKind.CLIENT_CONTENT).isEmpty());
      assertThat(server.recorder().ofKind(MessageKind.CLIENT_CONTENT).get(0).raw())
          .contains("my name is Ada");
      clock.runUntilIdle();
      assertThat(clock.timeUntil("session age"))
          .as("the fresh service session has a budget of its own")
          .contains(Duration.ofMinutes(17));
    }
  }

  @Test
  void aHandleOlderThanTheServiceKeepsItIsNotTried() throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = session(server, threeEight().build(), events).connect()) {
      session.sendText("my name is Ada");
      events.awaitTurnComplete();
      Waits.handle(events, session, WAIT);

      clock.advanceBy(Duration.ofHours(2));
      server.connections().get(0).drop();
      Reconnecting r = (Reconnecting) events.await(EventType.RECONNECTING).value();
      clock.advanceBy(r.delay());
      assertThat(events.await(EventType.RECONNECTED).value())
          .isEqualTo(ContextRestoration.REBUILT_FROM_HISTORY);
      List<JsonNode> setups = server.recorder().setups();
      assertThat(setups).hasSize(2);
      assertThat(setups.get(1).at("/sessionResumption/handle").isMissingNode()).isTrue();
    }
  }

  @Test
  void aHandleWithinItsLifetimeIsTried() throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = session(server, threeEight().build(), events).connect()) {
      session.sendText("my name is Ada");
      events.awaitTurnComplete();
      String handle = Waits.handle(events, session, WAIT);

      clock.advanceBy(Duration.ofHours(2).minusSeconds(1));
      server.connections().get(0).drop();
      Reconnecting r = (Reconnecting) events.await(EventType.RECONNECTING).value();
      clock.advanceBy(r.delay());
      assertThat(events.await(EventType.RECONNECTED).value()).isEqualTo(ContextRestoration.RESUMED);
      assertThat(server.recorder().setups().get(1).at("/sessionResumption/handle").asText())
          .isEqualTo(handle);
    }
  }
}
