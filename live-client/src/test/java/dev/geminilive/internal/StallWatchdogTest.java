package dev.geminilive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.internal.StallWatchdog.Verdict;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StallWatchdogTest {
  private static final long MS = 1_000_000L;
  private final StallWatchdog watchdog = new StallWatchdog(Duration.ofMillis(400));

  @Test
  void aConnectionSilentForTheTimeoutWhileAReplyIsExpectedHasStalled() {
    assertThat(watchdog.check(1_400 * MS, 1_000 * MS, true, false))
        .isEqualTo(new Verdict.Stalled(Duration.ofMillis(400)));
  }

  @Test
  void beforeTheTimeoutTheNextCheckComesWhenItWouldHavePassed() {
    assertThat(watchdog.check(1_150 * MS, 1_000 * MS, true, false))
        .isEqualTo(new Verdict.CheckAgain(Duration.ofMillis(250)));
  }

  @Test
  void nothingIsExpectedWhileTheModelIsQuietOrWaitsForAToolResponse() {
    assertThat(watchdog.check(9_000 * MS, 1_000 * MS, false, false)).isEqualTo(new Verdict.Idle());
    assertThat(watchdog.check(9_000 * MS, 1_000 * MS, true, true)).isEqualTo(new Verdict.Idle());
  }

  @Test
  void theReasonSaysStalledAndForHowLong() {
    assertThat(StallWatchdog.reason(Duration.ofMillis(512)))
        .isEqualTo("stalled: no frame for 512 ms mid-turn");
  }
}
