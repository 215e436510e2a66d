package dev.geminilive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoAwayPlannerTest {
  @ParameterizedTest(name = "timeLeft {0} ms: move within {1} ms")
  @CsvSource({"60000, 58000", "10000, 8000", "8000, 6000", "4000, 3000", "1000, 750", "0, 0"})
  void theMoveComesAQuarterOfTheTimeLeftBeforeTheDeadlineAtMostTwoSeconds(
      long timeLeft, long within) {
    assertThat(GoAwayPlanner.moveWithin(Duration.ofMillis(timeLeft)))
        .isEqualTo(Duration.ofMillis(within));
  }

  @Test
  void aNegativeTimeLeftMovesAtOnce() {
    assertThat(GoAwayPlanner.moveWithin(Duration.ofSeconds(-1))).isEqualTo(Duration.ZERO);
  }

  @Test
  void aNaturalPauseNeedsEveryConditionAtOnce() {
    assertThat(GoAwayPlanner.isNaturalPause(true, true, true, true)).isTrue();
    assertThat(GoAwayPlanner.isNaturalPause(false, true, true, true)).isFalse();
    assertThat(GoAwayPlanner.isNaturalPause(true, false, true, true)).isFalse();
    assertThat(GoAwayPlanner.isNaturalPause(true, true, false, true)).isFalse();
    assertThat(GoAwayPlanner.isNaturalPause(true, true, true, false)).isFalse();
  }
}
