package dev.geminilive.audio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames a stream of PCM bytes, arriving in pieces of any size, into chunks of one fixed duration.
 *
 * <p>The chunk size is the chunk duration rounded down to whole frames, so a chunk never splits a
 * sample (or a frame of a multi-channel format), even when the input arrives in odd-sized pieces.
 * Durations from {@link #MIN_CHUNK_DURATION} to {@link #MAX_CHUNK_DURATION} are accepted; {@link
 * #DEFAULT_CHUNK_DURATION} suits the Live API, which recommends small input chunks. {@link
 * #flush()} returns what is left at the end of the stream.
 *
 * <p>Not thread-safe: one instance per stream, used from one thread at a time.
 *
 * <pre>{@code
 * AudioChunker chunker = new AudioChunker(PcmFormat.INPUT_16K, Duration.ofMillis(40));
 * for (PcmChunk chunk : chunker.push(bytesFromAnywhere)) {
 *   send(chunk);                                  // always 1280 bytes
 * }
 * chunker.flush().ifPresent(this::send);          // the shorter remainder, if any
 * }</pre>
 *
 * @since 0.1
 */
public final class AudioChunker {

  /** Default chunk duration: 50 ms. */
  public static final Duration DEFAULT_CHUNK_DURATION = Duration.ofMillis(50);

  /** Shortest chunk duration accepted: 10 ms. */
  public static final Duration MIN_CHUNK_DURATION = Duration.ofMillis(10);

  /** Longest chunk duration accepted: 100 ms. */
  public static final Duration MAX_CHUNK_DURATION = Duration.ofMillis(100);

  private static final Logger log = LoggerFactory.getLogger(AudioChunker.class);

  private final PcmFormat format;
  private final Duration chunkDuration;
  private final int chunkSizeBytes;
  private final byte[] pending;
  private int pendingLength;

  /**
   * Creates a chunker with the {@linkplain #DEFAULT_CHUNK_DURATION default duration}.
   *
   * @param format the format of the incoming bytes
   */
  public AudioChunker(PcmFormat format) {
    this(format, DEFAULT_CHUNK_DURATION);
  }

  /**
   * Creates a chunker.
   *
   * @param format the format of the incoming bytes
   * @param chunkDuration the length of each chunk, from {@link #MIN_CHUNK_DURATION} to {@link
   *     #MAX_CHUNK_DURATION}
   * @throws IllegalArgumentException if the duration is outside [{@link #MIN_CHUNK_DURATION},
   *     {@link #MAX_CHUNK_DURATION}]
   */
  public AudioChunker(PcmFormat format, Duration chunkDuration) {
    this.format = Objects.requireNonNull(format, "format");
    Objects.requireNonNull(chunkDuration, "chunkDuration");
    if (chunkDuration.compareTo(MIN_CHUNK_DURATION) < 0
        || chunkDuration.compareTo(MAX_CHUNK_DURATION) > 0) {
      throw new IllegalArgumentException(
          "chunkDuration must be in [10 ms, 100 ms]: " + chunkDuration.toMillis() + " ms");
    }
    this.chunkDuration = chunkDuration;
    this.chunkSizeBytes = format.bytesFor(chunkDuration);
    this.pending = new byte[chunkSizeBytes];
  }

  /**
   * The format of the stream.
   *
   * @return the format given at construction
   */
  public PcmFormat format() {
    return format;
  }

  /**
   * The requested chunk duration.
   *
   * @return the chunk duration given at construction
   */
  public Duration chunkDuration() {
    return chunkDuration;
  }

  /**
   * Bytes in each full chunk: the duration rounded down to whole frames.
   *
   * @return the size of a full chunk in bytes, a whole number of frames
   */
  public int chunkSizeBytes() {
    return chunkSizeBytes;
  }

  /**
   * Bytes received but not yet returned in a chunk.
   *
   * @return the buffered byte count, less than {@link #chunkSizeBytes()}
   */
  public int pendingBytes() {
    return pendingLength;
  }

  /**
   * Adds bytes to the stream and returns every chunk they complete (possibly none).
   *
   * @param data the next bytes of the stream; any length, need not be frame-aligned
   * @return the completed chunks in stream order; empty if none was completed
   */
  public List<PcmChunk> push(byte[] data) {
    Objects.requireNonNull(data, "data");
    return push(data, 0, data.length);
  }

  /**
   * Adds {@code length} bytes from {@code offset} and returns every chunk they complete.
   *
   * @param data the array holding the bytes
   * @param offset the index of the first byte to add
   * @param length the number of bytes to add
   * @return the completed chunks in stream order; empty if none was completed
   */
  public List<PcmChunk> push(byte[] data, int offset, int length) {
    Objects.requireNonNull(data, "data");
    Objects.checkFromIndexSize(offset, length, data.length);
    List<PcmChunk> out = new ArrayList<>();
    int pos = offset;
    int end = offset + length;
    while (pos < end) {
      int n = Math.min(end - pos, chunkSizeBytes - pendingLength);
      System.arraycopy(data, pos, pending, pendingLength, n);
      pendingLength += n;
      pos += n;
      if (pendingLength == chunkSizeBytes) {
        out.add(new PcmChunk(format, pending));
        pendingLength = 0;
      }
    }
    return out;
  }

  /**
   * Ends the stream: returns the remaining whole frames as a shorter chunk, or empty if there are
   * none. Trailing bytes that do not make a whole frame are dropped (logged at WARN). The chunker
   * can then be reused for a new stream.
   *
   * @return the final partial chunk, or empty if no whole frame was pending
   */
  public Optional<PcmChunk> flush() {
    int whole = pendingLength - pendingLength % format.bytesPerFrame();
    if (whole != pendingLength) {
      log.warn(
          "Dropping {} trailing bytes that do not make a whole {}-byte frame of {}",
          pendingLength - whole,
          format.bytesPerFrame(),
          format);
    }
    pendingLength = 0;
    if (whole == 0) {
      return Optional.empty();
    }
    byte[] rest = new byte[whole];
    System.arraycopy(pending, 0, rest, 0, whole);
    return Optional.of(new PcmChunk(format, rest));
  }
}
