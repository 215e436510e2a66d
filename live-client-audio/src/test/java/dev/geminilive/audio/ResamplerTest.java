package dev.geminilive.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResamplerTest {

  private static final double AMPLITUDE = 16_000; // about -6 dBFS
  private static final double SINE_RMS = AMPLITUDE / Math.sqrt(2);

  static Stream<Arguments> ratios() {
    return Stream.of(
        Arguments.of(8_000, 16_000),
        Arguments.of(11_025, 16_000),
        Arguments.of(22_050, 16_000),
        Arguments.of(32_000, 16_000),
        Arguments.of(44_100, 16_000),
        Arguments.of(48_000, 16_000),
        Arguments.of(24_000, 8_000),
        Arguments.of(24_000, 16_000),
        Arguments.of(24_000, 44_100),
        Arguments.of(24_000, 48_000));
  }

  /** Resamples in 10 ms chunks, as a live stream would, and flushes. */
  private static short[] stream(Resampler r, short[] in, int chunk) {
    short[][] parts = new short[in.length / chunk + 2][];
    int n = 0;
    int total = 0;
    for (int pos = 0; pos < in.length; pos += chunk) {
      short[] piece = java.util.Arrays.copyOfRange(in, pos, Math.min(in.length, pos + chunk));
      parts[n] = r.process(piece);
      total += parts[n++].length;
    }
    parts[n] = r.flush();
    total += parts[n++].length;
    short[] out = new short[total];
    int at = 0;
    for (int i = 0; i < n; i++) {
      System.arraycopy(parts[i], 0, out, at, parts[i].length);
      at += parts[i].length;
    }
    return out;
  }

  @ParameterizedTest(name = "{0} Hz -> {1} Hz")
  @MethodSource("ratios")
  void passesTheBandUpToNineTenthsOfTheLowerNyquistFlatWithin0point5Db(int from, int to) {
    double lowerNyquist = Math.min(from, to) / 2.0;
    double minDb = Double.MAX_VALUE;
    double maxDb = -Double.MAX_VALUE;
    double worstSpurDb = -Double.MAX_VALUE;
    for (double fraction :
        new double[] {0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9}) {
      double f = fraction * lowerNyquist;
      short[] out =
          stream(
              Resampler.create(from, to), Signals.sine(from, f, AMPLITUDE, from / 2), from / 100);
      int margin = to / 20; // 50 ms: well past the filter's transient
      double gainDb =
          Signals.db(Signals.amplitude(out, margin, out.length - margin, to, f) / AMPLITUDE);
      double spurDb =
          Signals.db(Signals.residualRms(out, margin, out.length - margin, to, f) / SINE_RMS);
      minDb = Math.min(minDb, gainDb);
      maxDb = Math.max(maxDb, gainDb);
      worstSpurDb = Math.max(worstSpurDb, spurDb);
    }
    System.out.printf(
        "%d -> %d Hz: passband gain %.4f..%.4f dB (ripple %.4f dB), spurious in passband tests %.1f dB%n",
        from, to, minDb, maxDb, maxDb - minDb, worstSpurDb);
    assertThat(maxDb).isLessThan(0.25);
    assertThat(minDb).isGreaterThan(-0.25);
    assertThat(maxDb - minDb).isLessThan(0.5);
    // Images (up-sampling) and distortion products stay 60 dB below the tone.
    assertThat(worstSpurDb).isLessThan(-60);
  }

  @ParameterizedTest(name = "{0} Hz -> {1} Hz")
  @MethodSource("ratios")
  void attenuatesEverythingAboveTheLowerNyquistByAtLeast60Db(int from, int to) {
    double lowerNyquist = Math.min(from, to) / 2.0;
    double inputNyquist = from / 2.0;
    if (lowerNyquist >= inputNyquist) {
      return; // up-sampling: no input above the lower Nyquist; images are covered above
    }
    double worstDb = -Double.MAX_VALUE;
    int steps = 12;
    for (int i = 0; i <= steps; i++) {
      double f = lowerNyquist * 1.005 + (inputNyquist * 0.995 - lowerNyquist * 1.005) * i / steps;
      short[] out =
          stream(
              Resampler.create(from, to), Signals.sine(from, f, AMPLITUDE, from / 2), from / 100);
      int margin = to / 20;
      double db = Signals.db(Signals.rms(out, margin, out.length - margin) / SINE_RMS);
      worstDb = Math.max(worstDb, db);
    }
    System.out.printf(
        "%d -> %d Hz: worst alias of a tone above Nyquist %.1f dB%n", from, to, worstDb);
    assertThat(worstDb).isLessThan(-60);
  }

  @ParameterizedTest(name = "{0} Hz -> {1} Hz")
  @MethodSource("ratios")
  void streamingManySmallChunksEqualsOneShot(int from, int to) {
    short[] in = Signals.sweep(from, 20, from / 2.0, AMPLITUDE, from / 4);
    Resampler oneShot = Resampler.create(from, to);
    short[] whole = concat(oneShot.process(in), oneShot.flush());

    Resampler streaming = Resampler.create(from, to);
    Random random = new Random(42);
    short[] pieces = new short[0];
    for (int pos = 0; pos < in.length; ) {
      int n = Math.min(in.length - pos, random.nextInt(40));
      pieces = concat(pieces, streaming.process(java.util.Arrays.copyOfRange(in, pos, pos + n)));
      pos += n;
    }
    pieces = concat(pieces, streaming.flush());

    assertThat(pieces).isEqualTo(whole);
    assertThat(whole).hasSize((int) Math.ceil((double) in.length * to / from));
  }

  @Test
  void sweepAboveTheOutputNyquistLeavesOnlyResidueBelowMinus60Db() {
    int from = 44_100;
    int to = 16_000;
    // Chirp from 8.2 kHz to 22 kHz: everything is above 16 kHz's Nyquist and must vanish.
    short[] in = Signals.sweep(from, 8_200, 22_000, AMPLITUDE, from);
    short[] out = stream(Resampler.create(from, to), in, 441);
    int margin = to / 20;
    double db = Signals.db(Signals.rms(out, margin, out.length - margin) / SINE_RMS);
    System.out.printf("44100 -> 16000 Hz: sweep 8.2-22 kHz residue %.1f dB%n", db);
    assertThat(db).isLessThan(-60);
  }

  @Test
  void chunkBordersLeaveNoClicks() {
    int from = 48_000;
    int to = 16_000;
    double f = 1_000;
    short[] out = stream(Resampler.create(from, to), Signals.sine(from, f, AMPLITUDE, from), 480);
    double maxSlope = 2 * Math.PI * f * AMPLITUDE / to; // largest step a clean sine can take
    int margin = to / 20;
    int worstStep = 0;
    for (int i = margin; i < out.length - margin; i++) {
      worstStep = Math.max(worstStep, Math.abs(out[i] - out[i - 1]));
    }
    assertThat((double) worstStep).isLessThan(maxSlope * 1.01 + 2);
  }

  @Test
  void silenceStaysExactlySilent() {
    Resampler r = Resampler.create(44_100, 16_000);
    short[] out = concat(r.process(new short[4410]), r.flush());
    assertThat(out).hasSize(1600).containsOnly((short) 0);
  }

  @Test
  void fullScaleInputClipsInsteadOfWrappingAround() {
    Resampler r = Resampler.create(48_000, 16_000);
    // Square wave between the extremes: the band-limited result overshoots and must clip.
    short[] in = new short[48_000];
    for (int i = 0; i < in.length; i++) {
      in[i] = (i / 240) % 2 == 0 ? Short.MAX_VALUE : Short.MIN_VALUE;
    }
    short[] out = concat(r.process(in), r.flush());
    for (int i = 100; i < out.length - 100; i++) {
      int period = 160; // 100 Hz square at 16 kHz
      int inHalf = i % period;
      if (inHalf > 20 && inHalf < 60) {
        assertThat(out[i]).as("sample %d", i).isGreaterThan((short) 30_000);
      } else if (inHalf > 100 && inHalf < 140) {
        assertThat(out[i]).as("sample %d", i).isLessThan((short) -30_000);
      }
    }
    assertThat(out).contains(Short.MAX_VALUE, Short.MIN_VALUE);
  }

  @Test
  void outputIsTimeAlignedWithInput() {
    Resampler r = Resampler.create(48_000, 16_000);
    short[] in = new short[4_800];
    in[2_400] = 30_000; // impulse at 50 ms
    short[] out = concat(r.process(in), r.flush());
    int peak = 0;
    for (int i = 1; i < out.length; i++) {
      if (Math.abs(out[i]) > Math.abs(out[peak])) {
        peak = i;
      }
    }
    assertThat(peak).isEqualTo(800);
  }

  @Test
  void equalRatesPassSamplesThroughUnchanged() {
    Resampler r = Resampler.create(16_000, 16_000);
    short[] in = Signals.sweep(16_000, 0, 8_000, 32_767, 1_000);
    assertThat(r.process(in)).isEqualTo(in);
    assertThat(r.flush()).isEmpty();
  }

  @Test
  void flushResetsForANewStream() {
    Resampler r = Resampler.create(24_000, 16_000);
    short[] in = Signals.sine(24_000, 440, AMPLITUDE, 2_400);
    short[] first = concat(r.process(in), r.flush());
    short[] second = concat(r.process(in), r.flush());
    assertThat(second).isEqualTo(first);
  }

  @Test
  void bytesAreConvertedAsLittleEndianMono() {
    Resampler r = Resampler.create(8_000, 16_000);
    short[] in = Signals.sine(8_000, 300, AMPLITUDE, 800);
    byte[] out = concat(r.process(Pcm16.toBytes(in)), r.flushBytes());
    Resampler reference = Resampler.create(8_000, 16_000);
    assertThat(Pcm16.toShorts(out)).isEqualTo(concat(reference.process(in), reference.flush()));
  }

  @Test
  void rejectsRatesOutsideTheSupportedRange() {
    assertThatThrownBy(() -> Resampler.create(0, 16_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sampleRateHz");
  }

  @Test
  void reportsItsLatency() {
    assertThat(Resampler.create(48_000, 16_000).latency().toMillis()).isBetween(1L, 10L);
    assertThat(Resampler.create(8_000, 16_000).latency().toMillis()).isBetween(1L, 10L);
  }

  private static short[] concat(short[] a, short[] b) {
    short[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
