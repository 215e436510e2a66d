package dev.geminilive.it.reconnect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.ContextRestoration;
import dev.geminilive.LiveException;
import dev.geminilive.ReconnectPolicy;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionState;
import dev.geminilive.it.lifecycle.Waits;
import dev.geminilive.testkit.FakeConnection;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reconnect policy's two limits: {@code maxAttempts} counts failed attempts within one outage
 * (a successful reconnect ends the outage), {@code maxReconnects} caps reconnects over the session.
 */
class ReconnectLimitsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int MAX_ATTEMPTS = 3;
  private static final int QUICK_DROPS = 8;

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  @Test
  void quickDropsAfterSuccessfulReconnectsNeverEndTheSession() throws Exception {
    FakeLiveServer server = live.server();
    ReconnectPolicy policy =
        ReconnectPolicy.exponential(Duration.ofMillis(10), 2.0, Duration.ofMillis(80))
            .withMaxAttempts(MAX_ATTEMPTS);
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        server.sessionBuilder().reconnectPolicy(policy).listener(events).connect()) {
      for (int i = 1; i <= QUICK_DROPS; i++) {
        session.sendText("turn " + i);
        events.awaitTurnComplete(i, WAIT);
        Waits.handle(events, session, WAIT);
        // Each connection drops well within the stable period after it was set up.
        current(server).drop();
        assertThat(events.await(EventType.RECONNECTED, i, WAIT).value())
            .isEqualTo(ContextRestoration.RESUMED);
      }
      assertThat(session.state()).isEqualTo(SessionState.ACTIVE);
      List<Reconnecting> reconnecting = events.values(EventType.RECONNECTING);
      assertThat(reconnecting)
          .as("each outage healed at its first attempt")
          .extracting(Reconnecting::attempt)
          .containsOnly(1);
      // The service flaps: the backoff goes on growing (to its cap) until a connection is stable.
      assertThat(reconnecting)
          .extracting(Reconnecting::delay)
          .containsExactly(ms(10), ms(20), ms(40), ms(80), ms(80), ms(80), ms(80), ms(80));
    }
  }

  @Test
  void failedAttemptsWithinOneOutageEndItAtTheLimit() throws Exception {
    FakeLiveServer server = live.server();
    ReconnectPolicy policy =
        ReconnectPolicy.fixed(Duration.ofMillis(10)).withMaxAttempts(MAX_ATTEMPTS);
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        server.sessionBuilder().reconnectPolicy(policy).listener(events).connect()) {
      session.sendText("hello");
      events.awaitTurnComplete();
      server.faults().rejectUpgrades(100, 503);
      current(server).drop();
      LiveException failure = events.awaitFailure(WAIT);
      assertThat(failure.getMessage()).contains("Gave up reconnecting after 3 attempt(s)");
      assertThat(events.<Reconnecting>values(EventType.RECONNECTING))
          .extracting(Reconnecting::attempt)
          .containsExactly(1, 2, 3);
      assertThat(server.faults().rejectedUpgradeCount()).isEqualTo(MAX_ATTEMPTS);
    }
  }

  @Test
  void aSessionWideCapEndsASessionThatKeepsReconnecting() throws Exception {
    FakeLiveServer server = live.server();
    int maxReconnects = 5;
    ReconnectPolicy policy =
        ReconnectPolicy.fixed(Duration.ofMillis(10))
            .withMaxAttempts(MAX_ATTEMPTS)
            .withMaxReconnects(maxReconnects);
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        server.sessionBuilder().reconnectPolicy(policy).listener(events).connect()) {
      for (int i = 1; i <= maxReconnects; i++) {
        session.sendText("turn " + i);
        events.awaitTurnComplete(i, WAIT);
        Waits.handle(events, session, WAIT);
        current(server).drop();
        events.await(EventType.RECONNECTED, i, WAIT);
      }
      current(server).drop();
      LiveException failure = events.awaitFailure(WAIT);
      assertThat(failure.getMessage()).contains("5 reconnect(s)");
      assertThat(session.stats().reconnects()).isEqualTo(maxReconnects);
    }
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  private static FakeConnection current(FakeLiveServer server) {
    List<FakeConnection> all = server.connections();
    return all.get(all.size() - 1);
  }
}
