package dev.geminilive.audio.internal;

/**
 * The arithmetic passes of {@link HornerKernel}: each adds a few terms of the Horner sums into an
 * accumulator, with one loop over {@code [i]} whose every array is indexed alike, the shape C2
 * turns into SIMD instructions. Four streams into one accumulator (decimating filters), or three
 * streams into the accumulators of two phases at once (the integer up-samplers, {@link
 * HornerKernel#runPhases}). The {@code set} forms start an accumulator, the {@code add} forms go on
 * with it.
 *
 * <p>Stateless; thread-safe.
 */
final class HornerPasses {
  private HornerPasses() {}

  /** Four terms of a sum: {@code a[i] += coef[k + j] * yj[i]} for {@code j} from 0 to 3. */
  static void add4(
      float[] a, int n, float[] coef, int k, float[] y0, float[] y1, float[] y2, float[] y3) {
    float c0 = coef[k];
    float c1 = coef[k + 1];
    float c2 = coef[k + 2];
    float c3 = coef[k + 3];
    for (int i = 0; i < n; i++) {
      a[i] = a[i] + c0 * y0[i] + c1 * y1[i] + c2 * y2[i] + c3 * y3[i];
    }
  }

  /** Like {@link #add4} into an accumulator whose earlier contents are ignored (read as zeros). */
  static void set4(
      float[] a, int n, float[] coef, int k, float[] y0, float[] y1, float[] y2, float[] y3) {
    float c0 = coef[k];
    float c1 = coef[k + 1];
    float c2 = coef[k + 2];
    float c3 = coef[k + 3];
    for (int i = 0; i < n; i++) {
      a[i] = 0f + c0 * y0[i] + c1 * y1[i] + c2 * y2[i] + c3 * y3[i];
    }
  }

  /**
   * Three terms of two phases' sums over the same three streams, each stream loaded once. A sum is
   * formed left to right whatever the width of a pass, so it equals {@link #add4}'s.
   */
  static void add3x2(
      float[] a,
      float[] b,
      int n,
      float[] coefA,
      float[] coefB,
      int k,
      float[] y0,
      float[] y1,
      float[] y2) {
    float a0 = coefA[k];
    float a1 = coefA[k + 1];
    float a2 = coefA[k + 2];
    float b0 = coefB[k];
    float b1 = coefB[k + 1];
    float b2 = coefB[k + 2];
    for (int i = 0; i < n; i++) {
      float v0 = y0[i];
      float v1 = y1[i];
      float v2 = y2[i];
      a[i] = a[i] + a0 * v0 + a1 * v1 + a2 * v2;
      b[i] = b[i] + b0 * v0 + b1 * v1 + b2 * v2;
    }
  }

  /**
   * Like {@link #add3x2} into accumulators whose earlier contents are ignored (read as zeros). Kept
   * apart from it, as {@link #set4} is from {@link #add4}: a loop with no branch in it is what C2
   * vectorises, and the first pass saves a fill and a read of each accumulator.
   */
  static void set3x2(
      float[] a,
      float[] b,
      int n,
      float[] coefA,
      float[] coefB,
      int k,
      float[] y0,
      float[] y1,
      float[] y2) {
    float a0 = coefA[k];
    float a1 = coefA[k + 1];
    float a2 = coefA[k + 2];
    float b0 = coefB[k];
    float b1 = coefB[k + 1];
    float b2 = coefB[k + 2];
    for (int i = 0; i < n; i++) {
      float v0 = y0[i];
      float v1 = y1[i];
      float v2 = y2[i];
      a[i] = 0f + a0 * v0 + a1 * v1 + a2 * v2;
      b[i] = 0f + b0 * v0 + b1 * v1 + b2 * v2;
    }
  }
}
