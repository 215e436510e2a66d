package dev.geminilive.it.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.ManualScheduler;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A tool's timeout runs on the session's scheduler: a hanging tool is answered at its limit. */
class ToolTimeoutTest {
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  private final ManualScheduler clock = new ManualScheduler();
  private final GoAwayDeadlineTest.BlockingTool tool = new GoAwayDeadlineTest.BlockingTool();

  @AfterEach
  void stop() {
    tool.release.countDown();
    clock.close();
  }

  @Test
  void aHangingToolIsStoppedAndAnsweredWithAnErrorExactlyAtItsTimeout() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText("work")
                .reply(r -> r.callTool("work", Map.of()))
                .onAnyToolResponse()
                .reply(r -> r.text("sorry")));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        server
            .sessionBuilder()
            .scheduler(clock)
            .tools(tool)
            .toolTimeout(TOOL_TIMEOUT)
            .listener(events)
            .connect()) {
      session.sendText("work");
      tool.running.await();

      assertThat(clock.timeUntil("timeout of tool call")).contains(TOOL_TIMEOUT);
      clock.advanceBy(TOOL_TIMEOUT.minusMillis(1));
      assertThat(server.recorder().ofKind(MessageKind.TOOL_RESPONSE)).isEmpty();
      clock.advanceBy(Duration.ofMillis(1));

      events.await(EventType.TOOL_RESULT);
      assertThat(
              server
                  .recorder()
                  .awaitOfKind(MessageKind.TOOL_RESPONSE, 1, Duration.ofSeconds(10))
                  .get(0)
                  .raw())
          .contains("did not finish within 30 s");
    }
  }
}
