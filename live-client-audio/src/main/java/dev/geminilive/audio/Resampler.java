package dev.geminilive.audio;

import java.time.Duration;
import java.util.Objects;

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
 * (Kaiser window, {@value #STOPBAND_ATTENUATION_DB} dB stop band) is designed at {@code L * fromHz}
 * with its pass band ending at {@value #PASSBAND_FRACTION} of the lower of the two Nyquist
 * frequencies and its stop band starting at that Nyquist frequency, and split into {@code L}
 * phases. So tones up to 0.9 × the lower Nyquist pass flat (ripple well under 0.1 dB), and
 * everything that would alias (or image) is attenuated by more than 60 dB. Latency is half the
 * filter length: about 3 ms for 48 kHz → 16 kHz, 6 ms for 8 kHz → 16 kHz (see {@link #latency()}).
 * Equal rates pass samples through unchanged.
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
  public static final double STOPBAND_ATTENUATION_DB = 80;

  /** Largest filter table accepted (coefficients), to keep odd ratios from using huge memory. */
  private static final long MAX_TABLE_SIZE = 4_000_000;

  private final int fromHz;
  private final int toHz;
  private final int up;
  private final int down;
  private final int taps;
  private final long delay;
  private final double[][] phases;
  private final boolean identity;

  // Stream state (owned by the calling thread). buffer[0] holds input sample number bufferStart;
  // samples before the stream began are zeros, so bufferStart starts at -(taps - 1).
  private double[] buffer;
  private int bufferLength;
  private long bufferStart;
  private long received;
  private long nextOutput;

  private Resampler(int fromHz, int toHz) {
    this.fromHz = fromHz;
    this.toHz = toHz;
    int g = gcd(fromHz, toHz);
    this.up = toHz / g;
    this.down = fromHz / g;
    this.identity = fromHz == toHz;
    if (identity) {
      this.taps = 1;
      this.delay = 0;
      this.phases = new double[][] {{1.0}};
    } else {
      double lowerNyquist = Math.min(fromHz, toHz) / 2.0;
      double highRate = (double) fromHz * up;
      double passEdge = PASSBAND_FRACTION * lowerNyquist;
      double transition = lowerNyquist - passEdge;
      double cutoff = (passEdge + lowerNyquist) / 2 / highRate; // cycles per high-rate sample
      int length =
          (int) Math.ceil((STOPBAND_ATTENUATION_DB - 7.95) / (14.36 * transition / highRate)) + 1;
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
                + MAX_TABLE_SIZE);
      }
      double[] h = design(length, cutoff, kaiserBeta(STOPBAND_ATTENUATION_DB));
      double sum = 0;
      for (double v : h) {
        sum += v;
      }
      double gain = up / sum; // unity gain at DC after zero-stuffing by `up`
      this.taps = perPhase;
      this.delay = (length - 1) / 2;
      this.phases = new double[up][perPhase];
      for (int i = 0; i < length; i++) {
        phases[i % up][i / up] = h[i] * gain;
      }
    }
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
    append(samples);
    long numerator = received * up - delay;
    long end = numerator <= 0 ? 0 : ceilDiv(numerator, down);
    return produce(end);
  }

  /**
   * Converts the next chunk of mono PCM16LE bytes.
   *
   * @param pcm the next mono PCM16LE bytes
   * @return the completed output as PCM16LE bytes; possibly empty
   * @throws IllegalArgumentException if the length is odd
   */
  public byte[] process(byte[] pcm) {
    return Pcm16.toBytes(process(Pcm16.toShorts(pcm)));
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
    // Zeros after the end so every remaining output has its full window.
    int pad = (int) (delay / up) + taps + 1;
    ensureCapacity(pad);
    java.util.Arrays.fill(buffer, bufferLength, bufferLength + pad, 0.0);
    bufferLength += pad;
    long end = ceilDiv(received * up, down);
    short[] out = produce(end);
    resetState();
    return out;
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
    buffer = new double[Math.max(1024, 2 * taps)];
    bufferLength = taps - 1;
    bufferStart = -(taps - 1);
    received = 0;
    nextOutput = 0;
  }

  private void append(short[] samples) {
    ensureCapacity(samples.length);
    for (short s : samples) {
      buffer[bufferLength++] = s;
    }
    received += samples.length;
  }

  private void ensureCapacity(int extra) {
    if (bufferLength + extra > buffer.length) {
      double[] bigger = new double[Math.max(buffer.length * 2, bufferLength + extra)];
      System.arraycopy(buffer, 0, bigger, 0, bufferLength);
      buffer = bigger;
    }
  }

  /** Computes outputs up to (exclusive) {@code end}, then drops history no longer needed. */
  private short[] produce(long end) {
    int count = (int) Math.max(0, end - nextOutput);
    short[] out = new short[count];
    double[] buf = buffer;
    for (int i = 0; i < count; i++) {
      long t = nextOutput * down + delay;
      long base = Math.floorDiv(t, (long) up);
      int phase = (int) (t - base * up);
      double[] h = phases[phase];
      int newest = (int) (base - bufferStart);
      double acc = 0;
      for (int k = 0; k < taps; k++) {
        acc += h[k] * buf[newest - k];
      }
      out[i] = Pcm16.clip(acc);
      nextOutput++;
    }
    long oldestNeeded = Math.floorDiv(nextOutput * down + delay, (long) up) - (taps - 1);
    int drop = (int) Math.min(Math.max(0, oldestNeeded - bufferStart), bufferLength);
    if (drop > 0) {
      System.arraycopy(buffer, drop, buffer, 0, bufferLength - drop);
      bufferLength -= drop;
      bufferStart += drop;
    }
    return out;
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
    for (int k = 1; k < 200; k++) {
      term *= (half / k) * (half / k);
      sum += term;
      if (term < sum * 1e-17) {
        break;
      }
    }
    return sum;
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  private static int gcd(int a, int b) {
    while (b != 0) {
      int t = a % b;
      a = b;
      b = t;
    }
    return a;
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
