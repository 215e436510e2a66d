package dev.geminilive.it.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionState;
import dev.geminilive.testkit.FakeConnection;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.ManualScheduler;
import dev.geminilive.testkit.RecordingLiveListener;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code close()} returns without waiting for the service: with a connection that answers nothing
 * (its close frame included) and a clock that does not move, {@code close()} still returns and the
 * session is closed. Had it waited on the service or on a timer, it would hang until the guard.
 */
class CloseReturnsAtOnceTest {
  private static final Duration GUARD = Duration.ofSeconds(30);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  private final ManualScheduler clock = new ManualScheduler();

  @AfterEach
  void stop() {
    clock.close();
  }

  @Test
  void closeReturnsBeforeTheUnansweredCloseHandshakeEnds() throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    ResilientLiveSession session =
        server.sessionBuilder().scheduler(clock).listener(events).connect();
    session.sendText("hello");
    events.awaitTurnComplete();
    FakeConnection connection = server.connections().get(0);
    connection.stall(); // from now on it answers nothing, the close frame included

    CompletableFuture<Void> closing = CompletableFuture.runAsync(session::close);
    closing.get(GUARD.toSeconds(), TimeUnit.SECONDS); // a guard against a hang, not a bound
    assertThat(session.state()).isEqualTo(SessionState.CLOSED);

    clock.advanceBy(Duration.ofSeconds(10)); // past every close wait
    session.termination().get(GUARD.toSeconds(), TimeUnit.SECONDS);
  }
}
