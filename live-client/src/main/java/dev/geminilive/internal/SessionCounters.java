package dev.geminilive.internal;

import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The figures of {@code stats()} that are not the outbound queue's. Thread-safe: counters are
 * atomic; the connection and reconnect counts and the last close reason are written on the
 * session's queue only and volatile for readers anywhere.
 */
final class SessionCounters {
  final AtomicLong framesReceived = new AtomicLong();
  final AtomicLong audioDropped = new AtomicLong();
  final AtomicLong malformedFrames = new AtomicLong();
  // Written on the session's queue.
  volatile int connections;
  volatile int reconnects;
  volatile @Nullable String lastCloseReason;
}
