package dev.geminilive;

import java.util.Objects;

/**
 * One piece of PCM audio from the model: 16-bit signed little-endian mono samples.
 *
 * <p>The array is handed over as received and is not copied; do not modify it. Output audio from
 * the service is 24 kHz ({@link #OUTPUT_SAMPLE_RATE_HZ}).
 *
 * @param pcm the samples, two bytes each, little-endian
 * @param sampleRateHz the sample rate, taken from the part's MIME type ({@code audio/pcm;rate=N})
 * @since 0.1
 */
public record AudioChunk(byte[] pcm, int sampleRateHz) {
  /** The sample rate of the service's output audio. */
  public static final int OUTPUT_SAMPLE_RATE_HZ = 24_000;

  /** The sample rate the service expects for input audio. */
  public static final int INPUT_SAMPLE_RATE_HZ = 16_000;

  /**
   * Checks the arguments.
   *
   * @param pcm the samples, two bytes each, little-endian
   * @param sampleRateHz the sample rate, taken from the part's MIME type ({@code audio/pcm;rate=N})
   */
  public AudioChunk {
    Objects.requireNonNull(pcm, "pcm");
    if (sampleRateHz <= 0) {
      throw new IllegalArgumentException("sampleRateHz must be positive: " + sampleRateHz);
    }
  }

  /**
   * How long this chunk plays, in microseconds.
   *
   * @return the duration at {@code sampleRateHz}, rounded down to whole microseconds
   */
  public long durationMicros() {
    return (pcm.length / 2) * 1_000_000L / sampleRateHz;
  }

  @Override
  public String toString() {
    return "AudioChunk[" + pcm.length + " bytes @ " + sampleRateHz + " Hz]";
  }
}
