package dev.geminilive.audio;

import dev.geminilive.audio.internal.PolyphaseFilter;
import java.time.Duration;
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

  private final int fromHz;
  private final int toHz;
  private final @Nullable PolyphaseStream stream; // null for equal rates: samples pass through

  private Resampler(int fromHz, int toHz) {
    this.fromHz = fromHz;
    this.toHz = toHz;
    this.stream =
        fromHz == toHz
            ? null
            : new PolyphaseStream(
                PolyphaseFilter.of(fromHz, toHz, PASSBAND_FRACTION, STOPBAND_ATTENUATION_DB),
                MAX_BLOCK_PHASES);
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
    PolyphaseStream s = stream;
    return s == null
        ? Duration.ZERO
        : Duration.ofNanos(s.delay() * 1_000_000_000L / ((long) fromHz * s.up()));
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
    PolyphaseStream s = stream;
    return s == null ? samples.clone() : s.process(samples);
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
    PolyphaseStream s = stream;
    if (s == null || (pcm.length & 1) != 0) {
      return Pcm16.toBytes(process(Pcm16.toShorts(pcm))); // the odd length fails there, clearly
    }
    return Pcm16.toBytes(s.process(pcm));
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
    PolyphaseStream s = stream;
    return s == null ? samples.clone() : s.process(samples);
  }

  /**
   * Ends the stream: returns the remaining output (the filter's tail) and resets this resampler so
   * it can start a new stream.
   *
   * @return the remaining output samples; possibly empty
   */
  public short[] flush() {
    PolyphaseStream s = stream;
    return s == null ? new short[0] : s.flush();
  }

  /**
   * Like {@link #flush()}, in the floating-point scale of {@link #process(float[])}.
   *
   * @return the remaining output samples; possibly empty
   */
  public float[] flushFloats() {
    PolyphaseStream s = stream;
    return s == null ? new float[0] : s.flushFloats();
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
    PolyphaseStream s = stream;
    if (s != null) {
      s.reset();
    }
  }

  @Override
  public String toString() {
    PolyphaseStream s = stream;
    return "Resampler["
        + fromHz
        + " -> "
        + toHz
        + " Hz, "
        + (s == null ? 1 : s.up())
        + "/"
        + (s == null ? 1 : s.down())
        + ", "
        + (s == null ? 1 : s.taps())
        + " taps per phase]";
  }
}
