package dev.geminilive.internal;

import dev.geminilive.AudioChunk;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * Parsing of the wire's protobuf durations ({@code "50s"}, {@code "9.5s"}) and audio MIME types.
 */
final class Durations {
  private Durations() {}

  /** A protobuf JSON duration; zero when it cannot be read. */
  static Duration parse(String text) {
    String t = text.trim();
    if (t.endsWith("s")) {
      t = t.substring(0, t.length() - 1);
    }
    try {
      BigDecimal seconds = new BigDecimal(t);
      return Duration.ofNanos(seconds.movePointRight(9).longValue());
    } catch (NumberFormatException e) {
      return Duration.ZERO;
    }
  }

  /** The rate of an {@code audio/pcm;rate=N} MIME type, 24 kHz when absent. */
  static int sampleRate(String mime) {
    int i = mime.indexOf("rate=");
    if (i < 0) {
      return AudioChunk.OUTPUT_SAMPLE_RATE_HZ;
    }
    int end = i + 5;
    while (end < mime.length() && Character.isDigit(mime.charAt(end))) {
      end++;
    }
    try {
      return Integer.parseInt(mime.substring(i + 5, end));
    } catch (NumberFormatException e) {
      return AudioChunk.OUTPUT_SAMPLE_RATE_HZ;
    }
  }
}
