package dev.geminilive.audio.internal;

import dev.geminilive.audio.PcmFormat;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The parts of a RIFF/WAVE header this module needs, and the reader and writer for them.
 *
 * <p>Reading accepts {@code WAVE_FORMAT_PCM} (1) and {@code WAVE_FORMAT_EXTENSIBLE} (0xFFFE) with
 * the PCM sub-format, 16 bits per sample; unknown chunks ({@code LIST}, {@code fact}, ...) are
 * skipped, with the RIFF pad byte after odd-sized chunks. A data size of 0 or 0xFFFFFFFF (written
 * by streaming recorders that never patched the header) means "until the end of the file".
 *
 * @param format the audio format
 * @param dataBytes bytes of audio in the data chunk, or -1 when unknown (read to end of file)
 */
public record WavHeader(PcmFormat format, long dataBytes) {

  /** Size of the canonical header this module writes. */
  public static final int CANONICAL_SIZE = 44;

  /** Reads a header, leaving {@code in} at the first byte of audio. */
  public static WavHeader read(InputStream in, String source) throws IOException {
    byte[] riff = readFully(in, 12, source);
    if (!ascii(riff, 0).equals("RIFF") || !ascii(riff, 8).equals("WAVE")) {
      throw new IOException(source + " is not a RIFF/WAVE file");
    }
    PcmFormat format = null;
    while (true) {
      byte[] head = readFully(in, 8, source);
      String id = ascii(head, 0);
      long size = u32(head, 4);
      if (id.equals("fmt ")) {
        if (size < 16) {
          throw new IOException(source + ": fmt chunk too short (" + size + " bytes)");
        }
        byte[] fmt = readFully(in, (int) size, source);
        int tag = u16(fmt, 0);
        int channels = u16(fmt, 2);
        long rate = u32(fmt, 4);
        int bits = u16(fmt, 14);
        if (tag == 0xFFFE && size >= 26) {
          tag = u16(fmt, 24); // first two bytes of the sub-format GUID
        }
        if (tag != 1 || bits != 16) {
          throw new IOException(
              source
                  + ": unsupported WAV encoding (format tag "
                  + tag
                  + ", "
                  + bits
                  + " bits); only 16-bit PCM is supported");
        }
        try {
          format = PcmFormat.of((int) rate, channels);
        } catch (IllegalArgumentException e) {
          throw new IOException(source + ": unsupported WAV format: " + e.getMessage(), e);
        }
        skip(in, size & 1, source);
      } else if (id.equals("data")) {
        if (format == null) {
          throw new IOException(source + ": data chunk before fmt chunk");
        }
        boolean unknown = size == 0 || size == 0xFFFFFFFFL;
        return new WavHeader(format, unknown ? -1 : size);
      } else {
        skip(in, size + (size & 1), source);
      }
    }
  }

  /** Returns the canonical 44-byte header for {@code dataBytes} of audio. */
  public static byte[] canonical(PcmFormat format, long dataBytes) {
    long data = Math.min(dataBytes, 0xFFFFFFFFL - 36);
    byte[] h = new byte[CANONICAL_SIZE];
    ascii(h, 0, "RIFF");
    le32(h, 4, 36 + data);
    ascii(h, 8, "WAVE");
    ascii(h, 12, "fmt ");
    le32(h, 16, 16);
    le16(h, 20, 1);
    le16(h, 22, format.channels());
    le32(h, 24, format.sampleRateHz());
    le32(h, 28, format.bytesPerSecond());
    le16(h, 32, format.bytesPerFrame());
    le16(h, 34, 16);
    ascii(h, 36, "data");
    le32(h, 40, data);
    return h;
  }

  private static byte[] readFully(InputStream in, int n, String source) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw new EOFException(source + ": truncated WAV header");
    }
    return b;
  }

  private static void skip(InputStream in, long n, String source) throws IOException {
    long left = n;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new EOFException(source + ": truncated WAV file while skipping a chunk");
        }
        skipped = 1;
      }
      left -= skipped;
    }
  }

  private static String ascii(byte[] b, int at) {
    return new String(b, at, 4, java.nio.charset.StandardCharsets.US_ASCII);
  }

  private static void ascii(byte[] b, int at, String s) {
    for (int i = 0; i < 4; i++) {
      b[at + i] = (byte) s.charAt(i);
    }
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
  }

  private static long u32(byte[] b, int at) {
    return (u16(b, at) | (long) u16(b, at + 2) << 16) & 0xFFFFFFFFL;
  }

  private static void le16(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >> 8);
  }

  private static void le32(byte[] b, int at, long v) {
    le16(b, at, (int) (v & 0xFFFF));
    le16(b, at + 2, (int) ((v >> 16) & 0xFFFF));
  }
}
