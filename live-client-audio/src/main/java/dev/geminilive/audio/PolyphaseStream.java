package dev.geminilive.audio;

import dev.geminilive.audio.internal.HornerKernel;
import dev.geminilive.audio.internal.PolyphaseFilter;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The running state of one {@link Resampler} stream between two rates: the input history the filter
 * still needs, the position of the next output, and the three ways of computing outputs from that
 * history (the vectorised block and window paths of {@link HornerKernel}, and a scalar path for
 * ratios with many phases). {@link Resampler} is the public face: formats, equal rates, the
 * stream's start and end.
 *
 * <p>Not thread-safe: owned by its resampler's calling thread.
 */
final class PolyphaseStream {
  /** From the PCM16 scale the filter runs in to the float scale of {@link Pcm16#toFloats}. */
  private static final float TO_FLOAT = 1f / Pcm16.FLOAT_SCALE;

  /** Outputs per phase in one kernel run: long enough to amortise a run, short enough for L1. */
  private static final int RUN_LENGTH = 512;

  private final PolyphaseFilter filter;
  private final @Nullable HornerKernel kernel;
  private final int up;
  private final int down;
  private final int taps;
  private final long delay;

  // buffer[0] holds input sample number bufferStart; samples before the stream began are zeros,
  // so bufferStart starts at -(taps - 1).
  private float[] buffer;
  private int bufferLength;
  private long bufferStart;
  private long received;
  private long nextOutput;

  /** A stream through {@code filter}; ratios of up to {@code maxBlockPhases} phases vectorise. */
  PolyphaseStream(PolyphaseFilter filter, int maxBlockPhases) {
    this.filter = filter;
    this.up = filter.up();
    this.down = filter.down();
    this.taps = filter.taps();
    this.delay = filter.delay();
    this.kernel = up <= maxBlockPhases ? new HornerKernel(filter, RUN_LENGTH) : null;
    this.buffer = new float[Math.max(1024, 2 * taps)];
    resetState();
  }

  int up() {
    return up;
  }

  int down() {
    return down;
  }

  int taps() {
    return taps;
  }

  /** The filter's delay, in samples at the up-sampled rate. */
  long delay() {
    return delay;
  }

  /** Takes in PCM16 samples; returns the outputs now complete. */
  short[] process(short[] samples) {
    ensureCapacity(samples.length);
    float[] buf = buffer;
    int at = bufferLength;
    for (short s : samples) {
      buf[at++] = s;
    }
    bufferLength = at;
    received += samples.length;
    return produce(completedOutputs());
  }

  /** Takes in PCM16LE bytes (an even count); returns the outputs now complete. */
  short[] process(byte[] pcm) {
    int n = pcm.length / 2;
    ensureCapacity(n);
    float[] buf = buffer;
    int at = bufferLength;
    for (int j = 0; j < pcm.length; j += 2) {
      buf[at++] = (short) ((pcm[j] & 0xFF) | (pcm[j + 1] << 8));
    }
    bufferLength = at;
    received += n;
    return produce(completedOutputs());
  }

  /** Takes in samples in the float scale; returns the outputs now complete, in that scale. */
  float[] process(float[] samples) {
    ensureCapacity(samples.length);
    float[] buf = buffer;
    int at = bufferLength;
    for (float v : samples) {
      buf[at++] = Float.isFinite(v) ? v * Pcm16.FLOAT_SCALE : 0f;
    }
    bufferLength = at;
    received += samples.length;
    return produceFloats(completedOutputs());
  }

  /** Ends the stream: returns the remaining outputs, then starts a new stream. */
  short[] flush() {
    short[] out = produce(padForFlush());
    resetState();
    return out;
  }

  /** Like {@link #flush()}, in the float scale. */
  float[] flushFloats() {
    float[] out = produceFloats(padForFlush());
    resetState();
    return out;
  }

  /** Drops the history and position without producing output. */
  void reset() {
    resetState();
  }

  /** Appends zeros so every remaining output has its full window; returns the end of the output. */
  private long padForFlush() {
    int pad = (int) (delay / up) + taps + 1;
    ensureCapacity(pad);
    Arrays.fill(buffer, bufferLength, bufferLength + pad, 0f);
    bufferLength += pad;
    return ceilDiv(received * up, down);
  }

  private void resetState() {
    Arrays.fill(buffer, 0, taps - 1, 0f);
    bufferLength = taps - 1;
    bufferStart = -(taps - 1);
    received = 0;
    nextOutput = 0;
  }

  /** Outputs whose whole window (up to the filter's delay ahead) has arrived. */
  private long completedOutputs() {
    long numerator = received * up - delay;
    return numerator <= 0 ? 0 : ceilDiv(numerator, down);
  }

