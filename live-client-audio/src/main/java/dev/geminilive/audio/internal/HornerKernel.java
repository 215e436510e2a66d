package dev.geminilive.audio.internal;

/**
 * The inner loop of the resampler for ratios with few phases: computes a run of output samples that
 * share one filter phase, {@code out[q] = sum_k coef[k] * x[start + down * q + k]}, with loops the
 * JIT turns into SIMD instructions.
 *
 * <p>Why it is shaped this way: HotSpot (17 and later) vectorises a loop only when every array in
 * it is indexed by the same expression; {@code x[j + offset]} beside {@code y[j]} stays scalar, and
 * floating-point dot products are not vectorised at all. So the input window is first split into
 * {@code down * group} contiguous streams, {@code y[p + down * u][i] = x[start + p + down * (u +
 * i)]} (one strided gather per residue {@code p}, then {@code arraycopy}s for the shifts {@code
 * u}), and the sum is evaluated in Horner form over blocks of {@code group} window offsets:
 *
 * <pre>
 *   acc_a[i] = sum_s coef[S * a + s] * y[s][i] + acc_(a+1)[i + group]     (S = down * group)
 *   out[q]   = acc_0[q]
 * </pre>
 *
 * The shift by {@code group} is one overlapping {@code arraycopy} per step, so every arithmetic
 * loop reads and writes at {@code [i]} only, four streams per pass. Each output's sum is formed in
 * the same order whatever the block length, so streaming output equals one-shot output exactly.
 *
 * <p>Not thread-safe: holds the work buffers of one resampler.
 */
public final class HornerKernel {

  /** Streams per arithmetic pass (the longest loop body written out below). */
  private static final int PASS = 4;

  private final int down;
  private final int group;
  private final int streams;
  private final int steps;
  private final int maxOutputs;
  // Work buffers, sized for the longest run seen so far (a 20 ms chunk needs a few hundred).
  private float[][] y;
  private float[] acc;

  /**
   * Creates a kernel for runs of up to {@code maxOutputs} samples of {@code filter}; its work
   * buffers grow with the runs asked for.
   *
   * @param filter the filter whose phases will be passed to {@link #run}
   * @param maxOutputs the longest run {@link #run} will be asked for
   */
  public HornerKernel(PolyphaseFilter filter, int maxOutputs) {
    this.down = filter.down();
    this.group = filter.group();
    this.streams = down * group;
    this.steps = filter.steps();
    this.maxOutputs = maxOutputs;
    this.y = new float[streams][0];
    this.acc = new float[0];
  }

