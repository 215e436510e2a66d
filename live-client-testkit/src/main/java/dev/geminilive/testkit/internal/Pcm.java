package dev.geminilive.testkit.internal;

import java.time.Duration;

/** Synthetic PCM16 little-endian mono audio and a simple energy measure. */
public final class Pcm {
  /** Sample rate of the audio the fake model speaks, as the service does. */
  public static final int OUTPUT_SAMPLE_RATE_HZ = 24_000;

  /** Absolute sample value above which an input sample counts as speech. */
  public static final int SPEECH_THRESHOLD = 500;

  private Pcm() {}

  /**
   * Returns {@code duration} of a speech-like signal: a 180 Hz tone with a 4 Hz syllable envelope.
   * Deterministic: the same duration always gives the same bytes.
   */
  public static byte[] speechLike(Duration duration, int sampleRateHz) {
    int samples = (int) (duration.toNanos() * sampleRateHz / 1_000_000_000L);
    byte[] out = new byte[samples * 2];
    for (int i = 0; i < samples; i++) {
      double t = (double) i / sampleRateHz;
      double envelope = 0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t);
      int v = (int) (9000 * envelope * Math.sin(2 * Math.PI * 180 * t));
      out[2 * i] = (byte) v;
      out[2 * i + 1] = (byte) (v >> 8);
    }
    return out;
  }

  /** Returns {@code duration} of digital silence at {@code sampleRateHz}. */
  public static byte[] silence(Duration duration, int sampleRateHz) {
    return new byte[(int) (duration.toNanos() * sampleRateHz / 1_000_000_000L) * 2];
  }

  /** Reads sample {@code i} (little-endian signed 16 bit) of {@code pcm}. */
  public static int sample(byte[] pcm, int i) {
    return (short) ((pcm[2 * i] & 0xff) | (pcm[2 * i + 1] << 8));
  }

  /** Parses the {@code rate=} parameter of an {@code audio/pcm} MIME type, default 16 kHz. */
  public static int rateOf(String mimeType) {
    int at = mimeType.indexOf("rate=");
    if (at < 0) {
      return 16_000;
    }
    try {
      return Integer.parseInt(mimeType.substring(at + 5).replaceAll("[^0-9].*$", ""));
    } catch (NumberFormatException e) {
      return 16_000;
    }
  }

  /** Trims a WebSocket close reason to the 123 bytes RFC 6455 allows. */
  public static String closeReason(String reason) {
    byte[] b = reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (b.length <= 123) {
      return reason;
    }
    String cut = reason;
    while (cut.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 123) {
      cut = cut.substring(0, cut.length() - 1);
    }
    return cut;
  }
}
