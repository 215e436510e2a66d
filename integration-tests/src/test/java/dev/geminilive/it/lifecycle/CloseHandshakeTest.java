package dev.geminilive.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.ReconnectPolicy;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.FakeConnection;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A close frame from the service is answered with a close frame before the socket is released (RFC
 * 6455 §5.5.1), so the service sees a clean close rather than 1006.
 */
class CloseHandshakeTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int CLOSES = 20;

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  @Test
  void everyCloseFrameFromTheServiceIsAnswered() throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    int[] codes = {1000, 1001, 1011};
    List<String> unanswered = new ArrayList<>();
    // Every close heals at the first attempt; the limits are not what this test is about.
    ReconnectPolicy policy =
        ReconnectPolicy.fixed(Duration.ofMillis(20)).withMaxAttempts(CLOSES * 2);
    try (ResilientLiveSession session =
        server.sessionBuilder().reconnectPolicy(policy).listener(events).connect()) {
      for (int i = 0; i < CLOSES; i++) {
        session.sendText("turn " + i);
        events.awaitTurnComplete(i + 1, WAIT);
        Waits.handle(events, session, WAIT);
        FakeConnection c = server.connections().get(server.connections().size() - 1);
        int code = codes[i % codes.length];
        c.close(code, code == 1000 ? "" : "Internal error encountered.");
        events.await(EventType.RECONNECTED, i + 1, WAIT);
        assertThat(c.awaitClosed(WAIT)).isTrue();
        OptionalInt answer = c.clientCloseCode();
        if (answer.isEmpty() || answer.getAsInt() != code) {
          unanswered.add("close " + (i + 1) + " (" + code + "): answered " + answer);
        }
      }
    }
    assertThat(unanswered).as("closes not answered with the same code").isEmpty();
  }
}
