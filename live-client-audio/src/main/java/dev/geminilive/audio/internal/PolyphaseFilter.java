package dev.geminilive.audio.internal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The immutable filter of one sample-rate ratio: a low-pass prototype split into {@link #up()}
 * phases, each stored in window order (oldest input first) and padded with zeros to a whole number
 * of {@link HornerKernel} steps. Tables are designed once per ratio and shared by every resampler
 * of that ratio (a small cache, see {@link #of}).
 *
 * <p>Design: the ratio {@code toHz / fromHz} is reduced to {@code up / down}; the prototype runs at
 * {@code up * fromHz}, its pass band ends at {@code passbandFraction} of the lower of the two
 * Nyquist frequencies and its stop band starts at that Nyquist frequency, so nothing that would
 * alias (down-sampling) or image (up-sampling) is let through at more than {@code
 * -stopbandAttenuationDb}. The prototype is the shortest equiripple filter ({@link Equiripple})
 * that meets this with a pass band within {@value #PASSBAND_RIPPLE} of unity, about four fifths of
 * the length of a Kaiser-windowed sinc with the same edges and attenuation: the filter's cost per
 * sample is its length. Ratios whose Kaiser filter would exceed {@value #MAX_EQUIRIPPLE_LENGTH}
 * taps (many phases, such as 44.1 kHz to 16 kHz), or where the exchange finds no design, keep the
 * Kaiser window.
 *
 * <p>Thread-safe: immutable after construction.
 */
public final class PolyphaseFilter {

  /** Largest table accepted (coefficients), to keep odd ratios from using huge memory. */
  static final long MAX_TABLE_SIZE = 4_000_000;

  /**
   * Longest Kaiser length for which an equiripple design is tried: the exchange's cost grows with
   * the square of the length, and ratios with many phases need long prototypes.
   */
  static final int MAX_EQUIRIPPLE_LENGTH = 1_200;

  /**
   * Pass-band deviation of the equiripple designs, ±0.0017 dB (at most 0.0035 dB once the gain at
   * DC is made exactly one), well inside the pass band's documented flatness and traded for a
   * shorter filter at the same stop-band attenuation. Measured on the service's ratios, 1.5e-4
   * would add one kernel step (six to eight taps per phase) to each of them.
   */
  static final double PASSBAND_RIPPLE = 2e-4;

  /** Ratios kept in the shared cache; beyond this, tables are built per resampler. */
  private static final int CACHE_LIMIT = 64;

  private static final ConcurrentHashMap<Long, PolyphaseFilter> CACHE = new ConcurrentHashMap<>();

  /** Equiripple prototypes by normalised edges and attenuation; an empty array for none found. */
  private static final ConcurrentHashMap<String, double[]> PROTOTYPES = new ConcurrentHashMap<>();

  private final int up;
  private final int down;
  private final int taps;
  private final long delay;
  private final int group;
  private final int steps;
  private final float[][] phases;

  private PolyphaseFilter(int fromHz, int toHz, double passbandFraction, double attenuationDb) {
    int g = gcd(fromHz, toHz);
    this.up = toHz / g;
    this.down = fromHz / g;
    double lowerNyquist = Math.min(fromHz, toHz) / 2.0;
    double highRate = (double) fromHz * up;
    double passEdge = passbandFraction * lowerNyquist;
    double transition = lowerNyquist - passEdge;
    double cutoff = (passEdge + lowerNyquist) / 2 / highRate; // cycles per high-rate sample
    int length = (int) Math.ceil((attenuationDb - 7.95) / (14.36 * transition / highRate)) + 1;
    if (length % 2 == 0) {
      length++;
    }
    int perPhase = (length + up - 1) / up;
    if ((long) perPhase * up > MAX_TABLE_SIZE) {
      throw new IllegalArgumentException(
          "ratio "
              + fromHz
              + " -> "
              + toHz
              + " Hz (reduced "
              + up
              + "/"
              + down
              + ") needs a filter of "
              + ((long) perPhase * up)
              + " coefficients, more than "
              + MAX_TABLE_SIZE
              + "; resample in two steps through a rate with a simpler ratio to both");
    }
    double[] h = null;
    if (length <= MAX_EQUIRIPPLE_LENGTH) {
      h = equiripple(passEdge / highRate, lowerNyquist / highRate, attenuationDb);
    }
    if (h == null) {
      h = design(length, cutoff, kaiserBeta(attenuationDb));
    }
    double sum = 0;
    for (double v : h) {
      sum += v;
    }
    double gain = up / sum; // unity gain at DC after zero-stuffing by `up`
    length = h.length;
    perPhase = (length + up - 1) / up;
    this.taps = perPhase;
    this.delay = (length - 1) / 2;
    this.group = HornerKernel.groupFor(down);
    int streams = down * group;
    this.steps = (perPhase + streams - 1) / streams;
    this.phases = new float[up][steps * streams];
    // Prototype tap i belongs to phase i % up at position i / up (newest input first); the tables
    // hold it in window order, oldest input first.
    for (int i = 0; i < length; i++) {
      phases[i % up][perPhase - 1 - i / up] = (float) (h[i] * gain);
    }
  }

  /**
   * Returns the shared filter for {@code fromHz -> toHz}, designing it on first use.
   *
   * @param fromHz input rate in Hz, positive
   * @param toHz output rate in Hz, positive
   * @param passbandFraction pass-band edge as a fraction of the lower Nyquist frequency
   * @param attenuationDb stop-band attenuation the filter is designed for
   * @return the filter
   * @throws IllegalArgumentException if the table would exceed {@value #MAX_TABLE_SIZE}
   *     coefficients
   */
  public static PolyphaseFilter of(
      int fromHz, int toHz, double passbandFraction, double attenuationDb) {
    long key = ((long) fromHz << 32) | toHz;
    PolyphaseFilter cached = CACHE.get(key);
    if (cached != null) {
      return cached;
    }
    PolyphaseFilter built = new PolyphaseFilter(fromHz, toHz, passbandFraction, attenuationDb);
    if (CACHE.size() < CACHE_LIMIT) {
      PolyphaseFilter raced = CACHE.putIfAbsent(key, built);
      return raced == null ? built : raced;
    }
    return built;
  }

  /** Interpolation factor of the reduced ratio. */
  public int up() {
    return up;
  }

  /** Decimation factor of the reduced ratio. */
  public int down() {
    return down;
  }

  /** Coefficients per phase (the input window of one output sample). */
  public int taps() {
    return taps;
  }

  /** Group delay of the prototype, in samples at {@code up * fromHz}. */
  public long delay() {
    return delay;
  }

  /** Shifted copies per input stream that {@link HornerKernel} uses for this ratio. */
  int group() {
    return group;
  }

  /** Horner steps per output (coefficients per phase, rounded up to whole steps). */
  int steps() {
    return steps;
  }

  /**
   * The coefficients of phase {@code p} in window order (index 0 weighs the oldest input of the
   * window), zero-padded to {@code steps * down * group}. Callers must not modify the array.
   */
  public float[] phase(int p) {
    return phases[p];
  }

  /**
   * The shortest equiripple low-pass (odd length, cycles per sample of the prototype's rate) whose
   * pass band deviates by at most {@link #PASSBAND_RIPPLE} and whose stop band is at least {@code
   * attenuationDb} down; null if the exchange finds none near the length the deviations predict.
   */
  static double[] equiripple(double pass, double stop, double attenuationDb) {
    // 48k -> 16k, 24k -> 8k and 24k -> 16k (at 48 kHz) have the same prototype: designed once.
    String key = pass + "/" + stop + "/" + attenuationDb;
    double[] known = PROTOTYPES.get(key);
    if (known == null) {
      known = searchEquiripple(pass, stop, attenuationDb);
      if (PROTOTYPES.size() < CACHE_LIMIT) {
        PROTOTYPES.putIfAbsent(key, known);
      }
    }
    return known.length == 0 ? null : known;
  }

  /** The search behind {@link #equiripple}; an empty array if it finds no design. */
  private static double[] searchEquiripple(double pass, double stop, double attenuationDb) {
    double stopDeviation = Math.pow(10, -attenuationDb / 20);
    double weight = PASSBAND_RIPPLE / stopDeviation;
    // Herrmann's estimate of an equiripple filter's length comes out 2-3 % short for these
    // deviations: start just above it and walk down while the design still meets the deviations,
    // so a ratio takes two or three designs.
    double estimate =
        (-10 * Math.log10(PASSBAND_RIPPLE * stopDeviation) - 13) / (14.6 * (stop - pass));
    int length = Math.max(3, (int) (estimate * 1.03)) | 1;
    double[] best = meets(length, pass, stop, weight);
    if (best != null) {
      for (int shorter = length - 2; shorter >= 3; shorter -= 2) {
        double[] h = meets(shorter, pass, stop, weight);
        if (h == null) {
          break;
        }
        best = h;
      }
      return best;
    }
    for (int tries = 0; tries < 12; tries++) {
      length += 2;
      double[] h = meets(length, pass, stop, weight);
      if (h != null) {
        return h;
      }
    }
    return new double[0];
  }

  /** The taps of an equiripple design of {@code length} if it meets the deviations, else null. */
  private static double[] meets(int length, double pass, double stop, double weight) {
    Equiripple.Design d = Equiripple.lowPass(length, pass, stop, weight);
    return d != null && d.passDeviation() <= PASSBAND_RIPPLE ? d.taps() : null;
  }

  private static double[] design(int length, double cutoff, double beta) {
    double[] h = new double[length];
    double mid = (length - 1) / 2.0;
    double i0Beta = besselI0(beta);
    for (int i = 0; i < length; i++) {
      double x = i - mid;
      double sinc = x == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
      double r = x / mid;
      double window = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
      h[i] = sinc * window;
    }
    return h;
  }

  private static double kaiserBeta(double attenuationDb) {
    if (attenuationDb > 50) {
      return 0.1102 * (attenuationDb - 8.7);
    }
    if (attenuationDb >= 21) {
      return 0.5842 * Math.pow(attenuationDb - 21, 0.4) + 0.07886 * (attenuationDb - 21);
    }
    return 0;
  }

  private static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    double half = x / 2;
    for (int k = 1; k < 500; k++) {
      term *= (half / k) * (half / k);
      sum += term;
      if (term < sum * 1e-17) {
        break;
      }
    }
    return sum;
  }

  private static int gcd(int a, int b) {
    while (b != 0) {
      int t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
}
