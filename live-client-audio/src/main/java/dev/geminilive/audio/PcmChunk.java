package dev.geminilive.audio;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An immutable piece of PCM audio with its format.
 *
 * <p>The bytes are copied on the way in and on the way out, so a chunk can be shared freely between
 * threads. The length is always a whole number of frames. (Named {@code PcmChunk} so it does not
 * clash with the session's own {@code dev.geminilive.AudioChunk}.)
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * PcmChunk chunk = PcmChunk.of(PcmFormat.INPUT_16K, Pcm16.toBytes(samples));
 * Duration d = chunk.duration();
 * }</pre>
 *
 * @param format the format of {@code data}
 * @param data PCM16LE bytes, a multiple of {@link PcmFormat#bytesPerFrame()}
 * @since 0.1
 */
public record PcmChunk(PcmFormat format, byte[] data) {

  /**
   * Validates and copies the bytes.
   *
   * @param format the format of {@code data}
   * @param data PCM16LE bytes, a multiple of {@link PcmFormat#bytesPerFrame()}
   * @throws IllegalArgumentException if {@code data} is not a whole number of frames
   */
  public PcmChunk {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(data, "data");
    if (data.length % format.bytesPerFrame() != 0) {
      throw new IllegalArgumentException(
          "data length "
              + data.length
              + " is not a whole number of "
              + format.bytesPerFrame()
              + "-byte frames of "
              + format);
    }
    data = data.clone();
  }

  /**
   * Returns a chunk holding a copy of {@code data}.
   *
   * @param format the format of {@code data}
   * @param data PCM16LE bytes, a whole number of frames
   * @return the chunk
   */
  public static PcmChunk of(PcmFormat format, byte[] data) {
    return new PcmChunk(format, data);
  }

  /**
   * Returns a chunk of the given (interleaved) samples.
   *
   * @param format the format of {@code samples}
   * @param samples the samples; for more than one channel, a whole number of frames
   * @return the chunk
   */
  public static PcmChunk ofSamples(PcmFormat format, short[] samples) {
    return new PcmChunk(format, Pcm16.toBytes(samples));
  }

  /**
   * Returns a copy of the PCM16LE bytes.
   *
   * @return a new array on every call
   */
  @Override
  public byte[] data() {
    return data.clone();
  }

  /**
   * Returns the (interleaved) samples.
   *
   * @return a new array of samples on every call
   */
  public short[] samples() {
    return Pcm16.toShorts(data);
  }

  /**
   * Returns the size in bytes.
   *
   * @return the byte count
   */
  public int sizeBytes() {
    return data.length;
  }

  /**
   * Returns the number of frames (samples per channel).
   *
   * @return the frame count
   */
  public int frames() {
    return data.length / format.bytesPerFrame();
  }

  /**
   * Returns how long this chunk plays.
   *
   * @return the duration at the format's sample rate
   */
  public Duration duration() {
    return format.durationOf(data.length);
  }

  /**
   * Returns whether the chunk holds no audio.
   *
   * @return true if the chunk has no bytes
   */
  public boolean isEmpty() {
    return data.length == 0;
  }

  /** Compares format and bytes (content, not identity). */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof PcmChunk other
        && format.equals(other.format)
        && Arrays.equals(data, other.data);
  }

  /** Hash of format and bytes, consistent with {@link #equals(Object)}. */
  @Override
  public int hashCode() {
    return 31 * format.hashCode() + Arrays.hashCode(data);
  }

  /** Describes format and size, never the audio bytes. */
  @Override
  public String toString() {
    return "PcmChunk[" + format + ", " + data.length + " bytes, " + duration().toMillis() + " ms]";
  }
}
