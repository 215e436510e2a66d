package dev.geminilive.it.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.ManualScheduler;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import dev.geminilive.tools.LiveTool;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Without a pause in the conversation the session moves on its own timer, shortly before the
 * deadline a {@code goAway} announced: at {@code timeLeft} less a quarter of it, at most 2 s.
 */
class GoAwayDeadlineTest {
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

  @ParameterizedTest(name = "timeLeft {0} ms: moves after {1} ms")
  @CsvSource({"10000, 8000", "4000, 3000", "1000, 750", "400, 300"})
  void withAToolCallRunningTheSessionMovesAtTheDeadlineLessItsMargin(
      long timeLeftMillis, long moveAfterMillis) throws Exception {
    FakeLiveServer server = live.server();
    server.script(s -> s.onText("work").reply(r -> r.callTool("work", Map.of())));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        server.sessionBuilder().scheduler(clock).tools(tool).listener(events).connect()) {
      session.sendText("work");
      tool.running.await();
      server.connections().get(0).goAway(Duration.ofMillis(timeLeftMillis));
      events.await(EventType.GO_AWAY);

      assertThat(clock.timeUntil("goAway deadline")).contains(Duration.ofMillis(moveAfterMillis));
      assertThat(events.count(EventType.RECONNECTING)).isZero();
      clock.advanceBy(Duration.ofMillis(moveAfterMillis));

      Reconnecting move = (Reconnecting) events.await(EventType.RECONNECTING).value();
      assertThat(move.planned()).isTrue();
      assertThat(move.cause()).contains("goAway deadline");
      assertThat(clock.elapsed()).isEqualTo(Duration.ofMillis(moveAfterMillis));
    }
  }
}
