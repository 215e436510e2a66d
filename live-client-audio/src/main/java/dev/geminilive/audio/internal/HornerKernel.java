package dev.geminilive.audio.internal;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

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
 * loop reads and writes at {@code [i]} only, four streams per pass ({@link HornerPasses}). Each
 * output's sum is formed in the same order whatever the block length, so streaming output equals
 * one-shot output exactly.
 *
 * <p>Without decimation ({@code down == 1}, the integer up-samplers such as 8 kHz to 16 kHz) every
 * phase of one input window reads the same streams, so {@link #runPhases} splits the window once
 * and evaluates two phases per pass over three streams: each stream is loaded once for six products
 * instead of four, and a chunk takes fewer loops. Within a step a sum's terms are added left to
 * right whatever the width of the pass, so a phase gives the same sums paired or alone.
 *
 * <p>Not thread-safe: holds the work buffers of one resampler.
 */
public final class HornerKernel {

  /** Streams per arithmetic pass for a decimating filter (the longest loop body written out). */
  private static final int PASS = 4;

  /**
   * Streams per pass without decimation, where a pass feeds two phases: three streams and two
   * accumulators is the longest such loop HotSpot 17 still unrolls and vectorises.
   */
  private static final int PAIRED_PASS = 3;

  /**
   * Streams of a filter without decimation: a multiple of {@value #PAIRED_PASS} and of {@value
   * #PASS} (a phase without a partner, the last of an odd number, runs four-stream passes), nine
   * steps for the 104 taps per phase of 8 kHz to 16 kHz. Measured on that ratio in 20 ms chunks,
   * alternating with the former path (8 streams, four-stream passes, one split per phase): about 15
   * % less CPU; 6 and 18 streams were slower than 12.
   */
  static final int UNDECIMATED_STREAMS = 12;

  private final int down;
  private final int group;
  private final int streams;
  private final int steps;
  private final int maxOutputs;
  // Work buffers, sized for the longest run seen so far (a 20 ms chunk needs a few hundred).
  private float[][] y;
  private float[] acc;
  private float[] acc2; // the second phase of a pair (down == 1)

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
    this.acc2 = new float[0];
  }

  /**
   * Shifted copies per input stream for a decimation factor: the fewest that make the streams a
   * multiple of {@value #PASS} (every arithmetic pass a full one) and at least two passes per step
   * (fewer steps, so fewer accumulator shifts). Loops with more than four streams would not be
   * unrolled by HotSpot, and a loop that is not unrolled is not vectorised. Measured on the
   * service's ratios; see benchmarks/REPORT.md. Without decimation, {@value #UNDECIMATED_STREAMS}.
   */
  static int groupFor(int down) {
    if (down == 1) {
      return UNDECIMATED_STREAMS;
    }
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
    for (int q = 0, o = offset; q < count; q++, o += stride) {
      out[o] = pcm16(a[q]);
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

  /**
   * For a filter without decimation ({@code down == 1}): computes {@code count} consecutive windows
   * of every phase from one split of the input. Phase {@code p} of window {@code q} reads the same
   * input as phase 0 of that window (window {@code q} starts at {@code x[start + q]} for all of
   * them) and is output {@code first + p + q * phases}; only outputs in {@code [from, to)} are
   * stored, in {@code pcm} rounded and clipped, or else in {@code floats} times {@code scale}. Each
   * is the same sum, formed in the same order, as {@link #run} forms it.
   *
   * @param x the input samples
   * @param available samples of {@code x} that are valid; later indices read as zero
   * @param start index in {@code x} of the oldest sample of the first window
   * @param count windows to compute, at most {@link #maxOutputs()}
   * @param filter the filter, whose {@link PolyphaseFilter#down()} is 1
   * @param pcm where PCM16 samples go, or null for {@code floats}
   * @param floats where float samples go when {@code pcm} is null
   * @param scale factor applied to every float sum
   * @param first index of phase 0 of the first window; may be negative
   * @param from the first index to store
   * @param to the index after the last to store
   */
  public void runPhases(
      float[] x,
      int available,
      int start,
      int count,
      PolyphaseFilter filter,
      short @Nullable [] pcm,
      float @Nullable [] floats,
      float scale,
      int first,
      int from,
      int to) {
    if (filter.down() != 1 || down != 1 || filter.steps() != steps) {
      throw new IllegalArgumentException(
          "runPhases needs this kernel's filter, without decimation");
    }
    int phases = filter.up();
    if (count <= 0) {
      return;
    }
    prepare(count);
    gather(x, available, start, count);
    for (int p = 0; p < phases; p += 2) {
      phaseSums(filter, p, count, first, from, to);
      for (int r = 0; r < 2 && p + r < phases; r++) {
        float[] sums = r == 0 ? acc : acc2;
        int offset = first + p + r;
        int q = firstWindow(offset, phases, from);
        int end = lastWindow(offset, phases, count, to);
        if (pcm != null) {
          for (int o = offset + q * phases; q < end; q++, o += phases) {
            pcm[o] = pcm16(sums[q]);
          }
        } else {
          float[] out = Objects.requireNonNull(floats);
          for (int o = offset + q * phases; q < end; q++, o += phases) {
            out[o] = sums[q] * scale;
          }
        }
      }
    }
  }

  /**
   * The sums of phases {@code p} and {@code p + 1} (if there is one) over the streams last
   * gathered, into {@code acc} and {@code acc2}: both in one pass when both have outputs to store,
   * else the one that has; a phase with nothing to store is left out (its array holds stale data).
   */
  private void phaseSums(PolyphaseFilter filter, int p, int count, int first, int from, int to) {
    int phases = filter.up();
    boolean left = hasOutputs(first + p, phases, count, from, to);
    boolean right = p + 1 < phases && hasOutputs(first + p + 1, phases, count, from, to);
    if (left && right) {
      horner2(filter.phase(p), filter.phase(p + 1), count);
    } else if (left) {
      horner(filter.phase(p), count, acc);
    } else if (right) {
      horner(filter.phase(p + 1), count, acc2);
    }
  }

  private static boolean hasOutputs(int offset, int phases, int count, int from, int to) {
    return firstWindow(offset, phases, from) < lastWindow(offset, phases, count, to);
  }

  /** The first window whose output {@code offset + q * phases} is at or after {@code from}. */
  private static int firstWindow(int offset, int phases, int from) {
    return offset >= from ? 0 : (from - offset + phases - 1) / phases;
  }

  /** The window after the last whose output is before {@code to}, at most {@code count}. */
  private static int lastWindow(int offset, int phases, int count, int to) {
    return to <= offset ? 0 : Math.min(count, (to - offset + phases - 1) / phases);
  }

  // floor(v + 0.5) in double is exact for a float v and equals Math.round(v), which HotSpot 17
  // does not intrinsify (it is a dozen integer operations); floor compiles to one instruction.
  private static short pcm16(float v) {
    int r = (int) Math.floor(v + 0.5);
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
  }

  /** Evaluates the Horner form; returns the accumulator, whose first {@code count} are outputs. */
  private float[] compute(float[] x, int available, int start, int count, float[] coef) {
    prepare(count);
    gather(x, available, start, count);
    return horner(coef, count, acc);
  }

  /** Checks a run's length and sizes the work buffers for it. */
  private void prepare(int count) {
    if (count > maxOutputs) {
      throw new IllegalArgumentException("run of " + count + " > " + maxOutputs);
    }
    int needed = count + group * steps;
    if (acc.length < needed) {
      int length = Math.max(needed, Math.min(maxOutputs + group * steps, 2 * acc.length));
      y = new float[streams][length];
      acc = new float[length];
      acc2 = down == 1 ? new float[length] : acc2;
    }
  }

  /**
   * The Horner form over the streams last gathered, for one phase's coefficients, into {@code a}.
   */
  private float[] horner(float[] coef, int count, float[] a) {
    for (int step = steps - 1; step >= 0; step--) {
      int length = count + group * step;
      int base = streams * step;
      int s = 0;
      if (step == steps - 1) {
        // The first pass starts the sums (0 + ..., as if it added to zeros) instead of a fill.
        HornerPasses.set4(a, length, coef, base, y[0], y[1], y[2], y[3]);
        s = PASS;
      } else {
        System.arraycopy(a, group, a, 0, length);
      }
      for (; s < streams; s += PASS) {
        HornerPasses.add4(a, length, coef, base + s, y[s], y[s + 1], y[s + 2], y[s + 3]);
      }
    }
    return a;
  }

  /**
   * Two phases of a filter without decimation at once, into {@code acc} and {@code acc2}: each sum
   * formed exactly as {@link #horner} forms it alone (the same steps, and within a step the same
   * terms added left to right).
   */
  private void horner2(float[] coefA, float[] coefB, int count) {
    float[] a = acc;
    float[] b = acc2;
    for (int step = steps - 1; step >= 0; step--) {
      int length = count + group * step;
      int base = streams * step;
      int s = 0;
      if (step == steps - 1) {
        HornerPasses.set3x2(a, b, length, coefA, coefB, base, y[0], y[1], y[2]);
        s = PAIRED_PASS;
      } else {
        System.arraycopy(a, group, a, 0, length);
        System.arraycopy(b, group, b, 0, length);
      }
      for (; s < streams; s += PAIRED_PASS) {
        HornerPasses.add3x2(a, b, length, coefA, coefB, base + s, y[s], y[s + 1], y[s + 2]);
      }
    }
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
}
