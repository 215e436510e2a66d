package dev.geminilive.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.ContextRestoration;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.FakeConnection;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Drops in quick succession, each healed at the first attempt with a valid handle, keep resuming:
 * the handle is given up only after resumes were actually refused. Found by the chaos soak.
 */
@Tag("reliability")
class QuickDropsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int DROPS = 6;

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  @Test
  void everyQuickDropWithAValidHandleIsResumedNotRebuilt() throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = server.sessionBuilder().listener(events).connect()) {
      for (int i = 1; i <= DROPS; i++) {
        session.sendText("turn " + i);
        events.awaitTurnComplete(i, WAIT);
        Waits.handle(events, session, WAIT);
        List<FakeConnection> connections = server.connections();
        connections.get(connections.size() - 1).drop();
        events.await(EventType.RECONNECTED, i, WAIT);
      }
      assertThat(events.<ContextRestoration>values(EventType.RECONNECTED))
          .hasSize(DROPS)
          .containsOnly(ContextRestoration.RESUMED);
      assertThat(server.sessions()).hasSize(1);
    }
  }
}
