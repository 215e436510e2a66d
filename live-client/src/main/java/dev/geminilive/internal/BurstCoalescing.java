package dev.geminilive.internal;

import dev.geminilive.LiveScheduler;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Nagle's algorithm for a connection's socket only while a burst backs it up. {@code TCP_NODELAY}
 * keeps a real-time chunk from waiting for the acknowledgement of the one before it, but in a burst
 * (input sent faster than real time, a replay after a reconnect) it makes every frame a TCP segment
 * of its own, which costs both ends a packet per frame: the benchmarks measured raw OkHttp with
 * {@code TCP_NODELAY} at about twice the receiving server's CPU per message of raw OkHttp without
 * it. So once more than {@link #BACKLOG_BYTES} wait in the socket's send queue, the socket
 * coalesces; a check every {@link #CHECK_EVERY} turns {@code TCP_NODELAY} back on once the queue
 * holds less than {@link #DRAINED_BYTES}, which also pushes out at once what Nagle's algorithm
 * holds. At real-time pace the queue stays empty and the socket never leaves {@code TCP_NODELAY}.
 *
 * <p>Thread-safe: {@link #afterSend} runs on any sender's thread, the check on the scheduler.
 */
final class BurstCoalescing {
  /** Queued bytes past which the socket coalesces: about 18 chunks of 20 ms audio. */
  static final long BACKLOG_BYTES = 16 * 1024;

  /** Queued bytes under which {@code TCP_NODELAY} comes back. */
  static final long DRAINED_BYTES = 4 * 1024;

  /** One send in this many looks at the queue's size. */
  static final int LOOK_EVERY = 8;

  /** How often a coalescing socket's queue is looked at. */
  static final Duration CHECK_EVERY = Duration.ofMillis(1);

  private final Supplier<@Nullable Socket> socket;
  private final LongSupplier queueSize;
  private final LiveScheduler scheduler;
  private final String name;
  private final AtomicBoolean coalescing = new AtomicBoolean();
  // Sends are serialized by the OutboundQueue's lock; a count lost in a race only moves a look.
  private int sends;

  /**
   * @param socket the connection's socket (null until it is made, or when the application made it)
   * @param queueSize the bytes waiting in the connection's send queue
   * @param ordinal the connection's number, which names the check's task
   */
  BurstCoalescing(
      Supplier<@Nullable Socket> socket,
      LongSupplier queueSize,
      LiveScheduler scheduler,
      int ordinal) {
    this.socket = socket;
    this.queueSize = queueSize;
    this.scheduler = scheduler;
    this.name = "coalescing check of connection " + ordinal;
  }

  /**
   * A frame was queued: every {@link #LOOK_EVERY}th time, starts coalescing if the queue has backed
   * up. (Reading the queue's size takes the socket's lock, which its writer thread contends for
   * during a burst; a backlog of {@link #BACKLOG_BYTES} takes more frames than that to build.)
   */
  void afterSend() {
    if (++sends % LOOK_EVERY != 0 || coalescing.get() || queueSize.getAsLong() <= BACKLOG_BYTES) {
      return;
    }
    Socket s = socket.get();
    if (s != null && coalescing.compareAndSet(false, true)) {
      setNoDelay(s, false);
      scheduleCheck();
    }
  }

  /** Whether the socket coalesces now. */
  boolean coalescing() {
    return coalescing.get();
  }

  private void scheduleCheck() {
    scheduler.schedule(name, CHECK_EVERY, this::check);
  }

  private void check() {
    Socket s = socket.get();
    if (s == null || s.isClosed() || queueSize.getAsLong() < DRAINED_BYTES) {
      if (s != null && !s.isClosed()) {
        setNoDelay(s, true);
      }
      // After the option: a send that sees false may switch it off again, never before this one.
      coalescing.set(false);
    } else {
      scheduleCheck();
    }
  }

  private static void setNoDelay(Socket s, boolean on) {
    try {
      s.setTcpNoDelay(on);
    } catch (SocketException e) {
      // Closed meanwhile, or not supported: the socket still works, with its current setting.
    }
  }
}
