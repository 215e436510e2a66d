package dev.geminilive.audio.internal;

/**
 * Designs linear-phase low-pass filters of odd length with the Parks–McClellan (Remez exchange)
 * algorithm: the error is spread evenly over the pass band and the stop band (equiripple), so for
 * the same pass-band edge, stop-band edge and attenuation the filter is about a fifth shorter than
 * a Kaiser-windowed sinc, whose error is largest at the band edges and wasted further out.
 *
 * <p>The response {@code A(w) = sum_k a_k cos(k w)} is found in the variable {@code x = cos w} with
 * barycentric Lagrange interpolation (weights in logarithms, so long filters neither overflow nor
 * underflow), on a grid of {@value #GRID_DENSITY} points per coefficient.
 *
 * <p>Thread-safe: static methods without shared state.
 */
final class Equiripple {

  /** Grid points per filter coefficient, the usual density for Remez exchange. */
  static final int GRID_DENSITY = 16;

  private static final int MAX_ITERATIONS = 60;

  private Equiripple() {}

  /** A designed filter and the largest deviations on the grid, as fractions of the pass band. */
  record Design(double[] taps, double passDeviation, double stopDeviation) {}

  /**
   * Designs a low-pass filter of {@code length} taps (odd) with pass band {@code [0, pass]} and
   * stop band {@code [stop, 0.5]} (cycles per sample), weighting the stop band by {@code weight}
   * (so the stop-band deviation is the pass-band deviation divided by {@code weight}).
   *
   * @return the design, or null if the exchange did not settle
   */
  static Design lowPass(int length, double pass, double stop, double weight) {
    if (length % 2 == 0 || length < 3) {
      throw new IllegalArgumentException("length must be odd and at least 3: " + length);
    }
    int m = (length - 1) / 2; // the response has m + 1 cosine coefficients
    int r = m + 2; // extremal frequencies
    double[] grid = grid(m, pass, stop);
    int n = grid.length;
    double[] x = new double[n];
    double[] desired = new double[n];
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = Math.cos(2 * Math.PI * grid[i]);
      boolean inPass = grid[i] <= pass;
      desired[i] = inPass ? 1 : 0;
      w[i] = inPass ? 1 : weight;
    }
    int[] ext = new int[r];
    for (int i = 0; i < r; i++) {
      ext[i] = (int) ((long) i * (n - 1) / (r - 1));
    }
    double[] error = new double[n];
    Interpolant a = null;
    double maxError = Double.NaN;
    for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
      a = Interpolant.through(ext, x, desired, w);
      maxError = 0;
      for (int i = 0; i < n; i++) {
        error[i] = w[i] * (desired[i] - a.at(x[i]));
        maxError = Math.max(maxError, Math.abs(error[i]));
      }
      int[] next = extremes(error, grid, pass, r);
      if (next == null) {
        return null;
      }
      boolean same = java.util.Arrays.equals(next, ext);
      ext = next;
      if (same || (maxError - Math.abs(a.delta)) <= 1e-7 * maxError) {
        break;
      }
    }
    if (!(maxError <= 1.01 * Math.abs(a.delta))) {
      return null; // the exchange did not settle: the error is not yet spread evenly
    }
    // The deviations reported are the largest weighted error on the grid, not the exchange's delta.
    return new Design(impulseResponse(a, m), maxError, maxError / weight);
  }

  /** The dense grid over both bands, both edges of each band included. */
  private static double[] grid(int m, double pass, double stop) {
    double step = 0.5 / (GRID_DENSITY * (m + 1));
    int inPass = Math.max(2, (int) Math.ceil(pass / step) + 1);
    int inStop = Math.max(2, (int) Math.ceil((0.5 - stop) / step) + 1);
    double[] g = new double[inPass + inStop];
    for (int i = 0; i < inPass; i++) {
      g[i] = pass * i / (inPass - 1);
    }
    for (int i = 0; i < inStop; i++) {
      g[inPass + i] = stop + (0.5 - stop) * i / (inStop - 1);
    }
    return g;
  }

  /**
   * The next extremal set: the local extremes of the weighted error (band edges included),
   * alternating in sign, trimmed from the ends to {@code r}; null if fewer than {@code r}.
   */
  private static int[] extremes(double[] e, double[] grid, double pass, int r) {
    int n = e.length;
    int[] found = new int[n];
    int count = 0;
    for (int i = 0; i < n; i++) {
      boolean leftEdge = i == 0 || (grid[i - 1] <= pass && grid[i] > pass);
      boolean rightEdge = i == n - 1 || (grid[i] <= pass && grid[i + 1] > pass);
      double left = leftEdge ? Double.NaN : e[i - 1];
      double right = rightEdge ? Double.NaN : e[i + 1];
      boolean isMax = e[i] > 0 && !(left > e[i]) && !(right >= e[i]);
      boolean isMin = e[i] < 0 && !(left < e[i]) && !(right <= e[i]);
      if (!isMax && !isMin) {
        continue;
      }
      if (count > 0 && Math.signum(e[found[count - 1]]) == Math.signum(e[i])) {
        if (Math.abs(e[i]) > Math.abs(e[found[count - 1]])) {
          found[count - 1] = i; // same sign twice: keep the larger
        }
        continue;
      }
      found[count++] = i;
    }
    if (count < r) {
      return null;
    }
    int first = 0;
    int last = count - 1;
    while (last - first + 1 > r) {
      if (Math.abs(e[found[first]]) < Math.abs(e[found[last]])) {
        first++;
      } else {
        last--;
      }
    }
    return java.util.Arrays.copyOfRange(found, first, first + r);
  }

  /** Taps {@code h[0..2m]} from the response sampled at {@code 2 pi k / (2m + 1)}. */
  private static double[] impulseResponse(Interpolant a, int m) {
    int length = 2 * m + 1;
    double[] samples = new double[m + 1];
    for (int k = 0; k <= m; k++) {
      samples[k] = a.at(Math.cos(2 * Math.PI * k / length));
    }
    double[] h = new double[length];
    for (int i = 0; i <= m; i++) {
      double sum = samples[0];
      for (int k = 1; k <= m; k++) {
        sum += 2 * samples[k] * Math.cos(2 * Math.PI * k * (i - m) / length);
      }
      h[i] = sum / length;
      h[length - 1 - i] = h[i];
    }
    return h;
  }

  /** The degree-m polynomial in {@code x} that alternates by {@code delta} on the extremal set. */
  private static final class Interpolant {
    final double delta;
    final double[] xs;
    final double[] values;
    final double[] weights;

    private Interpolant(double delta, double[] xs, double[] values, double[] weights) {
      this.delta = delta;
      this.xs = xs;
      this.values = values;
      this.weights = weights;
    }

    static Interpolant through(int[] ext, double[] x, double[] desired, double[] w) {
      int r = ext.length;
      double[] xe = new double[r];
      for (int i = 0; i < r; i++) {
        xe[i] = x[ext[i]];
      }
      double[] all = barycentric(xe, r);
      double num = 0;
      double den = 0;
      for (int i = 0; i < r; i++) {
        num += all[i] * desired[ext[i]];
        den += all[i] * ((i & 1) == 0 ? 1 : -1) / w[ext[i]];
      }
      double delta = num / den;
      int p = r - 1; // interpolate through the first r - 1 points; the last then holds too
      double[] xs = java.util.Arrays.copyOf(xe, p);
      double[] values = new double[p];
      for (int i = 0; i < p; i++) {
        values[i] = desired[ext[i]] - ((i & 1) == 0 ? 1 : -1) * delta / w[ext[i]];
      }
      return new Interpolant(delta, xs, values, barycentric(xs, p));
    }

    /** Barycentric weights {@code 1 / prod_(j != i) (x_i - x_j)}, scaled by a common factor. */
    private static double[] barycentric(double[] xs, int count) {
      double[] logs = new double[count];
      double[] signs = new double[count];
      double top = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < count; i++) {
        double log = 0;
        int negatives = 0;
        for (int j = 0; j < count; j++) {
          if (j != i) {
            double d = xs[i] - xs[j];
            log -= Math.log(Math.abs(d));
            if (d < 0) {
              negatives++;
            }
          }
        }
        logs[i] = log;
        signs[i] = (negatives & 1) == 0 ? 1 : -1;
        top = Math.max(top, log);
      }
      double[] b = new double[count];
      for (int i = 0; i < count; i++) {
        b[i] = signs[i] * Math.exp(logs[i] - top);
      }
      return b;
    }

    double at(double x) {
      double num = 0;
      double den = 0;
      for (int i = 0; i < xs.length; i++) {
        double d = x - xs[i];
        if (d == 0) {
          return values[i];
        }
        double t = weights[i] / d;
        num += t * values[i];
        den += t;
      }
      return num / den;
    }
  }
}
