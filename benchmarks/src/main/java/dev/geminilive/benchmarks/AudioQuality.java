package dev.geminilive.benchmarks;

import dev.geminilive.audio.Resampler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;

/** Test tones and quality measures (SINAD by sine fit, aliasing attenuation) for section 6. */
final class AudioQuality {
  private AudioQuality() {}

  static short[] tone(int rate, double hz, double amplitude, int samples) {
    short[] out = new short[samples];
    for (int i = 0; i < samples; i++) {
      out[i] = (short) Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * hz * i / rate));
    }
    return out;
  }

  static short[][] chunks(short[] all, int size) {
    short[][] out = new short[all.length / size][];
    for (int i = 0; i < out.length; i++) {
      out[i] = java.util.Arrays.copyOfRange(all, i * size, (i + 1) * size);
    }
    return out;
  }

  static byte[] le(short[] s) {
    byte[] b = new byte[s.length * 2];
    for (int i = 0; i < s.length; i++) {
      b[2 * i] = (byte) s[i];
      b[2 * i + 1] = (byte) (s[i] >> 8);
    }
    return b;
  }

  static short[] fromLe(byte[] b) {
    short[] s = new short[b.length / 2];
    for (int i = 0; i < s.length; i++) {
      s[i] = (short) ((b[2 * i] & 0xFF) | (b[2 * i + 1] << 8));
    }
    return s;
  }

  static byte[] concat(byte[][] parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static AudioFormat pcm(int rate) {
    return new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, rate, 16, 1, 2, rate, false);
  }

  static AudioFormat ulaw() {
    return new AudioFormat(AudioFormat.Encoding.ULAW, 8_000, 8, 1, 1, 8_000, false);
  }

  static byte[] jdkConvert(byte[] data, AudioFormat from, AudioFormat to) throws IOException {
    try (AudioInputStream in =
            new AudioInputStream(
                new java.io.ByteArrayInputStream(data), from, data.length / from.getFrameSize());
        AudioInputStream out = javax.sound.sampled.AudioSystem.getAudioInputStream(to, in)) {
      return out.readAllBytes();
    }
  }

  static short[] libraryResample(short[] in, int from, int to) {
    Resampler r = Resampler.create(from, to);
    short[] a = r.process(in);
    short[] b = r.flush();
    short[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static short[] jdkResample(short[] in, int from, int to) throws IOException {
    return fromLe(jdkConvert(le(in), pcm(from), pcm(to)));
  }

  /**
   * Signal to noise-and-distortion in dB: least-squares fit of a sine at {@code hz} (free phase)
   * over the middle 80 % of {@code x}; residual = everything else, a DC offset included (the
   * signals have none; subtracting the window's mean would wrongly remove part of a sine that does
   * not fill whole cycles).
   */
  static double sinad(short[] x, int rate, double hz) {
    return sinad(values(x), rate, hz);
  }

  /** The samples as floats, unscaled (exact: every PCM16 value is a float). */
  static float[] values(short[] x) {
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i];
    }
    return out;
  }

  /** Output RMS of the middle 80 % relative to the input tone's RMS, in dB (lower is better). */
  static double leakage(short[] out, double inputAmplitude) {
    return leakage(values(out), inputAmplitude * 32767);
  }

  /** SINAD of a float signal (full scale ±1) by the same fit, middle 80 %. */
  static double sinad(float[] x, int rate, double hz) {
    int from = x.length / 10;
    int to = x.length - x.length / 10;
    double ss = 0, sc = 0, cc = 0, xs = 0, xc = 0;
    for (int i = from; i < to; i++) {
      double s = Math.sin(2 * Math.PI * hz * i / rate);
      double c = Math.cos(2 * Math.PI * hz * i / rate);
      ss += s * s;
      sc += s * c;
      cc += c * c;
      xs += x[i] * s;
      xc += x[i] * c;
    }
    double det = ss * cc - sc * sc;
    double a = (xs * cc - xc * sc) / det;
    double b = (xc * ss - xs * sc) / det;
    double sig = 0;
    double noise = 0;
    for (int i = from; i < to; i++) {
      double fit =
          a * Math.sin(2 * Math.PI * hz * i / rate) + b * Math.cos(2 * Math.PI * hz * i / rate);
      sig += fit * fit;
      double r = x[i] - fit;
      noise += r * r;
    }
    return 10 * Math.log10(sig / Math.max(noise, 1e-30));
  }

  /** RMS of the middle 80 % of {@code out} relative to a tone of {@code amplitude} (±1 scale). */
  static double leakage(float[] out, double amplitude) {
    int from = out.length / 10;
    int to = out.length - out.length / 10;
    double e = 0;
    for (int i = from; i < to; i++) {
      e += (double) out[i] * out[i];
    }
    double rms = Math.sqrt(e / Math.max(1, to - from));
    return 20 * Math.log10(rms / (amplitude / Math.sqrt(2))); // -Infinity: nothing left
  }

  static float[] toneFloat(int rate, double hz, double amplitude, int samples) {
    float[] out = new float[samples];
    for (int i = 0; i < samples; i++) {
      out[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / rate));
    }
    return out;
  }

  static float[] libraryResample(float[] in, int from, int to) {
    Resampler r = Resampler.create(from, to);
    float[] a = r.process(in);
    float[] b = r.flushFloats();
    float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
