package dev.geminilive.audio;

import java.util.Objects;

/**
 * Conversions of 16-bit signed little-endian PCM between {@code byte[]}, {@code short[]} and {@code
 * float[]}, and stereo (or multi-channel) to mono downmix.
 *
 * <p>Byte order is handled explicitly (low byte first), never through the platform's order. Floats
 * are scaled so that {@code -32768} maps to {@code -1.0f}; on the way back they are rounded to the
 * nearest integer and clipped to {@code [-32768, 32767]}, so full-scale values survive a round trip
 * exactly.
 *
 * <p>Stateless and thread-safe.
 *
 * <pre>{@code
 * short[] samples = Pcm16.toShorts(bytes);
 * byte[] mono = Pcm16.downmixToMono(stereoBytes, 2);
 * }</pre>
 *
 * @since 0.1
 */
public final class Pcm16 {

  /** Scale between a sample and a float: {@code 32768}. */
  public static final float FLOAT_SCALE = 32768f;

  private Pcm16() {}

  /**
   * Decodes little-endian bytes to samples.
   *
   * @param pcm little-endian 16-bit samples; an even number of bytes
   * @return a new array of samples, half as long as {@code pcm}
   * @throws IllegalArgumentException if the length is odd
   */
  public static short[] toShorts(byte[] pcm) {
    Objects.requireNonNull(pcm, "pcm");
    return toShorts(pcm, 0, pcm.length);
  }

  /**
   * Decodes {@code length} little-endian bytes starting at {@code offset} to samples.
   *
   * @param pcm the array holding the bytes
   * @param offset the index of the first byte
   * @param length the number of bytes; even
   * @return a new array of {@code length / 2} samples
   * @throws IllegalArgumentException if {@code length} is odd
   * @throws IndexOutOfBoundsException if the range is outside {@code pcm}
   */
  public static short[] toShorts(byte[] pcm, int offset, int length) {
    Objects.requireNonNull(pcm, "pcm");
    Objects.checkFromIndexSize(offset, length, pcm.length);
    if ((length & 1) != 0) {
      throw new IllegalArgumentException("PCM16 byte length must be even: " + length);
    }
    short[] out = new short[length / 2];
    for (int i = 0, j = offset; i < out.length; i++, j += 2) {
      out[i] = (short) ((pcm[j] & 0xFF) | (pcm[j + 1] << 8));
    }
    return out;
  }

  /**
   * Encodes samples to little-endian bytes.
   *
   * @param samples the samples
   * @return a new array, twice as long as {@code samples}
   */
  public static byte[] toBytes(short[] samples) {
    Objects.requireNonNull(samples, "samples");
    byte[] out = new byte[samples.length * 2];
    for (int i = 0, j = 0; i < samples.length; i++, j += 2) {
      out[j] = (byte) samples[i];
      out[j + 1] = (byte) (samples[i] >> 8);
    }
    return out;
  }

  /**
   * Converts samples to floats in {@code [-1.0, 1.0)}.
   *
   * @param samples the samples
   * @return a new array of floats, as long as {@code samples}
   */
  public static float[] toFloats(short[] samples) {
    Objects.requireNonNull(samples, "samples");
    float[] out = new float[samples.length];
    for (int i = 0; i < samples.length; i++) {
      out[i] = samples[i] / FLOAT_SCALE;
    }
    return out;
  }

  /**
   * Converts floats to samples: scaled by {@value #FLOAT_SCALE}, rounded, clipped.
   *
   * @param values the floats, nominally in {@code [-1.0, 1.0]}
   * @return a new array of samples, as long as {@code values}
   */
  public static short[] fromFloats(float[] values) {
    Objects.requireNonNull(values, "values");
    short[] out = new short[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = clip(Math.round((double) values[i] * FLOAT_SCALE));
    }
    return out;
  }

  /**
   * Decodes little-endian bytes to floats.
   *
   * @param pcm little-endian 16-bit samples; an even number of bytes
   * @return a new array of floats, half as long as {@code pcm}
   * @throws IllegalArgumentException if the length is odd
   */
  public static float[] bytesToFloats(byte[] pcm) {
    return toFloats(toShorts(pcm));
  }

  /**
   * Encodes floats to little-endian bytes (rounded, clipped).
   *
   * @param values the floats, nominally in {@code [-1.0, 1.0]}
   * @return a new array, twice as long as {@code values}
   */
  public static byte[] floatsToBytes(float[] values) {
    return toBytes(fromFloats(values));
  }

  /**
   * Rounds a value to the nearest sample, clipping it to {@code [-32768, 32767]}.
   *
   * @param value the value in sample units
   * @return the nearest sample in range
   */
  public static short clip(double value) {
    if (Double.isNaN(value)) {
      return 0;
    }
    long rounded = Math.round(value);
    if (rounded > Short.MAX_VALUE) {
      return Short.MAX_VALUE;
    }
    if (rounded < Short.MIN_VALUE) {
      return Short.MIN_VALUE;
    }
    return (short) rounded;
  }

  /**
   * Averages interleaved channels to one: each output sample is the mean of a frame, rounded to
   * nearest (so a full-scale signal on every channel stays full scale).
   *
   * @param interleaved the interleaved samples; a whole number of frames
   * @param channels the channel count; positive
   * @return a new array with one sample per frame (a copy when {@code channels} is 1)
   * @throws IllegalArgumentException if {@code channels < 1} or the length is not a multiple of it
   */
  public static short[] downmixToMono(short[] interleaved, int channels) {
    Objects.requireNonNull(interleaved, "interleaved");
    if (channels < 1) {
      throw new IllegalArgumentException("channels must be >= 1: " + channels);
    }
    if (interleaved.length % channels != 0) {
      throw new IllegalArgumentException(
          "sample count " + interleaved.length + " is not a multiple of " + channels + " channels");
    }
    if (channels == 1) {
      return interleaved.clone();
    }
    short[] out = new short[interleaved.length / channels];
    for (int f = 0, i = 0; f < out.length; f++) {
      long sum = 0;
      for (int c = 0; c < channels; c++) {
        sum += interleaved[i++];
      }
      out[f] = clip((double) sum / channels);
    }
    return out;
  }

  /**
   * Averages the channels of interleaved PCM16LE bytes to mono bytes.
   *
   * @param interleaved the interleaved PCM16LE bytes; a whole number of frames
   * @param channels the channel count; positive
   * @return new mono PCM16LE bytes, one sample per frame
   * @throws IllegalArgumentException if the length is not a whole number of frames
   */
  public static byte[] downmixToMono(byte[] interleaved, int channels) {
    return toBytes(downmixToMono(toShorts(interleaved), channels));
  }
}
