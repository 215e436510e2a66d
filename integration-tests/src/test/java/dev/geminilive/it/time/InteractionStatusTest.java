package dev.geminilive.it.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.InteractionStatus;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ModelProfile;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionState;
import dev.geminilive.TurnComplete;
import dev.geminilive.it.lifecycle.Waits;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.ManualScheduler;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Where the model sends {@code interactionStatus} (3.8 extended thinking), {@code turnComplete}
 * with IN_PROGRESS is no natural pause and leaves the stall watchdog watching; IDLE is the pause.
 */
class InteractionStatusTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration STALL_TIMEOUT = Duration.ofSeconds(5);
  private static final String IDLE = "{\"serverContent\":{\"interactionStatus\":\"IDLE\"}}";

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  private final ManualScheduler clock = new ManualScheduler();

  @AfterEach
  void stop() {
    clock.close();
  }

  /** The model speaks filler and ends its turn while it keeps working in the background. */
  private static void fillerThenInProgress(FakeLiveServer server) {
    server.script(
        s ->
            s.onText("find me a flight")
                .reply(
                    r ->
                        r.say("Checking flights now.")
                            .endWith(
                                new TurnComplete(
                                    null, null, false, InteractionStatus.IN_PROGRESS))));
  }

  private LiveSessionBuilder session(FakeLiveServer server, RecordingLiveListener events) {
    return server
        .sessionBuilder()
        .model(ModelProfile.GEMINI_3_8_LIVE_EXTENDED_THINKING)
        .scheduler(clock)
        .stallTimeout(STALL_TIMEOUT)
        .listener(events);
  }

  @Test
  void aGoAwayWhileTheInteractionIsInProgressWaitsForIdleThenMoves() throws Exception {
    FakeLiveServer server = live.server();
    fillerThenInProgress(server);
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = session(server, events).connect()) {
      session.sendText("find me a flight");
      events.awaitTurnComplete();
      assertThat(events.await(EventType.INTERACTION_STATUS).value())
          .isEqualTo(InteractionStatus.IN_PROGRESS);
      Waits.handle(events, session, WAIT);

      server.connections().get(0).goAway(Duration.ofSeconds(10));
      events.await(EventType.GO_AWAY);
      assertThat(clock.timeUntil("goAway deadline"))
          .as("turnComplete with IN_PROGRESS is no pause: the move waits, with its deadline")
          .contains(Duration.ofSeconds(8));

      server.connections().get(0).sendRaw(IDLE);
      Reconnecting move = (Reconnecting) events.await(EventType.RECONNECTING).value();
      assertThat(move.planned()).isTrue();
      assertThat(move.cause()).isEqualTo("planned move: goAway");
      assertThat(clock.elapsed()).isEqualTo(Duration.ZERO);
    }
  }

  @Test
  void aSilentConnectionWhileTheInteractionIsInProgressIsTakenForDead() throws Exception {
    FakeLiveServer server = live.server();
    fillerThenInProgress(server);
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = session(server, events).connect()) {
      session.sendText("find me a flight");
      events.awaitTurnComplete();
      events.await(EventType.INTERACTION_STATUS);
      Waits.handle(events, session, WAIT);
      clock.runUntilIdle();

      clock.advanceBy(STALL_TIMEOUT.plusSeconds(1));
      Reconnecting r = (Reconnecting) events.await(EventType.RECONNECTING).value();
      assertThat(r.planned()).isFalse();
      assertThat(r.cause()).contains("stalled");
    }
  }

  @Test
  void onceTheServiceSaysIdleSilenceIsNoStall() throws Exception {
    FakeLiveServer server = live.server();
    fillerThenInProgress(server);
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = session(server, events).connect()) {
      session.sendText("find me a flight");
      events.awaitTurnComplete();
      events.await(EventType.INTERACTION_STATUS);
      server.connections().get(0).sendRaw(IDLE);
      events.await(EventType.INTERACTION_STATUS, 2, WAIT);
      clock.runUntilIdle();

      clock.advanceBy(STALL_TIMEOUT.multipliedBy(3));
      assertThat(clock.timeUntil("stall check")).isEmpty();
      assertThat(events.count(EventType.RECONNECTING)).isZero();
      assertThat(session.state()).isEqualTo(SessionState.ACTIVE);
      assertThat(server.connections()).hasSize(1);
    }
  }
}
