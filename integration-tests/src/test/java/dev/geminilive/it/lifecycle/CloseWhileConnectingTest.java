package dev.geminilive.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionState;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code close()} while a reconnect's handshake is in flight leaves no connection open. */
class CloseWhileConnectingTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** How late the fake answers setups: long enough for close() to come first. */
  private static final Duration SETUP_LATENCY = Duration.ofMillis(1_500);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  @Test
  void aConnectionWhoseSetupCompletesAfterCloseIsClosedAtOnce() throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    ResilientLiveSession session = server.sessionBuilder().listener(events).connect();
    session.sendText("hello");
    events.awaitTurnComplete();
    Waits.handle(events, session, WAIT);

    server.faults().latency(SETUP_LATENCY);
    server.connections().get(0).drop();
    events.await(EventType.RECONNECTING);
    // The reconnect's setup has reached the server; its setupComplete is on the way.
    Waits.received(
        server.recorder(),
        "the reconnect's setup",
        WAIT,
        () -> server.recorder().setups().size() == 2);
    session.close();
    events.await(EventType.CLOSED);
    assertThat(session.state()).isEqualTo(SessionState.CLOSED);

    assertThat(server.connections().get(1).awaitClosed(WAIT))
        .as("the connection set up after close() is closed")
        .isTrue();
    assertThat(session.termination()).succeedsWithin(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(events.count(EventType.RECONNECTED)).isZero();
  }
}