  private void ensureCapacity(int extra) {
    if (bufferLength + extra > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, bufferLength + extra));
    }
  }

  /** Computes outputs up to (exclusive) {@code end} as PCM16. */
  private short[] produce(long end) {
    short[] out = new short[(int) Math.max(0, end - nextOutput)];
    emit(out, null);
    return out;
  }

  /** Computes outputs up to (exclusive) {@code end} in the float scale. */
  private float[] produceFloats(long end) {
    float[] out = new float[(int) Math.max(0, end - nextOutput)];
    emit(null, out);
    return out;
  }

  /** Fills one of the arrays with the next outputs, then drops history no longer needed. */
  private void emit(short @Nullable [] pcm, float @Nullable [] floats) {
    PolyphaseFilter f = filter;
    int count = pcm != null ? pcm.length : Objects.requireNonNull(floats).length;
    if (kernel != null && down == 1) {
      emitWindows(f, kernel, count, pcm, floats);
    } else if (kernel != null) {
      emitBlocks(f, kernel, count, pcm, floats);
    } else {
      emitEach(f, count, pcm, floats);
    }
    long oldestNeeded = Math.floorDiv(nextOutput * down + delay, (long) up) - (taps - 1);
    int drop = (int) Math.min(Math.max(0, oldestNeeded - bufferStart), bufferLength);
    if (drop > 0) {
      System.arraycopy(buffer, drop, buffer, 0, bufferLength - drop);
      bufferLength -= drop;
      bufferStart += drop;
    }
  }

  /**
   * The vectorised path: outputs {@code n, n + L, n + 2L, ...} share one phase and step through the
   * input by {@code M}, so each block is {@code L} kernel runs, one per phase.
   */
  private void emitBlocks(
      PolyphaseFilter f,
      HornerKernel k,
      int count,
      short @Nullable [] pcm,
      float @Nullable [] floats) {
    int block = k.maxOutputs() * up;
    for (int pos = 0; pos < count; ) {
      int length = Math.min(count - pos, block);
      for (int r = 0; r < up && r < length; r++) {
        long t = (nextOutput + r) * down + delay;
        long base = Math.floorDiv(t, (long) up);
        float[] coef = f.phase((int) (t - base * up));
        int start = (int) (base - (taps - 1) - bufferStart);
        int runLength = (length - r + up - 1) / up;
        if (pcm != null) {
          k.run(buffer, bufferLength, start, runLength, coef, pcm, pos + r, up);
        } else {
          k.run(
              buffer,
              bufferLength,
              start,
              runLength,
              coef,
              Objects.requireNonNull(floats),
              TO_FLOAT,
              pos + r,
              up);
        }
      }
      nextOutput += length;
      pos += length;
    }
  }

  /**
   * The vectorised path without decimation ({@code M = 1}, e.g. 8 kHz to 16 kHz): the {@code L}
   * consecutive outputs of one input window are its {@code L} phases, so the window's input is
   * split into the kernel's streams once for all of them (the block path would split it once per
   * phase). Each output is computed exactly as the block path computes it.
   */
  private void emitWindows(
      PolyphaseFilter f,
      HornerKernel k,
      int count,
      short @Nullable [] pcm,
      float @Nullable [] floats) {
    // Output n is phase (n + delay) mod L of the window whose newest input is (n + delay) / L.
    long window = Math.floorDiv(nextOutput + delay, (long) up);
    long lastWindow = Math.floorDiv(nextOutput + count - 1 + delay, (long) up);
    while (count > 0 && window <= lastWindow) {
      int runs = (int) Math.min(k.maxOutputs(), lastWindow - window + 1);
      int start = (int) (window - (taps - 1) - bufferStart);
      int first = (int) (window * up - delay - nextOutput);
      k.runPhases(buffer, bufferLength, start, runs, f, pcm, floats, TO_FLOAT, first, 0, count);
      window += runs;
    }
    nextOutput += count;
  }

  /** The scalar path for ratios with many phases: one dot product per output. */
  private void emitEach(
      PolyphaseFilter f, int count, short @Nullable [] pcm, float @Nullable [] floats) {
    float[] buf = buffer;
    for (int i = 0; i < count; i++) {
      long t = nextOutput * down + delay;
      long base = Math.floorDiv(t, (long) up);
      float[] h = f.phase((int) (t - base * up));
      int start = (int) (base - (taps - 1) - bufferStart);
      double a0 = 0;
      double a1 = 0;
      int k = 0;
      for (; k + 1 < taps; k += 2) {
        a0 += h[k] * buf[start + k];
        a1 += h[k + 1] * buf[start + k + 1];
      }
      if (k < taps) {
        a0 += h[k] * buf[start + k];
      }
      if (pcm != null) {
        pcm[i] = Pcm16.clip(a0 + a1);
      } else {
        Objects.requireNonNull(floats)[i] = (float) ((a0 + a1) / Pcm16.FLOAT_SCALE);
      }
      nextOutput++;
    }
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
