package dev.geminilive.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class G711Test {

  private static int mu(int sample) {
    return G711.encodeMuLaw((short) sample) & 0xFF;
  }

  private static int a(int sample) {
    return G711.encodeALaw((short) sample) & 0xFF;
  }

  private static int muDecoded(int code) {
    return G711.decodeMuLaw((byte) code);
  }

  private static int aDecoded(int code) {
    return G711.decodeALaw((byte) code);
  }

  @Test
  void muLawEncodesSilenceAsFfAndMinusOneAsNegativeZero() {
    assertThat(mu(0)).isEqualTo(0xFF);
    assertThat(mu(-1)).isEqualTo(0x7F);
    assertThat(muDecoded(0xFF)).isZero();
    assertThat(muDecoded(0x7F)).isZero();
  }

  @Test
  void muLawFullScaleMapsToTheOuterCodes() {
    assertThat(mu(32_767)).isEqualTo(0x80);
    assertThat(mu(-32_768)).isEqualTo(0x00);
    assertThat(muDecoded(0x80)).isEqualTo(32_124);
    assertThat(muDecoded(0x00)).isEqualTo(-32_124);
  }

  @Test
  void muLawDecodesTheG711TableAtEverySegmentBoundary() {
    // First and last value of each of the eight segments (negative half; codes 0x00..0x7F).
    int[][] segments = {
      {0x00, -32_124, 0x0F, -16_764},
      {0x10, -15_996, 0x1F, -8_316},
      {0x20, -7_932, 0x2F, -4_092},
      {0x30, -3_900, 0x3F, -1_980},
      {0x40, -1_884, 0x4F, -924},
      {0x50, -876, 0x5F, -396},
      {0x60, -372, 0x6F, -132},
      {0x70, -120, 0x7F, 0},
    };
    for (int[] s : segments) {
      assertThat(muDecoded(s[0])).as("code %02X", s[0]).isEqualTo(s[1]);
      assertThat(muDecoded(s[2])).as("code %02X", s[2]).isEqualTo(s[3]);
      assertThat(muDecoded(s[0] | 0x80)).as("code %02X", s[0] | 0x80).isEqualTo(-s[1]);
      assertThat(muDecoded(s[2] | 0x80)).as("code %02X", s[2] | 0x80).isEqualTo(-s[3]);
    }
  }

  @Test
  void muLawDecisionLevelsMatchTheStandard() {
    // 14-bit decision values 1, 3, 5, ... (x4 at 16 bits) in the first segment.
    assertThat(mu(3)).isEqualTo(0xFF);
    assertThat(mu(4)).isEqualTo(0xFE);
    assertThat(mu(11)).isEqualTo(0xFE);
    assertThat(mu(12)).isEqualTo(0xFD);
    // Clipping: 14-bit magnitude 8159 and above all give the outermost code.
    assertThat(mu(8_158 * 4)).isEqualTo(0x80);
    assertThat(mu(8_000 * 4)).isEqualTo(0x80);
  }

  @Test
  void aLawEncodesSilenceAsD5AndMinusOneAs55() {
    assertThat(a(0)).isEqualTo(0xD5);
    assertThat(a(-1)).isEqualTo(0x55);
    assertThat(aDecoded(0xD5)).isEqualTo(8);
    assertThat(aDecoded(0x55)).isEqualTo(-8);
  }

  @Test
  void aLawFullScaleMapsToTheOuterCodes() {
    assertThat(a(32_767)).isEqualTo(0xAA);
    assertThat(a(-32_768)).isEqualTo(0x2A);
    assertThat(aDecoded(0xAA)).isEqualTo(32_256);
    assertThat(aDecoded(0x2A)).isEqualTo(-32_256);
  }

  @Test
  void aLawDecodesTheG711Table() {
    // The start of the well-known A-law expansion table (codes 0x00.. with even bits inverted).
    int[] expected = {
      -5_504, -5_248, -6_016, -5_760, -4_480, -4_224, -4_992, -4_736,
      -7_552, -7_296, -8_064, -7_808, -6_528, -6_272, -7_040, -6_784,
      -2_752, -2_624, -3_008, -2_880, -2_240, -2_112, -2_496, -2_368,
      -3_776, -3_648, -4_032, -3_904, -3_264, -3_136, -3_520, -3_392
    };
    for (int code = 0; code < expected.length; code++) {
      assertThat(aDecoded(code)).as("code %02X", code).isEqualTo(expected[code]);
      assertThat(aDecoded(code | 0x80)).as("code %02X", code | 0x80).isEqualTo(-expected[code]);
    }
  }

  @Test
  void aLawSegmentBoundariesDoubleTheStep() {
    // Segment 0 and 1 share the 16-unit step (at 16 bits); each later segment doubles it.
    assertThat(a(15)).isEqualTo(0xD5);
    assertThat(a(16)).isEqualTo(0xD4);
    assertThat(aDecoded(0xD4)).isEqualTo(24);
    assertThat(a(511)).isEqualTo(0xD5 ^ 0x1F ^ 0x00); // 511 >> 4 = 31: last code of segment 1
    assertThat(aDecoded(a(512)) - aDecoded(a(511))).isEqualTo(24); // 504 -> 528
  }

  @Test
  void everyCodeSurvivesADecodeEncodeRoundTrip() {
    for (int code = 0; code < 256; code++) {
      int muExpected = code == 0x7F ? 0xFF : code; // negative zero decodes to 0, which is 0xFF
      assertThat(mu(muDecoded(code))).as("mu-law %02X", code).isEqualTo(muExpected);
      assertThat(a(aDecoded(code))).as("A-law %02X", code).isEqualTo(code);
    }
  }

  @Test
  void encodingIsMonotonicAndWithinHalfAStep() {
    int previousMu = Integer.MIN_VALUE;
    int previousA = Integer.MIN_VALUE;
    for (int x = Short.MIN_VALUE; x <= Short.MAX_VALUE; x++) {
      int muOut = muDecoded(mu(x));
      int aOut = aDecoded(a(x));
      assertThat(muOut).isGreaterThanOrEqualTo(previousMu);
      assertThat(aOut).isGreaterThanOrEqualTo(previousA);
      previousMu = muOut;
      previousA = aOut;
      int magnitude = Math.min(Math.abs(x), 32_124);
      // Quantisation error is at most half the step of the segment (step 8 .. 1024), plus the
      // 2 (mu) / 4 (A) low bits the standard ignores.
      double muStep = Math.max(8, Integer.highestOneBit(Math.max(1, (magnitude + 132) >> 4)) / 1.0);
      assertThat((double) Math.abs(muOut - Math.max(-32_124, Math.min(32_124, x))))
          .as("mu-law error at %d", x)
          .isLessThanOrEqualTo(muStep / 2 + 4);
      int aMagnitude = Math.min(Math.abs(x), 32_256);
      double aStep = Math.max(16, Integer.highestOneBit(Math.max(1, aMagnitude >> 4)));
      assertThat((double) Math.abs(aOut - Math.max(-32_256, Math.min(32_256, x))))
          .as("A-law error at %d", x)
          .isLessThanOrEqualTo(aStep / 2 + 16);
    }
  }

  @Test
  void arrayFormsMatchTheSingleSampleForms() {
    short[] samples = {0, -1, 1, 1000, -1000, Short.MAX_VALUE, Short.MIN_VALUE};
    byte[] mu = G711.encodeMuLaw(samples);
    byte[] a = G711.encodeALaw(samples);
    for (int i = 0; i < samples.length; i++) {
      assertThat(mu[i]).isEqualTo(G711.encodeMuLaw(samples[i]));
      assertThat(a[i]).isEqualTo(G711.encodeALaw(samples[i]));
    }
    assertThat(G711.decodeMuLaw(mu)[5]).isEqualTo((short) 32_124);
    assertThat(G711.decodeALaw(a)[6]).isEqualTo((short) -32_256);
  }

  @Test
  void modelSpeechSurvivesThePhoneLineWithTheCompandersUsualSignalToNoise() {
    // 24 kHz model audio -> 8 kHz -> mu-law / A-law -> back: G.711 gives about 38 dB SNR.
    Resampler down = Resampler.create(24_000, 8_000);
    short[] tone = Signals.sine(24_000, 1_000, 16_000, 24_000);
    short[] pcm8k = down.process(tone);
    int from = 400;
    int to = pcm8k.length - 400;
    for (short[] back :
        new short[][] {
          G711.decodeMuLaw(G711.encodeMuLaw(pcm8k)), G711.decodeALaw(G711.encodeALaw(pcm8k))
        }) {
      double noise = 0;
      for (int i = from; i < to; i++) {
        noise += Math.pow(back[i] - pcm8k[i], 2);
      }
      double snr = Signals.db(Signals.rms(pcm8k, from, to) / Math.sqrt(noise / (to - from)));
      assertThat(snr).isGreaterThan(35);
    }
  }
}