  /**
   * Shifted copies per input stream for a decimation factor: the fewest that make the streams a
   * multiple of {@value #PASS} (every arithmetic pass a full one) and at least two passes per step
   * (fewer steps, so fewer accumulator shifts). Loops with more than four streams would not be
   * unrolled by HotSpot, and a loop that is not unrolled is not vectorised. Measured on the
   * service's ratios; see benchmarks/REPORT.md.
   */
  static int groupFor(int down) {
    int group = PASS / gcd(down, PASS);
    while (down * group < 2 * PASS) {
      group *= 2;
    }
    return group;
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  /** The longest run accepted by {@link #run}. */
  public int maxOutputs() {
    return maxOutputs;
  }

  /**
   * Computes {@code count} outputs of one phase and stores them, rounded and clipped to PCM16, at
   * {@code out[offset + q * stride]}.
   *
   * @param x the input samples
   * @param available samples of {@code x} that are valid; later indices read as zero
   * @param start index in {@code x} of the oldest sample of the first output's window
   * @param count outputs to compute, at most {@link #maxOutputs()}
   * @param coef the phase's coefficients, {@link PolyphaseFilter#phase}
   * @param out where the samples go
   * @param offset index in {@code out} of the first output
   * @param stride distance in {@code out} between consecutive outputs of this phase
   */
  public void run(
      float[] x,
      int available,
      int start,
      int count,
      float[] coef,
      short[] out,
      int offset,
      int stride) {
    if (count <= 0) {
      return;
    }
    float[] a = compute(x, available, start, count, coef);
    // floor(v + 0.5) in double is exact for a float v and equals Math.round(v), which HotSpot 17
    // does not intrinsify (it is a dozen integer operations); floor compiles to one instruction.
    for (int q = 0, o = offset; q < count; q++, o += stride) {
      int v = (int) Math.floor(a[q] + 0.5);
      out[o] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
    }
  }

  /**
   * Like the PCM16 {@code run}, storing the exact sums times {@code scale}, without rounding or
   * clipping.
   *
   * @param x the input samples
   * @param available samples of {@code x} that are valid; later indices read as zero
   * @param start index in {@code x} of the oldest sample of the first output's window
   * @param count outputs to compute, at most {@link #maxOutputs()}
   * @param coef the phase's coefficients, {@link PolyphaseFilter#phase}
   * @param out where the samples go
   * @param scale factor applied to every sum
   * @param offset index in {@code out} of the first output
   * @param stride distance in {@code out} between consecutive outputs of this phase
   */
  public void run(
      float[] x,
      int available,
      int start,
      int count,
      float[] coef,
      float[] out,
      float scale,
      int offset,
      int stride) {
    if (count <= 0) {
      return;
    }
    float[] a = compute(x, available, start, count, coef);
    for (int q = 0, o = offset; q < count; q++, o += stride) {
      out[o] = a[q] * scale;
    }
  }

  /** Evaluates the Horner form; returns the accumulator, whose first {@code count} are outputs. */
  private float[] compute(float[] x, int available, int start, int count, float[] coef) {
    if (count > maxOutputs) {
      throw new IllegalArgumentException("run of " + count + " > " + maxOutputs);
    }
    int needed = count + group * steps;
    if (acc.length < needed) {
      int length = Math.max(needed, Math.min(maxOutputs + group * steps, 2 * acc.length));
      y = new float[streams][length];
      acc = new float[length];
    }
    gather(x, available, start, count);
    float[] a = acc;
    for (int step = steps - 1; step >= 0; step--) {
      int length = count + group * step;
      int base = streams * step;
      int s = 0;
      if (step == steps - 1) {
        java.util.Arrays.fill(a, 0, length, 0f);
      } else {
        System.arraycopy(a, group, a, 0, length);
      }
      for (; s + PASS <= streams; s += PASS) {
        add4(a, length, coef, base + s, y[s], y[s + 1], y[s + 2], y[s + 3]);
      }
      switch (streams - s) {
        case 3 -> add3(a, length, coef, base + s, y[s], y[s + 1], y[s + 2]);
        case 2 -> add2(a, length, coef, base + s, y[s], y[s + 1]);
        case 1 -> add1(a, length, coef, base + s, y[s]);
        default -> {}
      }
    }
    return a;
  }

  /**
   * Splits the window into the streams {@code y[p + down * u][i] = x[start + p + down * (u + i)]}.
   */
  private void gather(float[] x, int available, int start, int count) {
    int length = count + group * steps - 1; // the u = 0 stream feeds its shifts
    for (int p = 0; p < down; p++) {
      float[] dst = y[p];
      int first = start + p;
      // Indices below `available` are copied, the rest of the window reads as zero.
      int valid = first >= available ? 0 : Math.min(length, (available - first + down - 1) / down);
      if (down == 1) {
        System.arraycopy(x, first, dst, 0, valid);
      } else {
        for (int i = 0, j = first; i < valid; i++, j += down) {
          dst[i] = x[j];
        }
      }
      java.util.Arrays.fill(dst, valid, length, 0f);
      for (int u = 1; u < group; u++) {
        System.arraycopy(dst, u, y[p + down * u], 0, length - u);
      }
    }
  }

  private static void add4(
      float[] a, int n, float[] coef, int k, float[] y0, float[] y1, float[] y2, float[] y3) {
    float c0 = coef[k];
    float c1 = coef[k + 1];
    float c2 = coef[k + 2];
    float c3 = coef[k + 3];
    for (int i = 0; i < n; i++) {
      a[i] = a[i] + c0 * y0[i] + c1 * y1[i] + c2 * y2[i] + c3 * y3[i];
    }
  }

  private static void add3(
      float[] a, int n, float[] coef, int k, float[] y0, float[] y1, float[] y2) {
    float c0 = coef[k];
    float c1 = coef[k + 1];
    float c2 = coef[k + 2];
    for (int i = 0; i < n; i++) {
      a[i] = a[i] + c0 * y0[i] + c1 * y1[i] + c2 * y2[i];
    }
  }

  private static void add2(float[] a, int n, float[] coef, int k, float[] y0, float[] y1) {
    float c0 = coef[k];
    float c1 = coef[k + 1];
    for (int i = 0; i < n; i++) {
      a[i] = a[i] + c0 * y0[i] + c1 * y1[i];
    }
  }

  private static void add1(float[] a, int n, float[] coef, int k, float[] y0) {
    float c0 = coef[k];
    for (int i = 0; i < n; i++) {
      a[i] = a[i] + c0 * y0[i];
    }
  }
}
