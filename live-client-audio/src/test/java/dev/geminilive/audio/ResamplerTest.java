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

  /** Resamples float samples in 10 ms chunks and flushes. */
  private static float[] stream(Resampler r, float[] in, int chunk) {
    float[] out = new float[0];
    for (int pos = 0; pos < in.length; pos += chunk) {
      out =
          concat(
              out,
              r.process(java.util.Arrays.copyOfRange(in, pos, Math.min(in.length, pos + chunk))));
    }
    return concat(out, r.flushFloats());
  }

  private static final double[] PASSBAND_FRACTIONS = {
    0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9
  };

  @ParameterizedTest(name = "{0} Hz -> {1} Hz")
  @MethodSource("ratios")
  void passesTheBandUpToNineTenthsOfTheLowerNyquistFlatWithin0point01Db(int from, int to) {
    double lowerNyquist = Math.min(from, to) / 2.0;
    double minDb = Double.MAX_VALUE;
    double maxDb = -Double.MAX_VALUE;
    for (double fraction : PASSBAND_FRACTIONS) {
      double f = fraction * lowerNyquist;
      float[] out =
          stream(Resampler.create(from, to), Signals.sineFloat(from, f, 0.5, from / 2), from / 100);
      int margin = to / 20; // 50 ms: well past the filter's transient
      double gainDb = Signals.db(Signals.amplitude(out, margin, out.length - margin, to, f) / 0.5);
      minDb = Math.min(minDb, gainDb);
      maxDb = Math.max(maxDb, gainDb);
    }
    System.out.printf(
        "%d -> %d Hz: passband gain %.5f..%.5f dB (ripple %.5f dB)%n",
        from, to, minDb, maxDb, maxDb - minDb);
    assertThat(maxDb).isLessThan(0.005);
    assertThat(minDb).isGreaterThan(-0.005);
    assertThat(maxDb - minDb).isLessThan(0.01);
  }

  @ParameterizedTest(name = "{0} Hz -> {1} Hz")
  @MethodSource("ratios")
  void keepsNoiseDistortionAndImagesAtLeast90DbBelowAnyToneInThePassBand(int from, int to) {
    double lowerNyquist = Math.min(from, to) / 2.0;
    double worst = Double.MAX_VALUE;
    for (double fraction : PASSBAND_FRACTIONS) {
      double f = fraction * lowerNyquist;
      float[] out =
          stream(Resampler.create(from, to), Signals.sineFloat(from, f, 0.5, from / 2), from / 100);
      int margin = to / 20;
      // Whatever is not the tone counts: rounding, aliases of the filter's own errors, images.
      worst = Math.min(worst, Signals.sinad(out, margin, out.length - margin, to, f));
    }
    System.out.printf("%d -> %d Hz: worst SINAD over the pass band %.1f dB%n", from, to, worst);
    assertThat(worst).isGreaterThanOrEqualTo(90);
  }

  @ParameterizedTest(name = "{0} Hz -> {1} Hz")
  @MethodSource("ratios")
  void keepsPcm16SinadAtLeast90DbForANearFullScaleTone(int from, int to) {
    // 16-bit rounding of input and output alone allows about 94 dB for a -1 dBFS tone.
    short[] out = stream(Resampler.create(from, to), Signals.sine(from, 1_000, 29_000, from), 480);
    int margin = to / 20;
    double sinad = Signals.sinad(out, margin, out.length - margin, to, 1_000);
    System.out.printf(
        "%d -> %d Hz: PCM16 SINAD of a -1 dBFS 1 kHz tone %.1f dB%n", from, to, sinad);
    assertThat(sinad).isGreaterThanOrEqualTo(90);
  }

  @ParameterizedTest(name = "{0} Hz -> {1} Hz")
  @MethodSource("ratios")
  void attenuatesEverythingAboveTheLowerNyquistByAtLeast90Db(int from, int to) {
    double lowerNyquist = Math.min(from, to) / 2.0;
    double inputNyquist = from / 2.0;
    if (lowerNyquist >= inputNyquist) {
      return; // up-sampling: no input above the lower Nyquist; images are covered above
    }
    double worstDb = -Double.MAX_VALUE;
    double worstPcm16Db = -Double.MAX_VALUE;
    int steps = 24;
    for (int i = 0; i <= steps; i++) {
      double f = lowerNyquist * 1.002 + (inputNyquist * 0.998 - lowerNyquist * 1.002) * i / steps;
      int margin = to / 20;
      float[] out =
          stream(Resampler.create(from, to), Signals.sineFloat(from, f, 0.5, from / 2), from / 100);
      worstDb =
          Math.max(
              worstDb,
              Signals.db(Signals.rms(out, margin, out.length - margin) / (0.5 / Math.sqrt(2))));
      short[] pcm =
          stream(Resampler.create(from, to), Signals.sine(from, f, 32_000, from / 2), from / 100);
      worstPcm16Db =
          Math.max(
              worstPcm16Db,
              Signals.db(Signals.rms(pcm, margin, pcm.length - margin) / (32_000 / Math.sqrt(2))));
    }
    System.out.printf(
        "%d -> %d Hz: worst alias of a tone above Nyquist %.1f dB (PCM16, full scale: %.1f dB)%n",
        from, to, worstDb, worstPcm16Db);
    assertThat(worstDb).isLessThan(-90);
    assertThat(worstPcm16Db).isLessThan(-90);
  }

  @ParameterizedTest(name = "{0} Hz -> {1} Hz")
  @MethodSource("ratios")
  void floatAndPcm16ChunksRunThroughTheSameFilter(int from, int to) {
    short[] in = Signals.sweep(from, 20, from / 2.0, AMPLITUDE, from / 5);
    float[] asFloats = Pcm16.toFloats(in);
    short[] pcm = stream(Resampler.create(from, to), in, from / 100);
    float[] floats = stream(Resampler.create(from, to), asFloats, from / 100);
    assertThat(floats).hasSameSizeAs(pcm);
    // Float output has a 24-bit mantissa: near a rounding boundary it may land one step away.
    for (int i = 0; i < pcm.length; i++) {
      assertThat(Math.abs(Pcm16.clip(floats[i] * 32768.0) - pcm[i]))
          .as("sample %d", i)
          .isLessThanOrEqualTo(1);
    }
  }

  @Test
  void floatStreamingInManySmallChunksEqualsOneShot() {
    float[] in = Pcm16.toFloats(Signals.sweep(24_000, 20, 12_000, AMPLITUDE, 6_000));
    Resampler oneShot = Resampler.create(24_000, 16_000);
    float[] whole = concat(oneShot.process(in), oneShot.flushFloats());
    Resampler streaming = Resampler.create(24_000, 16_000);
    Random random = new Random(7);
    float[] pieces = new float[0];
    for (int pos = 0; pos < in.length; ) {
      int n = Math.min(in.length - pos, random.nextInt(700));
      pieces = concat(pieces, streaming.process(java.util.Arrays.copyOfRange(in, pos, pos + n)));
      pos += n;
    }
    pieces = concat(pieces, streaming.flushFloats());
    assertThat(pieces).isEqualTo(whole);
  }

  @Test
  void nonFiniteFloatSamplesAreReadAsSilence() {
    Resampler r = Resampler.create(48_000, 16_000);
    float[] in = new float[4_800];
    in[100] = Float.NaN;
    in[2_000] = Float.POSITIVE_INFINITY;
    float[] out = concat(r.process(in), r.flushFloats());
    assertThat(out).hasSize(1_600).containsOnly(0f);
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
  void sweepAboveTheOutputNyquistLeavesOnlyResidueBelowMinus90Db() {
    int from = 44_100;
    int to = 16_000;
    // Chirp from 8.2 kHz to 22 kHz: everything is above 16 kHz's Nyquist and must vanish.
    short[] in = Signals.sweep(from, 8_200, 22_000, AMPLITUDE, from);
    short[] out = stream(Resampler.create(from, to), in, 441);
    int margin = to / 20;
    double db = Signals.db(Signals.rms(out, margin, out.length - margin) / SINE_RMS);
    System.out.printf("44100 -> 16000 Hz: sweep 8.2-22 kHz residue %.1f dB%n", db);
    assertThat(db).isLessThan(-90);
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

  private static float[] concat(float[] a, float[] b) {
    float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
