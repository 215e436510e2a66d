package dev.geminilive.it.reconnect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.ContextRestoration;
import dev.geminilive.LiveConnectException;
import dev.geminilive.LiveException;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionState;
import dev.geminilive.it.lifecycle.Waits;
import dev.geminilive.testkit.FakeConnection;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A resume answered with 1007 ("invalid argument") after the same spec was accepted is not a bad
 * spec: the session falls back, once, to a fresh service session rebuilt from the conversation. A
 * first connect answered with 1007 still fails at once.
 */
class ResumeRefusedTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String INVALID = "Request contains an invalid argument.";

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  @Test
  void aResumeRefusedWith1007FallsBackToAFreshSessionRebuiltFromHistory() throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = server.sessionBuilder().listener(events).connect()) {
      session.sendText("my name is Ada");
      events.awaitTurnComplete();
      Waits.handle(events, session, WAIT);

      server.faults().rejectSetups(1, 1007, INVALID);
      current(server).drop();

      assertThat(events.await(EventType.RECONNECTED).value())
          .isEqualTo(ContextRestoration.REBUILT_FROM_HISTORY);
      List<JsonNode> setups = server.recorder().setups();
      assertThat(setups).hasSize(3);
      assertThat(handleOf(setups.get(1))).as("the refused resume").isNotEmpty();
      assertThat(handleOf(setups.get(2))).as("the fresh session").isEmpty();
      Waits.received(
          server.recorder(),
          "the seeded history",
          WAIT,
          () -> !server.recorder().ofKind(MessageKind.CLIENT_CONTENT).isEmpty());
      assertThat(server.recorder().ofKind(MessageKind.CLIENT_CONTENT).toString())
          .as("the seeded history")
          .contains("my name is Ada");
      session.sendText("what is my name");
      events.awaitTurnComplete(2, WAIT);
      assertThat(session.state()).isEqualTo(SessionState.ACTIVE);
    }
  }

  @Test
  void aFreshSessionRefusedWith1007TooFailsTheSession() throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = server.sessionBuilder().listener(events).connect()) {
      session.sendText("hello");
      events.awaitTurnComplete();
      Waits.handle(events, session, WAIT);

      server.faults().rejectSetups(2, 1007, INVALID);
      current(server).drop();

      LiveException failure = events.awaitFailure(WAIT);
      assertThat(failure).isInstanceOf(LiveConnectException.class);
      assertThat(((LiveConnectException) failure).closeCode()).isEqualTo(1007);
      assertThat(server.recorder().setups()).as("first, resume, one fresh session").hasSize(3);
      assertThat(session.state()).isEqualTo(SessionState.FAILED);
    }
  }

  @Test
  void aFirstConnectRefusedWith1007FailsAtOnce() {
    FakeLiveServer server = live.server();
    server.faults().rejectSetups(1, 1007, INVALID);
    Throwable thrown = catchThrowable(() -> server.sessionBuilder().connect());
    assertThat(thrown).isInstanceOf(LiveConnectException.class);
    assertThat(((LiveConnectException) thrown).closeCode()).isEqualTo(1007);
    assertThat(((LiveConnectException) thrown).isRetryable()).isFalse();
    assertThat(server.connections()).hasSize(1);
  }

  private static String handleOf(JsonNode setup) {
    return setup.path("sessionResumption").path("handle").asText("");
  }

  private static FakeConnection current(FakeLiveServer server) {
    List<FakeConnection> all = server.connections();
    return all.get(all.size() - 1);
  }
}
