package dev.geminilive.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When a step of the scale section counts as sustained, and what it says when it does not. */
class ScaleStepTest {
  private static final double MS = 1e6;

  private static ScaleBench.Step step(
      long upSent, long upReceived, long upLate, long downSent, double upP99, double downP99) {
    return new ScaleBench.Step(
        "raw OkHttp",
        100,
        true,
        0.2,
        18,
        26,
        1.0,
        1.0,
        0.1,
        100_000,
        upSent,
        upReceived,
        0,
        0.3 * MS,
        upP99,
        upP99,
        1 * MS,
        upLate,
        50_000,
        downSent,
        downSent,
        0.1 * MS,
        downP99,
        downP99,
        0.6,
        0.2,
        1,
        10,
        "1.00",
        "");
  }

  @Test
  void aStepAtPaceWithNothingLostAndBothP99UnderFiftyMillisecondsIsSustained() {
    ScaleBench.Step s = step(100_000, 100_000, 2_000, 50_000, 49.9 * MS, 49.9 * MS);

    assertThat(s.sustained()).isTrue();
    assertThat(s.failure()).isEmpty();
  }

  @Test
  void moreThanTwoPercentLateChunksOrAFewerServerFramesBreakThePace() {
    assertThat(step(100_000, 100_000, 2_001, 50_000, MS, MS).failure()).isEqualTo("pace not kept");
    assertThat(step(100_000, 100_000, 0, 48_999, MS, MS).failure()).isEqualTo("pace not kept");
    assertThat(step(99_999, 99_999, 0, 50_000, MS, MS).failure()).isEqualTo("pace not kept");
  }

  @Test
  void aLostChunkOrAP99OfFiftyMillisecondsFailsTheStepAndSaysWhich() {
    ScaleBench.Step lost = step(100_000, 99_999, 0, 50_000, MS, MS);
    ScaleBench.Step slow = step(100_000, 100_000, 0, 50_000, 50 * MS, 51 * MS);

    assertThat(lost.sustained()).isFalse();
    assertThat(lost.failure()).isEqualTo("lost frames");
    assertThat(slow.sustained()).isFalse();
    assertThat(slow.failure()).isEqualTo("up p99 ≥ 50 ms, down p99 ≥ 50 ms");
  }

  @Test
  void theProjectionForAThousandSessionsCountsTheMessagesAStarvedStepDidNotHandle() {
    // 100 sessions: 0.6 client and 0.2 server cores. Sustained: 6.00 + 2.00 per 1,000.
    ScaleBench.Step kept = step(100_000, 100_000, 0, 50_000, MS, MS);
    // The same cores, but only half the messages due were handled: twice as dear per message.
    ScaleBench.Step starved = step(50_000, 50_000, 40_000, 25_000, MS, MS);
    ScaleBench.Params params =
        new ScaleBench.Params(
            new int[] {100},
            java.time.Duration.ofSeconds(1),
            java.util.List.of("raw OkHttp"),
            false);

    String sustained =
        ScaleReport.projection(
            new ScaleBench.Result(params, java.util.List.of(kept), "", "", java.util.Map.of()));
    String fellBehind =
        ScaleReport.projection(
            new ScaleBench.Result(params, java.util.List.of(starved), "", "", java.util.Map.of()));

    assertThat(sustained).contains("| 100 | 100 | 6.00 | 2.00 | 8.00 |");
    assertThat(fellBehind).contains("| none | 100 | 12.00 | 4.00 | 16.00 |");
  }
}
