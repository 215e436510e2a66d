package dev.geminilive.audio;

/** Synthetic test signals and measurements (single-bin DFT fits, RMS). */
final class Signals {
  private Signals() {}

  static short[] sine(int rateHz, double freqHz, double amplitude, int samples) {
    short[] out = new short[samples];
    for (int i = 0; i < samples; i++) {
      out[i] = Pcm16.clip(amplitude * Math.sin(2 * Math.PI * freqHz * i / rateHz));
    }
    return out;
  }

  /** Linear chirp from {@code f0} to {@code f1} Hz over the whole length. */
  static short[] sweep(int rateHz, double f0, double f1, double amplitude, int samples) {
    short[] out = new short[samples];
    double seconds = (double) samples / rateHz;
    for (int i = 0; i < samples; i++) {
      double t = (double) i / rateHz;
      double phase = 2 * Math.PI * (f0 * t + (f1 - f0) * t * t / (2 * seconds));
      out[i] = Pcm16.clip(amplitude * Math.sin(phase));
    }
    return out;
  }

  /**
   * Least-squares fit of a sinusoid at a known frequency to {@code x[from, to)}: the DFT bin at
   * exactly {@code freqHz}, corrected for the non-integer number of cycles. Returns {a, b}: x ≈ a
   * cos + b sin.
   */
  static double[] fit(short[] x, int from, int to, int rateHz, double freqHz) {
    return fit(values(x), from, to, rateHz, freqHz);
  }

  static double amplitude(short[] x, int from, int to, int rateHz, double freqHz) {
    return amplitude(values(x), from, to, rateHz, freqHz);
  }

  /** RMS of what is left after removing the best-fitting sinusoid at {@code freqHz}. */
  static double residualRms(short[] x, int from, int to, int rateHz, double freqHz) {
    return residualRms(values(x), from, to, rateHz, freqHz);
  }

  /** The samples as floats, unscaled (exact). */
  static float[] values(short[] x) {
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i];
    }
    return out;
  }

  static double rms(short[] x, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += (double) x[i] * x[i];
    }
    return Math.sqrt(sum / (to - from));
  }

  static double db(double ratio) {
    return 20 * Math.log10(ratio);
  }

  // Floating-point signals (full scale ±1, no 16-bit rounding) measure the filter itself: the
  // rounding of PCM16 input and output alone limits a -6 dBFS tone to about 90 dB SINAD.

  static float[] sineFloat(int rateHz, double freqHz, double amplitude, int samples) {
    float[] out = new float[samples];
    for (int i = 0; i < samples; i++) {
      out[i] = (float) (amplitude * Math.sin(2 * Math.PI * freqHz * i / rateHz));
    }
    return out;
  }

  static double[] fit(float[] x, int from, int to, int rateHz, double freqHz) {
    double cc = 0;
    double ss = 0;
    double cs = 0;
    double yc = 0;
    double ys = 0;
    for (int i = from; i < to; i++) {
      double w = 2 * Math.PI * freqHz * i / rateHz;
      double c = Math.cos(w);
      double s = Math.sin(w);
      cc += c * c;
      ss += s * s;
      cs += c * s;
      yc += x[i] * c;
      ys += x[i] * s;
    }
    double det = cc * ss - cs * cs;
    return new double[] {(yc * ss - ys * cs) / det, (ys * cc - yc * cs) / det};
  }

  static double amplitude(float[] x, int from, int to, int rateHz, double freqHz) {
    double[] ab = fit(x, from, to, rateHz, freqHz);
    return Math.hypot(ab[0], ab[1]);
  }

  static double residualRms(float[] x, int from, int to, int rateHz, double freqHz) {
    double[] ab = fit(x, from, to, rateHz, freqHz);
    double sum = 0;
    for (int i = from; i < to; i++) {
      double w = 2 * Math.PI * freqHz * i / rateHz;
      double r = x[i] - ab[0] * Math.cos(w) - ab[1] * Math.sin(w);
      sum += r * r;
    }
    return Math.sqrt(sum / (to - from));
  }

  static double rms(float[] x, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += (double) x[i] * x[i];
    }
    return Math.sqrt(sum / (to - from));
  }

  /** Signal to noise and distortion of a tone at {@code freqHz}, in dB. */
  static double sinad(float[] x, int from, int to, int rateHz, double freqHz) {
    return db(
        amplitude(x, from, to, rateHz, freqHz)
            / Math.sqrt(2)
            / residualRms(x, from, to, rateHz, freqHz));
  }

  static double sinad(short[] x, int from, int to, int rateHz, double freqHz) {
    return sinad(values(x), from, to, rateHz, freqHz);
  }
}
