package dev.geminilive.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The yardsticks of section 6 measure what they claim, and tell a good resampler from a bad. */
class AudioQualityTest {
  private static final int RATE = 16_000;

  @Test
  void sinadOfAToneWithKnownNoiseIsThatSignalToNoiseRatio() {
    float[] x = AudioQuality.toneFloat(RATE, 997, 0.5, 2 * RATE);
    // Uniform noise of variance a²/3 = 0.125e-6 lies 60 dB under the tone's power of 0.125.
    double a = Math.sqrt(3 * 0.125e-6);
    SplittableRandom random = new SplittableRandom(15);
    for (int i = 0; i < x.length; i++) {
      x[i] += (float) (a * (2 * random.nextDouble() - 1));
    }

    assertThat(AudioQuality.sinad(x, RATE, 997)).isCloseTo(60, within(0.3));
  }

  @Test
  void sinadCountsAHarmonicAsDistortion() {
    float[] x = AudioQuality.toneFloat(RATE, 997, 0.5, 2 * RATE);
    float[] third = AudioQuality.toneFloat(RATE, 3 * 997, 0.5e-4, 2 * RATE);
    for (int i = 0; i < x.length; i++) {
      x[i] += third[i];
    }

    assertThat(AudioQuality.sinad(x, RATE, 997)).isCloseTo(80, within(0.3));
  }

  @Test
  void leakageIsTheOutputRelativeToTheInputTone() {
    float[] out = AudioQuality.toneFloat(RATE, 3_000, 0.5e-5, RATE);

    assertThat(AudioQuality.leakage(out, 0.5)).isCloseTo(-100, within(0.1));
    assertThat(AudioQuality.leakage(new float[RATE], 0.5)).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void theLibraryPassesNinetyDecibelsWhereTheJdkDoesNotOnTheSameYardstick() throws Exception {
    // 24k→16k: a tone of 10 kHz lies above the output's Nyquist frequency of 8 kHz.
    short[] alias = AudioQuality.tone(24_000, 10_000, 0.891, 2 * 24_000);
    short[] wanted = AudioQuality.tone(24_000, 997, 0.891, 2 * 24_000);

    assertThat(AudioQuality.leakage(AudioQuality.libraryResample(alias, 24_000, 16_000), 0.891))
        .isLessThanOrEqualTo(-90);
    assertThat(
            AudioQuality.sinad(AudioQuality.libraryResample(wanted, 24_000, 16_000), 16_000, 997))
        .isGreaterThanOrEqualTo(90);
    assertThat(AudioQuality.leakage(AudioQuality.jdkResample(alias, 24_000, 16_000), 0.891))
        .isGreaterThan(-90);
  }
}
