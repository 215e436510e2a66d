package dev.geminilive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.ContextRestoration;
import dev.geminilive.LiveConnectException;
import dev.geminilive.LiveException;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionState;
import dev.geminilive.testkit.FakeConnection;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.HistoryEntry;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResilienceTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  @Test
  void goAwayMovesToANewConnectionWithTheHandleAndKeepsTheConversation() throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = Fakes.builder(server).listener(events).connect()) {
      session.sendText("first");
      events.awaitTurnComplete();
      String handle = awaitHandle(events, session);

      server.connections().get(0).goAway(Duration.ofSeconds(10));

      assertThat(events.await(EventType.GO_AWAY).value()).isEqualTo(Duration.ofSeconds(10));
      assertThat(events.await(EventType.RECONNECTED).value()).isEqualTo(ContextRestoration.RESUMED);
      assertThat(((Reconnecting) events.await(EventType.RECONNECTING).value()).planned()).isTrue();
      assertThat(server.recorder().setups()).hasSize(2);
      assertThat(server.recorder().setups().get(1).at("/sessionResumption/handle").asText())
          .isEqualTo(handle);
      assertThat(server.connections().get(0).awaitClosed(WAIT)).isTrue();

      session.sendText("second");
      events.awaitTurnComplete(2, WAIT);
      assertThat(session.state()).isEqualTo(SessionState.ACTIVE);
      assertThat(userTexts(server)).containsExactly("first", "second");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"drop", "reset", "tlsClose", "close1011", "close1000", "halfOpen1011"})
  void anUnexpectedEndOfTheConnectionIsDetectedAndResumed(String fault) throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = Fakes.builder(server).listener(events).connect()) {
      session.sendText("before");
      events.awaitTurnComplete();
      awaitHandle(events, session);

      long start = System.nanoTime();
      fault(fault).accept(server.connections().get(0));
      Reconnecting r = (Reconnecting) events.await(EventType.RECONNECTING).value();
      long detectedMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(events.await(EventType.RECONNECTED).value()).isEqualTo(ContextRestoration.RESUMED);
      long resumedMs = (System.nanoTime() - start) / 1_000_000;
      Measurements.record("detect." + fault + ".ms", detectedMs);
      Measurements.record("resume." + fault + ".ms", resumedMs);
      assertThat(r.planned()).isFalse();

      session.sendText("after");
      events.awaitTurnComplete(2, WAIT);
      assertThat(userTexts(server)).containsExactly("before", "after");
    }
  }

  @Test
  void aStallInTheMiddleOfATurnIsDetectedWithinTheStallTimeout() throws Exception {
    FakeLiveServer server = live.server();
    // The answer streams until the stall, however slow the test thread is.
    server.script(
        s ->
            s.realTime().onText("long").reply(r -> r.say("a long answer", Duration.ofSeconds(30))));
    RecordingLiveListener events = new RecordingLiveListener();
    // Pings ten minutes apart: an end seen within the wait is the stall check's. The stall timeout
    // is on the real clock: 2 s, so that a gap in a healthy stream (the model thinking, a thread
    // descheduled on a loaded machine) is not taken for the stall; one that is fails the check
    // below instead of standing in for the test's stall.
    try (ResilientLiveSession session =
        Fakes.builder(server)
            .stallTimeout(Duration.ofSeconds(2))
            .pingInterval(Duration.ofMinutes(10))
            .listener(events)
            .connect()) {
      session.sendText("warm up");
      events.awaitTurnComplete();
      awaitHandle(events, session);
      int audioSoFar = events.count(EventType.AUDIO);
      session.sendText("long");
      events.await(EventType.AUDIO, audioSoFar + 1, WAIT);
      assertThat(events.count(EventType.RECONNECTING)).as("reconnects before the stall").isZero();
      long start = System.nanoTime();
      server.connections().get(0).stall();
      Reconnecting r = (Reconnecting) events.await(EventType.RECONNECTING).value();
      long detectedMs = (System.nanoTime() - start) / 1_000_000;
      Measurements.record("detect.stall.ms", detectedMs);
      // When, exactly, is time.StallTest's (on a clock the test moves); here, that it was the
      // stall check, end to end on the system scheduler.
      assertThat(r.cause()).contains("stalled");
      // The service refuses a resume while it still holds the old socket; here its end of the
      // stalled connection times out.
      server.connections().get(0).drop();
      assertThat(events.await(EventType.RECONNECTED).value()).isEqualTo(ContextRestoration.RESUMED);
    }
  }

  @ParameterizedTest(name = "close {0} {1}")
  @CsvSource({
    "1007, Request contains an invalid argument.",
    "1008, Operation is not implemented or supported or enabled.",
  })
  void aCloseThatCannotHealFailsTheSessionWithoutRetrying(int code, String reason)
      throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = Fakes.builder(server).listener(events).connect()) {
      server.connections().get(0).close(code, reason);
      LiveException failure = events.awaitFailure(WAIT);
      assertThat(failure).isInstanceOf(LiveConnectException.class);
      assertThat(((LiveConnectException) failure).closeCode()).isEqualTo(code);
      assertThat(((LiveConnectException) failure).isRetryable()).isFalse();
      assertThat(failure.getMessage()).contains(String.valueOf(code)).contains(reason);
      assertThat(session.state()).isEqualTo(SessionState.FAILED);
      assertThat(session.failure()).contains(failure);
      assertThat(events.count(EventType.RECONNECTING)).isZero();
      assertThat(server.connections()).hasSize(1);
    }
  }

  @Test
  void anExpiredHandleContinuesTheConversationOnAFreshSessionSeededWithHistory() throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = Fakes.builder(server).listener(events).connect()) {
      session.sendText("my name is Ada");
      events.awaitTurnComplete();
      awaitHandle(events, session);
      server.faults().expireHandles();
      server.connections().get(0).drop();

      assertThat(events.await(EventType.RECONNECTED).value())
          .isEqualTo(ContextRestoration.REBUILT_FROM_HISTORY);
      Await.received(
          server.recorder(),
          "seeded history",
          WAIT,
          () -> !server.recorder().ofKind(MessageKind.CLIENT_CONTENT).isEmpty());
      var seeded = server.recorder().ofKind(MessageKind.CLIENT_CONTENT);
      assertThat(seeded.get(0).json().toString()).contains("my name is Ada");
      session.sendText("what is my name");
      events.awaitTurnComplete(2, WAIT);
    }
  }

  @Test
  void aResumeRefusedAgainAndAgainFallsBackToAFreshSessionRebuiltFromHistory() throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = Fakes.builder(server).listener(events).connect()) {
      session.sendText("remember the number 42");
      events.awaitTurnComplete();
      awaitHandle(events, session);
      server.faults().rejectSetups(4, 1011, "Internal error encountered.");
      server.connections().get(0).drop();
      assertThat(events.await(EventType.RECONNECTED).value())
          .isEqualTo(ContextRestoration.REBUILT_FROM_HISTORY);
      var setups = server.recorder().setups();
      assertThat(setups.get(0).path("sessionResumption").path("handle").isMissingNode())
          .as("the first setup opens a new session")
          .isTrue();
      assertThat(setups.get(1).path("sessionResumption").path("handle").asText())
          .as("the refused attempts resumed with the handle")
          .isNotEmpty();
      assertThat(setups.get(setups.size() - 1).path("sessionResumption").path("handle").asText(""))
          .as("the rebuilt session opens without a handle")
          .isEmpty();
    }
  }

  @Test
  void aServerThatAcceptsAndAtOnceClosesCannotLoopTheSession() throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        Fakes.builder(server)
            .reconnectPolicy(
                dev.geminilive.ReconnectPolicy.fixed(Duration.ofMillis(10))
                    .withMaxAttempts(3)
                    .withMaxReconnects(4))
            .listener(events)
            .connect()) {
      server.faults().goAwayAfterSetup(Duration.ZERO, Duration.ZERO);
      server.connections().get(0).drop();
      LiveException failure = events.awaitFailure(WAIT);
      assertThat(failure.getMessage()).contains("Gave up reconnecting");
      assertThat(server.connections().size()).isLessThanOrEqualTo(1 + 4 + 3);
    }
  }

  private static Consumer<FakeConnection> fault(String name) {
    return switch (name) {
      case "drop" -> FakeConnection::drop;
      case "reset" -> FakeConnection::reset;
      case "tlsClose" -> FakeConnection::closeTls;
      case "close1011" -> c -> c.close(1011, "Internal error encountered.");
      case "close1000" -> c -> c.close(1000, "");
      case "halfOpen1011" -> c -> c.closeHalfOpen(1011, "The service is currently unavailable.");
      default -> throw new IllegalArgumentException(name);
    };
  }

  static String awaitHandle(RecordingLiveListener events, ResilientLiveSession session) {
    return dev.geminilive.it.lifecycle.Waits.handle(events, session, WAIT);
  }

  static java.util.List<String> userTexts(FakeLiveServer server) {
    var sessions = server.sessions();
    return sessions.get(sessions.size() - 1).history().stream()
        .filter(h -> h.role().equals("user"))
        .map(HistoryEntry::text)
        .toList();
  }
}
