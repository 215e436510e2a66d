package dev.geminilive.audio;

import java.time.Duration;
import java.util.Objects;
import javax.sound.sampled.AudioFormat;

/**
 * A format of raw PCM audio: 16-bit signed little-endian samples, interleaved when there is more
 * than one channel.
 *
 * <p>Only the sample rate and the channel count vary; sample size, signedness and byte order are
 * fixed because that is what the Live API takes and gives. Use {@link #INPUT_16K} for audio sent to
 * the service and {@link #OUTPUT_24K} for the audio it returns.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * PcmFormat cd = PcmFormat.of(44_100, 2);
 * int bytes = cd.bytesFor(Duration.ofMillis(20)); // 3528: 882 frames of 4 bytes
 * }</pre>
 *
 * @param sampleRateHz samples per second per channel, from {@value #MIN_SAMPLE_RATE_HZ} to {@value
 *     #MAX_SAMPLE_RATE_HZ}
 * @param channels number of interleaved channels, from 1 to {@value #MAX_CHANNELS}
 * @since 0.1
 */
public record PcmFormat(int sampleRateHz, int channels) {

  /** Bytes per sample of one channel: always 2 (16-bit). */
  public static final int BYTES_PER_SAMPLE = 2;

  /** Lowest sample rate accepted. */
  public static final int MIN_SAMPLE_RATE_HZ = 1_000;

  /** Highest sample rate accepted. */
  public static final int MAX_SAMPLE_RATE_HZ = 384_000;

  /** Highest channel count accepted. */
  public static final int MAX_CHANNELS = 8;

  /** What the Live API takes as input: 16 kHz mono ({@code audio/pcm;rate=16000}). */
  public static final PcmFormat INPUT_16K = new PcmFormat(16_000, 1);

  /** What the Live API sends back: 24 kHz mono. */
  public static final PcmFormat OUTPUT_24K = new PcmFormat(24_000, 1);

  /** Narrow-band telephony: 8 kHz mono (the rate of G.711). */
  public static final PcmFormat TELEPHONY_8K = new PcmFormat(8_000, 1);

  /**
   * Validates the values.
   *
   * @param sampleRateHz samples per second per channel, from {@value #MIN_SAMPLE_RATE_HZ} to
   *     {@value #MAX_SAMPLE_RATE_HZ}
   * @param channels number of interleaved channels, from 1 to {@value #MAX_CHANNELS}
   * @throws IllegalArgumentException if the rate or the channel count is out of range
   */
  public PcmFormat {
    if (sampleRateHz < MIN_SAMPLE_RATE_HZ || sampleRateHz > MAX_SAMPLE_RATE_HZ) {
      throw new IllegalArgumentException(
          "sampleRateHz must be in ["
              + MIN_SAMPLE_RATE_HZ
              + ", "
              + MAX_SAMPLE_RATE_HZ
              + "]: "
              + sampleRateHz);
    }
    if (channels < 1 || channels > MAX_CHANNELS) {
      throw new IllegalArgumentException(
          "channels must be in [1, " + MAX_CHANNELS + "]: " + channels);
    }
  }

  /**
   * Returns a mono format with the given sample rate.
   *
   * @param sampleRateHz the sample rate in Hz; positive
   * @return the format
   */
  public static PcmFormat mono(int sampleRateHz) {
    return new PcmFormat(sampleRateHz, 1);
  }

  /**
   * Returns a format with the given sample rate and channel count.
   *
   * @param sampleRateHz the sample rate in Hz; positive
   * @param channels the channel count; positive
   * @return the format
   */
  public static PcmFormat of(int sampleRateHz, int channels) {
    return new PcmFormat(sampleRateHz, channels);
  }

  /**
   * Returns whether this format has one channel.
   *
   * @return true if {@code channels} is 1
   */
  public boolean isMono() {
    return channels == 1;
  }

  /**
   * Returns the same sample rate with one channel.
   *
   * @return the mono format at this sample rate; this format if it is already mono
   */
  public PcmFormat toMono() {
    return isMono() ? this : new PcmFormat(sampleRateHz, 1);
  }

  /**
   * Bytes of one frame (one sample of every channel).
   *
   * @return two bytes per channel
   */
  public int bytesPerFrame() {
    return BYTES_PER_SAMPLE * channels;
  }

  /**
   * Bytes of one second of audio.
   *
   * @return the byte rate
   */
  public int bytesPerSecond() {
    return bytesPerFrame() * sampleRateHz;
  }

  /**
   * Returns the number of whole frames in the given duration, rounded down.
   *
   * @param duration the duration; not negative
   * @return the frame count
   * @throws IllegalArgumentException if the duration is negative
   */
  public long framesFor(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative: " + duration);
    }
    return Math.multiplyExact(duration.toNanos(), (long) sampleRateHz) / 1_000_000_000L;
  }

  /**
   * Returns the byte count of the given duration, rounded down to whole frames (never splits a
   * sample).
   *
   * @param duration the duration; not negative
   * @return the byte count, a whole number of frames
   * @throws IllegalArgumentException if the duration is negative or the result exceeds {@code
   *     Integer.MAX_VALUE}
   */
  public int bytesFor(Duration duration) {
    long bytes = framesFor(duration) * bytesPerFrame();
    if (bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("duration too long for one byte array: " + duration);
    }
    return (int) bytes;
  }

  /**
   * Returns how long the given number of bytes plays.
   *
   * @param bytes the byte count; not negative
   * @return the duration of the whole frames in {@code bytes}, rounded down to whole nanoseconds
   * @throws IllegalArgumentException if {@code bytes} is negative
   */
  public Duration durationOf(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must not be negative: " + bytes);
    }
    long frames = bytes / bytesPerFrame();
    return Duration.ofNanos(Math.multiplyExact(frames, 1_000_000_000L) / sampleRateHz);
  }

  /**
   * Returns the MIME type the Live API uses for this format, e.g. {@code audio/pcm;rate=16000}.
   *
   * @return the MIME type
   */
  public String mimeType() {
    return "audio/pcm;rate=" + sampleRateHz;
  }

  /**
   * Returns the equivalent {@code javax.sound.sampled} format (signed, little-endian).
   *
   * @return a new {@code AudioFormat}
   */
  public AudioFormat toAudioFormat() {
    return new AudioFormat(sampleRateHz, 16, channels, true, false);
  }

  /** Returns e.g. {@code PCM16LE 16000 Hz mono}. */
  @Override
  public String toString() {
    String layout =
        switch (channels) {
          case 1 -> "mono";
          case 2 -> "stereo";
          default -> channels + " channels";
        };
    return "PCM16LE " + sampleRateHz + " Hz " + layout;
  }
}
