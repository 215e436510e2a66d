package dev.geminilive.audio;

import dev.geminilive.audio.internal.HornerKernel;
import dev.geminilive.audio.internal.PolyphaseFilter;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A streaming, band-limited sample-rate converter for mono PCM16 (rational ratio, polyphase
 * windowed-sinc).
 *
 * <p>Audio is fed chunk by chunk with {@link #process(short[])}; the filter history is kept between
 * calls, so the output of many small chunks is identical to the output of one large chunk (no
 * clicks or discontinuities at chunk borders). {@link #flush()} ends the stream: it returns the
 * tail still held in the filter and resets the instance for a new stream. The output is
 * time-aligned with the input (the filter's group delay is compensated): after {@code flush()} the
 * total output of {@code n} input samples is {@code ceil(n * toHz / fromHz)} samples.
 *
 * <p>Design: the ratio {@code toHz / fromHz} is reduced to {@code L / M}; one low-pass prototype
 * ({@value #STOPBAND_ATTENUATION_DB} dB stop band) is designed at {@code L * fromHz} with its pass
 * band ending at {@value #PASSBAND_FRACTION} of the lower of the two Nyquist frequencies and its
 * stop band starting at that Nyquist frequency, and split into {@code L} phases. For the ratios of
 * up to eight phases the prototype is equiripple (Parks–McClellan), which meets that specification
 * with about a fifth fewer taps than a window design; other ratios use a Kaiser window. So tones up
 * to 0.9 × the lower Nyquist pass flat (ripple well under 0.01 dB), and everything that would alias
 * (or image) is attenuated by at least 90 dB. Latency is half the filter length: about 3 ms for 48
 * kHz → 16 kHz, 6.5 ms for 8 kHz → 16 kHz (see {@link #latency()}). Equal rates pass samples
 * through unchanged. A ratio's filter is designed on first use, on the calling thread (up to about
 * 0.1 s of CPU for an equiripple one; ratios with the same normalised band edges, such as 48 kHz →
 * 16 kHz and 24 kHz → 8 kHz, share it), and kept from then on.
 *
 * <p>Cost: samples are filtered in single precision, whole chunks at a time; for ratios of up to
 * eight phases (all the rates the service and telephony use: 8, 16, 24, 32, 48 kHz) the loops run
 * on the processor's vector units, a few microseconds per 20 ms chunk. The filter tables are shared
 * by all resamplers of the same rates; a resampler holds its input history and work buffers (about
 * 30 KiB for 48 kHz → 16 kHz with 20 ms chunks). Other ratios (44.1 kHz ↔ 16 kHz, say) take a
 * slower scalar path with the same filter.
 *
 * <p>Samples come and go as PCM16 ({@code short[]}, or little-endian {@code byte[]}) or as floats
 * in the scale of {@link Pcm16#toFloats} ({@link #process(float[])}, {@link #flushFloats()}).
 *
 * <p>Not thread-safe: use one instance per stream, from one thread at a time (or guard it).
 *
 * <pre>{@code
 * Resampler toService = Resampler.create(48_000, 16_000);
 * while (mic.hasMore()) {
 *   session.sendAudio(toService.process(mic.readBytes()));   // PCM16LE mono in and out
 * }
 * session.sendAudio(toService.flushBytes());
 * }</pre>
 *
 * @since 0.1
 */
public final class Resampler {

  /** Edge of the pass band as a fraction of the lower Nyquist frequency. */
  public static final double PASSBAND_FRACTION = 0.9;

  /** Stop-band attenuation the filter is designed for, in dB. */
  public static final double STOPBAND_ATTENUATION_DB = 100;

  /** Ratios with at most this many phases use the vectorised block kernel. */
  static final int MAX_BLOCK_PHASES = 8;

  /** From the PCM16 scale the filter runs in to the float scale of {@link Pcm16#toFloats}. */
  private static final float TO_FLOAT = 1f / Pcm16.FLOAT_SCALE;

  /** Outputs per phase in one kernel run: long enough to amortise a run, short enough for L1. */
  private static final int RUN_LENGTH = 512;

  private final int fromHz;
  private final int toHz;
  private final int up;
  private final int down;
  private final int taps;
  private final long delay;
  private final boolean identity;
  private final @Nullable PolyphaseFilter filter;
  private final @Nullable HornerKernel kernel;

  // Stream state (owned by the calling thread). buffer[0] holds input sample number bufferStart;
  // samples before the stream began are zeros, so bufferStart starts at -(taps - 1).
  private float[] buffer;
  private int bufferLength;
  private long bufferStart;
  private long received;
  private long nextOutput;

  private Resampler(int fromHz, int toHz) {
    this.fromHz = fromHz;
    this.toHz = toHz;
    this.identity = fromHz == toHz;
    if (identity) {
      this.up = 1;
      this.down = 1;
      this.taps = 1;
      this.delay = 0;
      this.filter = null;
      this.kernel = null;
    } else {
      PolyphaseFilter f =
          PolyphaseFilter.of(fromHz, toHz, PASSBAND_FRACTION, STOPBAND_ATTENUATION_DB);
      this.filter = f;
      this.up = f.up();
      this.down = f.down();
      this.taps = f.taps();
      this.delay = f.delay();
      this.kernel = up <= MAX_BLOCK_PHASES ? new HornerKernel(f, RUN_LENGTH) : null;
    }
    this.buffer = new float[Math.max(1024, 2 * taps)];
    resetState();
  }

  /**
   * Returns a resampler from {@code fromHz} to {@code toHz}.
   *
   * @param fromHz the input sample rate in Hz; positive
   * @param toHz the output sample rate in Hz; positive
   * @return a new resampler, holding the state of one stream
   * @throws IllegalArgumentException if a rate is outside the range {@link PcmFormat} accepts, or
   *     the reduced ratio is so odd that its filter table would be unreasonably large
   */
  public static Resampler create(int fromHz, int toHz) {
    PcmFormat.mono(fromHz); // validates the range with a clear message
    PcmFormat.mono(toHz);
    return new Resampler(fromHz, toHz);
  }

  /**
   * Input sample rate.
   *
   * @return the input rate in Hz
   */
  public int fromHz() {
    return fromHz;
  }

  /**
   * Output sample rate.
   *
   * @return the output rate in Hz
   */
  public int toHz() {
    return toHz;
  }

  /**
   * Returns the delay the filter adds before input becomes output (half its length).
   *
   * @return the filter delay
   */
  public Duration latency() {
    return Duration.ofNanos(delay * 1_000_000_000L / ((long) fromHz * up));
  }

  /**
   * Converts the next chunk of the stream. Returns the output samples that are complete, which may
   * be fewer (or, at the start, none) for a very small chunk; the rest follows with later input or
   * {@link #flush()}.
   *
   * @param samples the next mono input samples
   * @return the completed output samples; possibly empty
   */
  public short[] process(short[] samples) {
    Objects.requireNonNull(samples, "samples");
    if (identity) {
      return samples.clone();
    }
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

  /**
   * Converts the next chunk of mono PCM16LE bytes.
   *
   * @param pcm the next mono PCM16LE bytes
   * @return the completed output as PCM16LE bytes; possibly empty
   * @throws IllegalArgumentException if the length is odd
   */
  public byte[] process(byte[] pcm) {
    Objects.requireNonNull(pcm, "pcm");
    if (identity || (pcm.length & 1) != 0) {
      return Pcm16.toBytes(process(Pcm16.toShorts(pcm))); // the odd length fails there, clearly
    }
    int n = pcm.length / 2;
    ensureCapacity(n);
    float[] buf = buffer;
    int at = bufferLength;
    for (int j = 0; j < pcm.length; j += 2) {
      buf[at++] = (short) ((pcm[j] & 0xFF) | (pcm[j + 1] << 8));
    }
    bufferLength = at;
    received += n;
    return Pcm16.toBytes(produce(completedOutputs()));
  }

  /**
   * Converts the next chunk of samples in the floating-point scale of {@link Pcm16#toFloats} (full
   * scale ±1). The same stream may mix PCM16 and float chunks. The output is neither rounded nor
   * clipped (a band-limited signal near full scale can overshoot ±1 slightly); non-finite input
   * samples are read as silence.
   *
   * @param samples the next mono input samples
   * @return the completed output samples; possibly empty
   */
  public float[] process(float[] samples) {
    Objects.requireNonNull(samples, "samples");
    if (identity) {
      return samples.clone();
    }
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

  /**
   * Ends the stream: returns the remaining output (the filter's tail) and resets this resampler so
   * it can start a new stream.
   *
   * @return the remaining output samples; possibly empty
   */
  public short[] flush() {
    if (identity) {
      return new short[0];
    }
    short[] out = produce(padForFlush());
    resetState();
    return out;
  }

  /**
   * Like {@link #flush()}, in the floating-point scale of {@link #process(float[])}.
   *
   * @return the remaining output samples; possibly empty
   */
  public float[] flushFloats() {
    if (identity) {
      return new float[0];
    }
    float[] out = produceFloats(padForFlush());
    resetState();
    return out;
  }

  /** Appends zeros so every remaining output has its full window; returns the end of the output. */
  private long padForFlush() {
    int pad = (int) (delay / up) + taps + 1;
    ensureCapacity(pad);
    Arrays.fill(buffer, bufferLength, bufferLength + pad, 0f);
    bufferLength += pad;
    return ceilDiv(received * up, down);
  }

  /**
   * Like {@link #flush()}, as PCM16LE bytes.
   *
   * @return the remaining output as PCM16LE bytes; possibly empty
   */
  public byte[] flushBytes() {
    return Pcm16.toBytes(flush());
  }

  /** Drops the stream state (history and position) without producing output. */
  public void reset() {
    resetState();
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
    PolyphaseFilter f = Objects.requireNonNull(filter);
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

  @Override
  public String toString() {
    return "Resampler["
        + fromHz
        + " -> "
        + toHz
        + " Hz, "
        + up
        + "/"
        + down
        + ", "
        + taps
        + " taps per phase]";
  }
}
