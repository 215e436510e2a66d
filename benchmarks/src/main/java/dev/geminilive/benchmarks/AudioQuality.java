package dev.geminilive.benchmarks;

import dev.geminilive.audio.G711;
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
    try (AudioInputStream in = AudioBenchmark.stream(data, from);
        AudioInputStream out = AudioBenchmark.convert(in, to)) {
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
   * Signal to noise-and-distortion in dB: least-squares fit of a sine at {@code hz} (free phase,
   * free offset) over the middle 80 % of {@code x}; residual = everything else.
   */
  static double sinad(short[] x, int rate, double hz) {
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
    double mean = 0;
    for (int i = from; i < to; i++) {
      mean += x[i];
    }
    mean /= (to - from);
    double sig = 0;
    double noise = 0;
    for (int i = from; i < to; i++) {
      double fit =
          a * Math.sin(2 * Math.PI * hz * i / rate) + b * Math.cos(2 * Math.PI * hz * i / rate);
      sig += fit * fit;
      double r = x[i] - mean - fit;
      noise += r * r;
    }
    return 10 * Math.log10(sig / Math.max(noise, 1e-12));
  }

  /** Output RMS of the middle 80 % relative to the input tone's RMS, in dB (lower is better). */
  static double leakage(short[] out, double inputAmplitude) {
    int from = out.length / 10;
    int to = out.length - out.length / 10;
    double e = 0;
    for (int i = from; i < to; i++) {
      e += (double) out[i] * out[i];
    }
    double rms = Math.sqrt(e / Math.max(1, to - from));
    double inRms = inputAmplitude * 32767 / Math.sqrt(2);
    return 20 * Math.log10(Math.max(rms, 1e-9) / inRms);
  }

  record Row(String what, String library, String jdk) {}

  /** The quality table: resampling SINAD and alias leakage, mu-law SINAD and agreement. */
  static java.util.List<Row> measure() {
    java.util.List<Row> rows = new java.util.ArrayList<>();
    int[][] pairs = {{48_000, 16_000, 10_000}, {24_000, 48_000, 0}, {24_000, 8_000, 5_000}};
    for (int[] p : pairs) {
      int from = p[0];
      int to = p[1];
      String name = from / 1000 + "k→" + to / 1000 + "k";
      short[] in = tone(from, 1_000, 0.5, from * 2);
      String lib;
      String jdk;
      lib = Stats.fmt("%.1f dB", sinad(libraryResample(in, from, to), to, 1_000));
      try {
        jdk = Stats.fmt("%.1f dB", sinad(jdkResample(in, from, to), to, 1_000));
      } catch (Exception | Error e) {
        jdk = "unsupported: " + e;
      }
      rows.add(new Row(name + ": SINAD of a 1 kHz tone at −6 dBFS (higher is better)", lib, jdk));
      if (p[2] > 0) {
        short[] high = tone(from, p[2], 0.5, from * 2);
        String libA = Stats.fmt("%.1f dB", leakage(libraryResample(high, from, to), 0.5));
        String jdkA;
        try {
          jdkA = Stats.fmt("%.1f dB", leakage(jdkResample(high, from, to), 0.5));
        } catch (Exception | Error e) {
          jdkA = "unsupported: " + e;
        }
        rows.add(
            new Row(
                name
                    + ": a "
                    + p[2] / 1000
                    + " kHz tone (above the new Nyquist) left in the output, relative to input"
                    + " (lower is better; it can only appear as an alias)",
                libA,
                jdkA));
      }
    }
    short[] voice = tone(8_000, 1_000, 0.5, 16_000);
    short[] libRound = G711.decodeMuLaw(G711.encodeMuLaw(voice));
    String jdkRound;
    String agree;
    try {
      byte[] jdkCodes = jdkConvert(le(voice), pcm(8_000), ulaw());
      byte[] libCodes = G711.encodeMuLaw(voice);
      int same = 0;
      for (int i = 0; i < Math.min(jdkCodes.length, libCodes.length); i++) {
        if (jdkCodes[i] == libCodes[i]) {
          same++;
        }
      }
      agree = Stats.fmt("%d of %d codes identical to the JDK's", same, libCodes.length);
      jdkRound =
          Stats.fmt(
              "%.1f dB", sinad(fromLe(jdkConvert(jdkCodes, ulaw(), pcm(8_000))), 8_000, 1_000));
    } catch (Exception | Error e) {
      jdkRound = "unsupported: " + e;
      agree = "n/a";
    }
    rows.add(
        new Row(
            "mu-law encode→decode: SINAD of a 1 kHz tone at −6 dBFS (G.711 ≈ 38 dB)",
            Stats.fmt("%.1f dB", sinad(libRound, 8_000, 1_000)),
            jdkRound));
    rows.add(new Row("mu-law codes", agree, ""));
    return rows;
  }
}
