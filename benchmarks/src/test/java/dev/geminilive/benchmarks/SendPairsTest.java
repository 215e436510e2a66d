package dev.geminilive.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendPairsTest {

  @Test
  void everyPathRunsInEveryPlaceOfTheOrderEquallyOften() {
    List<String> paths = List.of("library", "raw", "raw no delay");

    assertThat(SendPairs.order(paths, 0)).containsExactly("library", "raw", "raw no delay");
    assertThat(SendPairs.order(paths, 1)).containsExactly("raw", "raw no delay", "library");
    assertThat(SendPairs.order(paths, 2)).containsExactly("raw no delay", "library", "raw");
    assertThat(SendPairs.order(paths, 3)).isEqualTo(SendPairs.order(paths, 0));
  }

  @Test
  void theMediansIntervalIsTheBinomialOrderStatisticsAndNoneBelowSixValues() {
    List<Double> twenty = new ArrayList<>();
    for (int i = 20; i >= 1; i--) {
      twenty.add((double) i);
    }
    // n = 20: P(X <= 5) = 2.07 % and P(X <= 6) = 5.77 %, so the 6th and the 15th values.
    assertThat(SendPairs.medianInterval(twenty)).containsExactly(6.0, 15.0);
    // n = 6: P(X <= 0) = 1.6 %, P(X <= 1) = 10.9 %, so the extremes.
    assertThat(SendPairs.medianInterval(List.of(3.0, 1.0, 2.0, 6.0, 5.0, 4.0)))
        .containsExactly(1.0, 6.0);
    assertThat(SendPairs.medianInterval(List.of(1.0, 2.0, 3.0, 4.0, 5.0))).containsOnly(Double.NaN);
  }

  @Test
  void quantilesInterpolateBetweenOrderStatistics() {
    List<Double> v = List.of(4.0, 1.0, 3.0, 2.0, 5.0);

    assertThat(SendPairs.quantile(v, 0.25)).isEqualTo(2.0);
    assertThat(SendPairs.quantile(v, 0.5)).isEqualTo(3.0);
    assertThat(SendPairs.quantile(List.of(1.0, 2.0), 0.5)).isEqualTo(1.5);
    assertThat(SendPairs.describe(v)).contains("95 % CI n/a–n/a").contains("5 rounds");
  }
}
