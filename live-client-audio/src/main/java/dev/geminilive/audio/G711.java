package dev.geminilive.audio;

import java.util.Objects;

/**
 * ITU-T G.711 companding: mu-law (North America, Japan) and A-law (elsewhere), the 8-bit codes of 8
 * kHz telephony.
 *
 * <p>Encoding and decoding follow the ITU-T reference implementation (G.191 Software Tool Library,
 * {@code g711.c}) bit for bit: the 16-bit input is treated as the left-justified 14-bit (mu-law) or
 * 13-bit (A-law) linear value of the standard, negative values use one's complement as in the
 * reference, codes include the standard's bit inversions, and decoding returns the midpoint of each
 * quantisation interval, scaled back to 16 bits. So mu-law maps {@code 0} to {@code 0xFF} and
 * decodes full scale to {@code ±32124}; A-law maps {@code 0} to {@code 0xD5} and decodes full scale
 * to {@code ±32256}.
 *
 * <p>Stateless and thread-safe.
 *
 * <pre>{@code
 * byte[] ulaw = G711.encodeMuLaw(Pcm16.toShorts(pcm8k));   // to a phone line
 * short[] pcm = G711.decodeMuLaw(ulawFromPhone);           // from a phone line
 * }</pre>
 *
 * @since 0.1
 */
public final class G711 {

  private static final short[] MU_LAW_DECODE = new short[256];
  private static final short[] A_LAW_DECODE = new short[256];

  static {
    for (int code = 0; code < 256; code++) {
      MU_LAW_DECODE[code] = expandMuLaw(code);
      A_LAW_DECODE[code] = expandALaw(code);
    }
  }

  private G711() {}

  /**
   * Encodes one 16-bit sample to a mu-law code (as in G.191 {@code ulaw_compress}).
   *
   * @param sample the linear sample
   * @return the mu-law code
   */
  public static byte encodeMuLaw(short sample) {
    int lin = sample;
    // One's complement for negatives, as the reference does: -1 becomes magnitude 0.
    int absno = (lin < 0 ? (~lin) >> 2 : lin >> 2) + 33;
    if (absno > 0x1FFF) {
      absno = 0x1FFF;
    }
    int i = absno >> 6;
    int segno = 1;
    while (i != 0) {
      segno++;
      i >>= 1;
    }
    int highNibble = 0x8 - segno;
    int lowNibble = 0xF - ((absno >> segno) & 0xF);
    int code = (highNibble << 4) | lowNibble;
    if (lin >= 0) {
      code |= 0x80;
    }
    return (byte) code;
  }

  /**
   * Decodes one mu-law code to a 16-bit sample.
   *
   * @param code the mu-law code
   * @return the linear sample
   */
  public static short decodeMuLaw(byte code) {
    return MU_LAW_DECODE[code & 0xFF];
  }

  /**
   * Encodes one 16-bit sample to an A-law code (as in G.191 {@code alaw_compress}).
   *
   * @param sample the linear sample
   * @return the A-law code
   */
  public static byte encodeALaw(short sample) {
    int lin = sample;
    int ix = lin < 0 ? (~lin) >> 4 : lin >> 4;
    if (ix > 15) {
      int iexp = 1;
      while (ix > 16 + 15) {
        ix >>= 1;
        iexp++;
      }
      ix -= 16;
      ix += iexp << 4;
    }
    if (lin >= 0) {
      ix |= 0x80;
    }
    return (byte) (ix ^ 0x55);
  }

  /**
   * Decodes one A-law code to a 16-bit sample.
   *
   * @param code the A-law code
   * @return the linear sample
   */
  public static short decodeALaw(byte code) {
    return A_LAW_DECODE[code & 0xFF];
  }

  /**
   * Encodes samples to mu-law codes, one byte per sample.
   *
   * @param samples the linear samples
   * @return a new array of codes, as long as {@code samples}
   */
  public static byte[] encodeMuLaw(short[] samples) {
    Objects.requireNonNull(samples, "samples");
    byte[] out = new byte[samples.length];
    for (int i = 0; i < samples.length; i++) {
      out[i] = encodeMuLaw(samples[i]);
    }
    return out;
  }

  /**
   * Decodes mu-law codes to samples.
   *
   * @param codes the mu-law codes
   * @return a new array of samples, as long as {@code codes}
   */
  public static short[] decodeMuLaw(byte[] codes) {
    Objects.requireNonNull(codes, "codes");
    short[] out = new short[codes.length];
    for (int i = 0; i < codes.length; i++) {
      out[i] = MU_LAW_DECODE[codes[i] & 0xFF];
    }
    return out;
  }

  /**
   * Encodes samples to A-law codes, one byte per sample.
   *
   * @param samples the linear samples
   * @return a new array of codes, as long as {@code samples}
   */
  public static byte[] encodeALaw(short[] samples) {
    Objects.requireNonNull(samples, "samples");
    byte[] out = new byte[samples.length];
    for (int i = 0; i < samples.length; i++) {
      out[i] = encodeALaw(samples[i]);
    }
    return out;
  }

  /**
   * Decodes A-law codes to samples.
   *
   * @param codes the A-law codes
   * @return a new array of samples, as long as {@code codes}
   */
  public static short[] decodeALaw(byte[] codes) {
    Objects.requireNonNull(codes, "codes");
    short[] out = new short[codes.length];
    for (int i = 0; i < codes.length; i++) {
      out[i] = A_LAW_DECODE[codes[i] & 0xFF];
    }
    return out;
  }

  /** G.191 {@code ulaw_expand} for one code. */
  private static short expandMuLaw(int code) {
    int sign = code < 0x80 ? -1 : 1;
    int mantissa = ~code;
    int exponent = (mantissa >> 4) & 0x7;
    int segment = exponent + 1;
    mantissa &= 0xF;
    int step = 4 << segment;
    return (short) (sign * ((0x80 << exponent) + step * mantissa + step / 2 - 4 * 33));
  }

  /** G.191 {@code alaw_expand} for one code. */
  private static short expandALaw(int code) {
    int ix = (code ^ 0x55) & 0x7F;
    int iexp = ix >> 4;
    int mant = ix & 0xF;
    if (iexp > 0) {
      mant += 16;
    }
    mant = (mant << 4) + 0x8;
    if (iexp > 1) {
      mant <<= iexp - 1;
    }
    return (short) (code > 127 ? mant : -mant);
  }
}
