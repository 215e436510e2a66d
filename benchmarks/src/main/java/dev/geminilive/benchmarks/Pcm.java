package dev.geminilive.benchmarks;

import java.util.Base64;

/**
 * Test audio for the network benchmarks. Input chunks are silent to the fake server's voice
 * detector (every sample is below its speech threshold) but carry a stream id and a sequence number
 * in their first samples, so the server side can tell order and loss. Output chunks carry the
 * {@link System#nanoTime()} of their injection in their first eight bytes.
 */
final class Pcm {
  private Pcm() {}

  /** 20 ms of 16 kHz PCM16. */
  static final int INPUT_CHUNK_BYTES = 640;

  /** 40 ms of 24 kHz PCM16, the fake server's default output chunk. */
  static final int OUTPUT_CHUNK_BYTES = 1920;

  /** A 20 ms input chunk numbered {@code seq} of stream {@code stream}; samples stay below 256. */
  static byte[] inputChunk(int stream, int seq) {
    byte[] pcm = new byte[INPUT_CHUNK_BYTES];
    // Sample i (little-endian) holds one byte of the number in its low byte: 0..255, always quiet.
    pcm[0] = (byte) (seq & 0xFF);
    pcm[2] = (byte) ((seq >>> 8) & 0xFF);
    pcm[4] = (byte) ((seq >>> 16) & 0xFF);
    pcm[6] = (byte) ((seq >>> 24) & 0xFF);
    pcm[8] = (byte) (stream & 0xFF);
    pcm[10] = (byte) ((stream >>> 8) & 0xFF);
    return pcm;
  }

  static int seqOf(byte[] pcm) {
    return (pcm[0] & 0xFF) | (pcm[2] & 0xFF) << 8 | (pcm[4] & 0xFF) << 16 | (pcm[6] & 0xFF) << 24;
  }

  static int streamOf(byte[] pcm) {
    return (pcm[8] & 0xFF) | (pcm[10] & 0xFF) << 8;
  }

  /** The realtime-input frame the library writes for {@code pcm}. */
  static String audioFrame(byte[] pcm) {
    return "{\"realtimeInput\":{\"audio\":{\"data\":\""
        + Base64.getEncoder().encodeToString(pcm)
        + "\",\"mimeType\":\"audio/pcm;rate=16000\"}}}";
  }

  /** A server audio frame (40 ms, 24 kHz) stamped with {@code nanos}. */
  static String stampedOutputFrame(long nanos, int stream) {
    byte[] pcm = new byte[OUTPUT_CHUNK_BYTES];
    for (int i = 0; i < 8; i++) {
      pcm[i] = (byte) (nanos >>> (8 * i));
    }
    pcm[8] = (byte) (stream & 0xFF);
    pcm[9] = (byte) ((stream >>> 8) & 0xFF);
    return "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"mimeType\":"
        + "\"audio/pcm;rate=24000\",\"data\":\""
        + Base64.getEncoder().encodeToString(pcm)
        + "\"}}]}}}";
  }

  static long stampOf(byte[] pcm) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v |= (pcm[i] & 0xFFL) << (8 * i);
    }
    return v;
  }

  static int outputStreamOf(byte[] pcm) {
    return (pcm[8] & 0xFF) | (pcm[9] & 0xFF) << 8;
  }

  /**
   * A 20 ms input chunk for the load server: the send time ({@link System#nanoTime()}), stream id
   * and sequence number in its first 14 bytes (see {@link LoadServer}), silence after.
   */
  static byte[] loadChunk(long nanos, int stream, int seq) {
    byte[] pcm = new byte[INPUT_CHUNK_BYTES];
    for (int i = 0; i < 8; i++) {
      pcm[i] = (byte) (nanos >>> (8 * i));
    }
    pcm[8] = (byte) stream;
    pcm[9] = (byte) (stream >>> 8);
    for (int i = 0; i < 4; i++) {
      pcm[10 + i] = (byte) (seq >>> (8 * i));
    }
    return pcm;
  }
}
