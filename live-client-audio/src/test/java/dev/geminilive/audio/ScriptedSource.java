package dev.geminilive.audio;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A source the test feeds chunk by chunk, like a microphone whose {@code read()} blocks until the
 * next chunk. Counts reads, so a test knows the previous chunk has been handled.
 */
final class ScriptedSource implements AudioSource {
  private static final PcmChunk END = PcmChunk.of(PcmFormat.mono(8_000), new byte[0]);

  private final PcmFormat format;
  private final LinkedBlockingQueue<PcmChunk> chunks = new LinkedBlockingQueue<>();
  private int reads; // guarded by this
  private @Nullable Thread reader; // guarded by this
  private volatile boolean closed;

  ScriptedSource(PcmFormat format) {
    this.format = format;
  }

  void push(PcmChunk chunk) {
    chunks.add(chunk);
  }

  void end() {
    chunks.add(END);
  }

  boolean isClosed() {
    return closed;
  }

  synchronized @Nullable Thread reader() {
    return reader;
  }

  /** Waits until {@code read()} has been entered {@code n} times. */
  synchronized boolean awaitReads(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (reads < n) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  @Override
  public PcmFormat format() {
    return format;
  }

  @Override
  public Optional<PcmChunk> read() {
    synchronized (this) {
      reads++;
      reader = Thread.currentThread();
      notifyAll();
    }
    if (closed) {
      return Optional.empty();
    }
    try {
      PcmChunk chunk = chunks.poll(30, TimeUnit.SECONDS);
      return chunk == null || chunk == END ? Optional.empty() : Optional.of(chunk);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    closed = true;
    chunks.add(END);
  }
}
