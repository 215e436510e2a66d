package dev.geminilive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.LiveAuthException;
import dev.geminilive.LiveConnectException;
import dev.geminilive.LiveException;
import dev.geminilive.ReconnectPolicy;
import dev.geminilive.internal.ReconnectController.AfterFailure;
import dev.geminilive.internal.ReconnectController.Decision;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReconnectControllerTest {
  private static final long SECOND = 1_000_000_000L;
  private static final ReconnectPolicy EXPONENTIAL =
      ReconnectPolicy.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1))
          .withJitter(0)
          .withMaxAttempts(5)
          .withStablePeriod(Duration.ofSeconds(10))
          .withMaxOutage(Duration.ofSeconds(30));

  private static ReconnectController controller(ReconnectPolicy policy) {
    ReconnectController c = new ReconnectController(policy, () -> 0.5);
    c.connected(0, true);
    return c;
  }

  private static Duration delay(Decision d) {
    assertThat(d).isInstanceOf(Decision.Retry.class);
    return ((Decision.Retry) d).delay();
  }

  @Test
  void attemptsOfOneOutageBackOffExponentiallyUpToTheCap() {
    ReconnectController c = controller(EXPONENTIAL);
    // Dropped before the stable period: every attempt waits its step of the backoff.
    c.outageBegins(SECOND);
    assertThat(delay(c.next("drop", false, SECOND))).isEqualTo(Duration.ofMillis(100));
    assertThat(delay(c.next("drop", false, SECOND))).isEqualTo(Duration.ofMillis(200));
    assertThat(delay(c.next("drop", false, SECOND))).isEqualTo(Duration.ofMillis(400));
    assertThat(delay(c.next("drop", false, 2 * SECOND))).isEqualTo(Duration.ofMillis(800));
    assertThat(delay(c.next("drop", false, 3 * SECOND))).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void theFirstAttemptAfterAHealthyConnectionDropsGoesAtOnceAndTheNextWaitsTheFirstDelay() {
    ReconnectController c =
        new ReconnectController(EXPONENTIAL.withJitter(0.2), () -> 0.0); // the jitter at its low
    c.connected(0, true);
    // Up for exactly the stable period: healthy.
    c.outageBegins(10 * SECOND);
    assertThat(c.next("drop", false, 10 * SECOND)).isEqualTo(new Decision.Retry(1, Duration.ZERO));
    assertThat(c.next("refused", false, 10 * SECOND))
        .isEqualTo(new Decision.Retry(2, Duration.ofMillis(80)));
    assertThat(c.next("refused", false, 10 * SECOND))
        .isEqualTo(new Decision.Retry(3, Duration.ofMillis(160)));
  }

  @Test
  void aConnectionDroppedWithinTheStablePeriodIsRedialledAfterTheBackoffNotAtOnce() {
    ReconnectController c = controller(EXPONENTIAL);
    c.outageBegins(10 * SECOND - 1);
    assertThat(c.next("drop", false, 10 * SECOND))
        .isEqualTo(new Decision.Retry(1, Duration.ofMillis(100)));
    c.connected(10 * SECOND, false);
    // Flapping: accepted and dropped again at once, outage after outage, ever more slowly.
    c.outageBegins(11 * SECOND);
    assertThat(c.next("drop", false, 11 * SECOND))
        .isEqualTo(new Decision.Retry(1, Duration.ofMillis(200)));
    c.connected(11 * SECOND, false);
    c.outageBegins(12 * SECOND);
    assertThat(c.next("drop", false, 12 * SECOND))
        .isEqualTo(new Decision.Retry(1, Duration.ofMillis(400)));
  }

  @Test
  void attemptsPastThePoliciesLimitGiveUpNamingTheLastProblem() {
    ReconnectController c = controller(EXPONENTIAL);
    c.outageBegins(20 * SECOND);
    for (int i = 1; i <= 5; i++) {
      assertThat(c.next("closed with 1011", false, 20 * SECOND)).isInstanceOf(Decision.Retry.class);
    }
    Decision d = c.next("closed with 1011", false, 20 * SECOND);
    assertThat(d).isInstanceOf(Decision.GiveUp.class);
    assertThat(((Decision.GiveUp) d).message())
        .startsWith("Gave up reconnecting after 5 attempt(s) and 0 reconnect(s)")
        .contains("closed with 1011");
  }

  @Test
  void aConnectionSetUpEndsTheOutageSoTheNextCountsItsAttemptsFromOne() {
    ReconnectController c = controller(EXPONENTIAL);
    for (int outage = 0; outage < 20; outage++) {
      // Each connection was up 20 s, past the stable period: each first attempt goes at once.
      long t = (outage + 1) * 20 * SECOND;
      c.outageBegins(t);
      assertThat(c.next("drop", false, t)).isEqualTo(new Decision.Retry(1, Duration.ZERO));
      c.connected(t, false);
    }
    assertThat(c.reconnects()).isEqualTo(20);
  }

  @Test
  void theBackoffCarriesOverUntilAConnectionStaysUpForTheStablePeriod() {
    ReconnectController c = controller(EXPONENTIAL);
    long t = 20 * SECOND;
    c.outageBegins(t);
    assertThat(delay(c.next("drop", false, t))).isZero();
    assertThat(delay(c.next("refused", false, t))).isEqualTo(Duration.ofMillis(100));
    c.connected(t, false);
    // Up for less than the stable period: the next outage goes on from the last delay.
    t += 10 * SECOND - 1;
    c.outageBegins(t);
    assertThat(delay(c.next("drop", false, t))).isEqualTo(Duration.ofMillis(200));
    c.connected(t, false);
    // Up for the whole stable period: the backoff starts again, after an attempt at once.
    t += 10 * SECOND;
    c.outageBegins(t);
    assertThat(delay(c.next("drop", false, t))).isZero();
    assertThat(delay(c.next("refused", false, t))).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void aPlannedMovesFirstAttemptGoesAtOnceAndLeavesTheBackoffWhereItWas() {
    ReconnectController c = controller(EXPONENTIAL);
    c.outageBegins(SECOND);
    assertThat(c.next("planned move", true, SECOND))
        .isEqualTo(new Decision.Retry(1, Duration.ZERO));
    assertThat(delay(c.next("refused", false, SECOND))).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void anOutageLongerThanItsBudgetGivesUpAtTheFirstAttemptPastIt() {
    ReconnectController c =
        controller(
            ReconnectPolicy.fixed(Duration.ofSeconds(1))
                .withMaxAttempts(100)
                .withMaxOutage(Duration.ofSeconds(5)));
    c.outageBegins(0);
    for (int n = 1; n <= 6; n++) {
      assertThat(c.next("drop", false, (n - 1) * SECOND)).isInstanceOf(Decision.Retry.class);
    }
    assertThat(c.next("drop", false, 5 * SECOND + 1)).isInstanceOf(Decision.GiveUp.class);
  }

  @Test
  void reconnectsPerSessionAreCappedEvenWhenEveryOutageHealsAtOnce() {
    ReconnectController c = controller(EXPONENTIAL.withMaxReconnects(3));
    for (int i = 0; i < 3; i++) {
      c.outageBegins(SECOND);
      assertThat(c.next("drop", false, SECOND)).isInstanceOf(Decision.Retry.class);
      c.connected(SECOND, false);
    }
    c.outageBegins(SECOND);
    assertThat(((Decision.GiveUp) c.next("drop", false, SECOND)).message())
        .contains("3 reconnect(s)");
  }

  @Test
  void noPolicyMeansNoAttempt() {
    ReconnectController c = controller(ReconnectPolicy.none());
    c.outageBegins(SECOND);
    assertThat(c.next("drop", false, SECOND)).isInstanceOf(Decision.GiveUp.class);
  }

  @Test
  void theJitterComesFromTheRandomSource() {
    ReconnectPolicy jittered =
        ReconnectPolicy.fixed(Duration.ofMillis(1000)).withJitter(0.2).withMaxAttempts(5);
    ReconnectController low = new ReconnectController(jittered, () -> 0.0);
    ReconnectController high = new ReconnectController(jittered, () -> 1.0);
    assertThat(delay(low.next("drop", false, 0))).isEqualTo(Duration.ofMillis(800));
    assertThat(delay(high.next("drop", false, 0))).isEqualTo(Duration.ofMillis(1200));
  }

  @Test
  void aRefusedHandleMeansAFreshSessionAndAnInvalidResumeOneFreshTryPerOutage() {
    ReconnectController c = controller(EXPONENTIAL);
    LiveException notFound =
        new LiveConnectException("x", 1008, "BidiGenerateContent session not found", false, null);
    LiveException invalid =
        new LiveConnectException("x", 1007, "Request contains an invalid argument.", false, null);
    assertThat(c.attemptFailed(notFound, true, false)).isEqualTo(AfterFailure.FRESH_SESSION);
    assertThat(c.attemptFailed(invalid, true, false)).isEqualTo(AfterFailure.FRESH_SESSION);
    assertThat(c.attemptFailed(invalid, true, false)).isEqualTo(AfterFailure.FAIL);
    c.connected(SECOND, false);
    assertThat(c.attemptFailed(invalid, true, false)).isEqualTo(AfterFailure.FRESH_SESSION);
    assertThat(c.attemptFailed(invalid, false, false)).isEqualTo(AfterFailure.FAIL);
  }

  @Test
  void aSpentTokenIsRetriedOnlyWithASupplierOfFreshOnes() {
    ReconnectController c = controller(EXPONENTIAL);
    LiveException spent =
        new LiveAuthException("x", 1011, "Token has been used too many times", null);
    assertThat(c.attemptFailed(spent, true, true)).isEqualTo(AfterFailure.RETRY);
    assertThat(c.attemptFailed(spent, true, false)).isEqualTo(AfterFailure.FAIL);
    LiveException retryable = new LiveConnectException("x", 1011, "Internal error", true, null);
    assertThat(c.attemptFailed(retryable, false, false)).isEqualTo(AfterFailure.RETRY);
    assertThat(c.attemptFailed(new LiveException("not a connect problem"), false, false))
        .isEqualTo(AfterFailure.FAIL);
  }

  @Test
  void theHandleIsGivenUpAfterHalfThePoliciesAttemptsOfRefusedResumesAndAtLeastTwo() {
    ReconnectController c = controller(ReconnectPolicy.defaults().withMaxAttempts(8));
    LiveException refused = new LiveConnectException("x", 1011, "Internal error", true, null);
    for (int i = 0; i < 3; i++) {
      c.attemptFailed(refused, true, false);
      assertThat(c.shouldAbandonHandle()).isFalse();
    }
    c.attemptFailed(refused, true, false);
    assertThat(c.shouldAbandonHandle()).isTrue();
    c.connected(SECOND, false);
    assertThat(c.shouldAbandonHandle()).isFalse();

    ReconnectController small = controller(ReconnectPolicy.defaults().withMaxAttempts(1));
    small.attemptFailed(refused, true, false);
    assertThat(small.shouldAbandonHandle()).isFalse();
    small.attemptFailed(refused, true, false);
    assertThat(small.shouldAbandonHandle()).isTrue();
  }
}
