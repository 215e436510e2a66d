package dev.geminilive.it.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.ContextRestoration;
import dev.geminilive.LiveException;
import dev.geminilive.ReconnectPolicy;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.ManualScheduler;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reconnect timing on a clock the test moves: the backoff between attempts, the stable period that
 * restarts it (and makes the first attempt after a drop go at once), and the outage budget that
 * ends the session.
 */
class BackoffTest {
  private static final Duration INITIAL = Duration.ofMillis(100);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  private final ManualScheduler clock = new ManualScheduler();
  private final RecordingLiveListener events = new RecordingLiveListener();

  @AfterEach
  void stop() {
    clock.close();
  }

  private ResilientLiveSession connect(FakeLiveServer server, ReconnectPolicy policy) {
    return server
        .sessionBuilder()
        .scheduler(clock)
        .reconnectPolicy(policy)
        .listener(events)
        .connect();
  }

  /**
   * Waits for the n-th onReconnecting and checks that its attempt is due after its delay (an
   * attempt without delay waits for no time at all).
   */
  private Reconnecting reconnecting(int n) {
    Reconnecting r =
        (Reconnecting) events.await(EventType.RECONNECTING, n, Duration.ofSeconds(10)).value();
    if (r.delay().isZero()) {
      assertThat(clock.timeUntil("reconnect attempt " + r.attempt())).isEmpty();
    } else {
      assertThat(clock.timeUntil("reconnect attempt " + r.attempt())).contains(r.delay());
    }
    return r;
  }

  @Test
  void failedAttemptsWaitTheExponentialBackoffOnTheSessionsClock() throws Exception {
    FakeLiveServer server = live.server();
    ReconnectPolicy policy =
        ReconnectPolicy.exponential(INITIAL, 2.0, Duration.ofMillis(350)).withJitter(0);
    try (ResilientLiveSession session = connect(server, policy)) {
      server.faults().rejectSetups(3, 1011, "Internal error encountered.");
      server.connections().get(0).drop();

      List<Duration> delays = new ArrayList<>();
      for (int n = 1; n <= 4; n++) {
        Reconnecting r = reconnecting(n);
        assertThat(r.attempt()).isEqualTo(n);
        delays.add(r.delay());
        clock.advanceBy(r.delay());
      }
      // No turn was taken, so there is no handle: a new service session, with nothing to rebuild.
      assertThat(events.await(EventType.RECONNECTED).value()).isEqualTo(ContextRestoration.LOST);
      assertThat(delays)
          .containsExactly(
              Duration.ofMillis(100),
              Duration.ofMillis(200),
              Duration.ofMillis(350),
              Duration.ofMillis(350));
      assertThat(server.connections()).hasSize(5);
    }
  }

  @Test
  void aHealthyConnectionsDropIsRedialledAtOnceAndAFlappingOnesWithTheBackoff() throws Exception {
    FakeLiveServer server = live.server();
    Duration stable = Duration.ofSeconds(30);
    ReconnectPolicy policy =
        ReconnectPolicy.exponential(INITIAL, 2.0, Duration.ofSeconds(10))
            .withJitter(0)
            .withStablePeriod(stable);
    try (ResilientLiveSession session = connect(server, policy)) {
      // The first connection has been up for the stable period when it drops: the first attempt
      // goes at once, on a clock that does not move. It is refused; the second waits the first
      // delay of the backoff.
      clock.advanceBy(stable);
      server.faults().rejectSetups(1, 1011, "Internal error encountered.");
      server.connections().get(0).drop();
      assertThat(reconnecting(1).delay()).isZero();
      assertThat(reconnecting(2).delay()).isEqualTo(INITIAL);
      clock.advanceBy(INITIAL);
      events.await(EventType.RECONNECTED, 1, Duration.ofSeconds(10));

      // Dropped again at once: flapping, so the backoff goes on from where it was.
      server.connections().get(2).drop();
      assertThat(reconnecting(3).delay()).isEqualTo(INITIAL.multipliedBy(2));
      clock.advanceBy(INITIAL.multipliedBy(2));
      events.await(EventType.RECONNECTED, 2, Duration.ofSeconds(10));

      // One millisecond short of the stable period still counts as flapping.
      clock.advanceBy(stable.minusMillis(1));
      server.connections().get(3).drop();
      assertThat(reconnecting(4).delay()).isEqualTo(INITIAL.multipliedBy(4));
      clock.advanceBy(INITIAL.multipliedBy(4));
      events.await(EventType.RECONNECTED, 3, Duration.ofSeconds(10));

      // Up for the whole stable period: at once again, and the backoff starts from its first delay.
      clock.advanceBy(stable);
      server.faults().rejectSetups(1, 1011, "Internal error encountered.");
      server.connections().get(4).drop();
      assertThat(reconnecting(5).delay()).isZero();
      assertThat(reconnecting(6).delay()).isEqualTo(INITIAL);
      clock.advanceBy(INITIAL);
      events.await(EventType.RECONNECTED, 4, Duration.ofSeconds(10));
      assertThat(clock.elapsed())
          .isEqualTo(stable.multipliedBy(3).plus(INITIAL.multipliedBy(8)).minusMillis(1));
    }
  }

  @Test
  void anOutageLongerThanItsBudgetEndsTheSession() throws Exception {
    FakeLiveServer server = live.server();
    Duration every = Duration.ofSeconds(1);
    ReconnectPolicy policy =
        ReconnectPolicy.fixed(every).withMaxAttempts(100).withMaxOutage(Duration.ofSeconds(5));
    try (ResilientLiveSession session = connect(server, policy)) {
      server.faults().rejectSetups(100, 1011, "Internal error encountered.");
      server.connections().get(0).drop();
      // Attempt n is announced (n - 1) s into the outage; the 6th, 5 s in, is still within it.
      for (int n = 1; n <= 6; n++) {
        assertThat(reconnecting(n).delay()).isEqualTo(every);
        clock.advanceBy(every);
      }
      LiveException failure = events.awaitFailure(Duration.ofSeconds(10));
      assertThat(failure.getMessage()).contains("Gave up reconnecting after 6 attempt(s)");
      assertThat(clock.elapsed()).isEqualTo(Duration.ofSeconds(6));
      assertThat(server.connections()).hasSize(1 + 6);
    }
  }
}
