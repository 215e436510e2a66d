package dev.geminilive.audio;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An {@link AudioSink} that keeps every chunk written, in order, for tests and offline processing.
 *
 * <p>Get one with {@link AudioSink#memory(PcmFormat)}. Writes never block (there is no device to
 * pace them); {@link #discard()} only counts calls, because nothing is waiting to be played. {@link
 * #awaitBytes(long, Duration)} lets a test wait for audio without sleeping.
 *
 * <p>Thread-safe: every method may be called from any thread.
 *
 * <pre>{@code
 * MemoryAudioSink sink = AudioSink.memory(PcmFormat.OUTPUT_24K);
 * PlaybackQueue playback = PlaybackQueue.builder(sink).build();
 * playback.start();
 * playback.enqueue(pcm);
 * assertThat(sink.awaitBytes(pcm.length, Duration.ofSeconds(1))).isTrue();
 * }</pre>
 *
 * @since 0.1
 */
public final class MemoryAudioSink implements AudioSink {

  private final PcmFormat format;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition written = lock.newCondition();

  // Guarded by lock.
  private final List<PcmChunk> chunks = new ArrayList<>();
  private long totalBytes;
  private int discards;
  private boolean closed;

  MemoryAudioSink(PcmFormat format) {
    this.format = Objects.requireNonNull(format, "format");
  }

  @Override
  public PcmFormat format() {
    return format;
  }

  /**
   * Records the chunk.
   *
   * @throws IllegalArgumentException if the chunk's format is not {@link #format()}
   * @throws IllegalStateException if the sink is closed
   */
  @Override
  public void write(PcmChunk chunk) {
    Objects.requireNonNull(chunk, "chunk");
    if (!chunk.format().equals(format)) {
      throw new IllegalArgumentException(
          "chunk format " + chunk.format() + " does not match sink format " + format);
    }
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("MemoryAudioSink is closed");
      }
      chunks.add(chunk);
      totalBytes += chunk.sizeBytes();
      written.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Counts the call; nothing is buffered, so nothing is dropped. */
  @Override
  public void discard() {
    lock.lock();
    try {
      discards++;
    } finally {
      lock.unlock();
    }
  }

  /** Marks the sink closed; what was written stays readable. Idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the chunks written so far, in order.
   *
   * @return a snapshot of the chunks, unmodifiable
   */
  public List<PcmChunk> chunks() {
    lock.lock();
    try {
      return List.copyOf(chunks);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns all bytes written so far, concatenated.
   *
   * @return a new array with every byte written
   */
  public byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (PcmChunk chunk : chunks()) {
      out.writeBytes(chunk.data());
    }
    return out.toByteArray();
  }

  /**
   * Returns the number of bytes written so far.
   *
   * @return the byte count
   */
  public long totalBytes() {
    lock.lock();
    try {
      return totalBytes;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns how often {@link #discard()} was called.
   *
   * @return the number of {@code discard()} calls
   */
  public int discardCount() {
    lock.lock();
    try {
      return discards;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until at least {@code bytes} bytes have been written or the timeout passes.
   *
   * @param bytes the byte count to wait for
   * @param timeout the longest to wait
   * @return whether that many bytes arrived in time
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitBytes(long bytes, Duration timeout) throws InterruptedException {
    long remaining = timeout.toNanos();
    lock.lock();
    try {
      while (totalBytes < bytes) {
        if (remaining <= 0) {
          return false;
        }
        remaining = written.awaitNanos(remaining);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Describes the format and how much was written. */
  @Override
  public String toString() {
    return "MemoryAudioSink[" + format + ", " + totalBytes() + " bytes]";
  }
}
