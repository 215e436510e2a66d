package dev.geminilive.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void percentilesAreNearestRankOverTheFirstCountValues() {
    long[] values = new long[200];
    for (int i = 0; i < 100; i++) {
      values[i] = 100 - i; // 100 down to 1, then 100 zeros that are not counted
    }

    assertThat(Stats.percentile(values, 100, 50)).isEqualTo(50);
    assertThat(Stats.percentile(values, 100, 99)).isEqualTo(99);
    assertThat(Stats.percentile(values, 100, 99.9)).isEqualTo(100);
    assertThat(Stats.percentile(values, 100, 0)).isEqualTo(1);
    assertThat(Stats.percentile(values, 0, 50)).isNaN();
  }

  @Test
  void mediansSkipTrialsThatDidNotRun() {
    assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(Stats.median(List.of(4.0, 1.0, Double.NaN, 2.0, 3.0))).isEqualTo(2.5);
    assertThat(Stats.median(List.of(Double.NaN))).isNaN();
  }

  @Test
  void ratiosAndNumbersSayNotAvailableRatherThanInfinity() {
    assertThat(Stats.ratio(3, 2)).isEqualTo("1.50×");
    assertThat(Stats.ratio(3, 0)).isEqualTo("n/a");
    assertThat(Stats.num(12_345.6)).isEqualTo("12,346");
    assertThat(Stats.ms(1_234_567)).isEqualTo("1.23");
  }
}
