package dev.geminilive.audio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolyphaseFilterTest {

  /** |H(f)| of taps {@code h} at {@code f} cycles per sample. */
  private static double gain(double[] h, double f) {
    double re = 0;
    double im = 0;
    for (int i = 0; i < h.length; i++) {
      re += h[i] * Math.cos(2 * Math.PI * f * i);
      im -= h[i] * Math.sin(2 * Math.PI * f * i);
    }
    return Math.hypot(re, im);
  }

  @ParameterizedTest(name = "pass {0}, stop {1}")
  @CsvSource({"0.225, 0.25", "0.15, 0.16666666666666666", "0.3, 0.3333333333333333"})
  void anEquirippleDesignMeetsItsStopBandAndPassBandBetweenTheGridPointsToo(
      double pass, double stop) {
    double[] h = PolyphaseFilter.equiripple(pass, stop, 100);

    assertThat(h).isNotNull();
    double worstStop = 0;
    double worstPass = 0;
    int points = 8_000; // five times finer than the design's grid
    for (int i = 0; i <= points; i++) {
      double f = 0.5 * i / points;
      if (f <= pass) {
        worstPass = Math.max(worstPass, Math.abs(gain(h, f) - 1));
      } else if (f >= stop) {
        worstStop = Math.max(worstStop, gain(h, f));
      }
    }
    assertThat(20 * Math.log10(worstStop)).isLessThan(-99.5);
    assertThat(worstPass).isLessThan(PolyphaseFilter.PASSBAND_RIPPLE * 1.05);
  }

  @ParameterizedTest(name = "{0} Hz -> {1} Hz")
  @CsvSource({"48000, 16000", "24000, 16000", "24000, 8000", "8000, 16000"})
  void theServicesRatiosGetAFilterAboutAFifthShorterThanAKaiserWindow(int from, int to) {
    PolyphaseFilter f = PolyphaseFilter.of(from, to, 0.9, 100);
    // The Kaiser window for the same edges and attenuation: (A - 7.95) / (14.36 * transition).
    double lower = Math.min(from, to) / 2.0;
    double highRate = (double) from * f.up();
    double kaiser = (100 - 7.95) / (14.36 * 0.1 * lower / highRate) + 1;

    assertThat((double) f.taps() * f.up()).isLessThan(0.85 * kaiser);
  }

  @Test
  void aRatioWithManyPhasesKeepsTheKaiserWindow() {
    PolyphaseFilter f = PolyphaseFilter.of(44_100, 16_000, 0.9, 100);
    double highRate = 44_100.0 * f.up();
    double kaiser = (100 - 7.95) / (14.36 * 800 / highRate) + 1;

    assertThat((double) f.taps() * f.up()).isGreaterThanOrEqualTo(kaiser - f.up());
  }
}
