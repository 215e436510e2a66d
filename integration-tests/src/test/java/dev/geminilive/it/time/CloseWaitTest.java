package dev.geminilive.it.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.ContextRestoration;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.FakeConnection;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.ManualScheduler;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The switch fallback: a planned move closes the old connection first; if its close handshake has
 * not finished within 500 ms the socket is cancelled and the new connection opens anyway.
 */
class CloseWaitTest {
  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  private final ManualScheduler clock = new ManualScheduler();
  private final GoAwayDeadlineTest.BlockingTool tool = new GoAwayDeadlineTest.BlockingTool();

  @AfterEach
  void stop() {
    tool.release.countDown();
    clock.close();
  }

  @Test
  void aMoveWhoseOldConnectionNeverAnswersTheCloseGoesOnAfterTheCloseWait() throws Exception {
    FakeLiveServer server = live.server();
    server.script(s -> s.onText("work").reply(r -> r.callTool("work", Map.of())));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        server.sessionBuilder().scheduler(clock).tools(tool).listener(events).connect()) {
      session.sendText("work");
      tool.running.await();
      FakeConnection first = server.connections().get(0);
      first.goAway(Duration.ofSeconds(4));
      events.await(EventType.GO_AWAY);
      // From now on the old connection answers nothing, its close frame included.
      first.stall();
      clock.advanceBy(Duration.ofSeconds(3)); // the goAway deadline less its margin

      assertThat(clock.timeUntil("close wait of connection 1")).contains(Duration.ofMillis(500));
      assertThat(events.count(EventType.RECONNECTING)).isZero();
      clock.advanceBy(Duration.ofMillis(499));
      assertThat(events.count(EventType.RECONNECTING)).isZero();
      clock.advanceBy(Duration.ofMillis(1));

      Reconnecting move = (Reconnecting) events.await(EventType.RECONNECTING).value();
      assertThat(move.planned()).isTrue();
      assertThat(move.cause()).contains("goAway deadline");
      clock.advanceBy(move.delay());
      // No turn had completed, so no handle had come: the new service session is seeded with the
      // conversation so far.
      assertThat(events.await(EventType.RECONNECTED).value())
          .isEqualTo(ContextRestoration.REBUILT_FROM_HISTORY);
      assertThat(server.connections()).hasSize(2);
    }
  }
}
