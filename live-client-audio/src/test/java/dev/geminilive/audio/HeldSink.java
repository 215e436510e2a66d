package dev.geminilive.audio;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A sink whose writes block until the test opens its gate, like a speaker that has not played the
 * frame yet. Bytes count as written when a write returns.
 */
final class HeldSink implements AudioSink {
  private final PcmFormat format;
  private final CountDownLatch gate = new CountDownLatch(1);
  private final CountDownLatch firstWrite = new CountDownLatch(1);
  private long bytes; // guarded by this
  private int discards; // guarded by this
  private volatile boolean closed;

  HeldSink(PcmFormat format) {
    this.format = format;
  }

  void open() {
    gate.countDown();
  }

  boolean awaitFirstWrite(Duration timeout) throws InterruptedException {
    return firstWrite.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized int discards() {
    return discards;
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public PcmFormat format() {
    return format;
  }

  @Override
  public void write(PcmChunk chunk) {
    firstWrite.countDown();
    try {
      if (!gate.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("gate never opened");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    synchronized (this) {
      bytes += chunk.sizeBytes();
    }
  }

  @Override
  public synchronized void discard() {
    discards++;
  }

  @Override
  public void close() {
    closed = true;
  }
}
