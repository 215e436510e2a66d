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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A connection that goes silent in the middle of a turn is taken for dead after the timeout. */
class StallTest {
  private static final Duration STALL_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  private final ManualScheduler clock = new ManualScheduler();

  @AfterEach
  void stop() {
    clock.close();
  }

  @Test
  void aSilentConnectionMidTurnIsReplacedOnceTheStallTimeoutHasPassed() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.realTime().onText("long").reply(r -> r.say("a long answer", Duration.ofSeconds(20))));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        server
            .sessionBuilder()
            .scheduler(clock)
            .stallTimeout(STALL_TIMEOUT)
            .listener(events)
            .connect()) {
      session.sendText("long");
      events.await(EventType.AUDIO);
      FakeConnection first = server.connections().get(0);
      first.stall();
      // Every frame sent before the stall reaches the session before the clock moves: one read
      // during advanceBy would be a frame after the timeout's start, and the connection not silent.
      // Each of them is an event (audio or its transcript), so the wait is woken by the last one.
      long sent = first.framesSent() - 1; // setupComplete is not counted by the session
      events.awaitMatching(
          e -> session.stats().framesReceived() >= sent,
          1,
          WAIT,
          "the " + sent + " frames sent before the stall");

      clock.advanceBy(STALL_TIMEOUT.plusSeconds(1));
      Reconnecting r = (Reconnecting) events.await(EventType.RECONNECTING).value();
      assertThat(r.planned()).isFalse();
      assertThat(r.cause()).contains("stalled");
      // The service refuses a resume while it holds the old socket; here its end times out.
      first.drop();
      clock.advanceBy(r.delay());
      assertThat(events.await(EventType.RECONNECTED).value())
          .isIn(ContextRestoration.RESUMED, ContextRestoration.REBUILT_FROM_HISTORY);
    }
  }
}
