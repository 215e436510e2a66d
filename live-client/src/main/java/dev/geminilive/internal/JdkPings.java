package dev.geminilive.internal;

import dev.geminilive.LiveScheduler;
import java.net.SocketTimeoutException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The pings of a {@link JdkConnection}, which the JDK does not send by itself: one every ping
 * interval on the session's clock, and a ping still unanswered when the next is due fails the
 * connection with OkHttp's words. This finds a connection that went silent while nothing was
 * expected of it, which the session's stall check (mid-turn only) does not look at.
 *
 * <p>Thread-safe: atomics and a volatile timer.
 */
final class JdkPings {
  private final JdkConnection owner;
  private final Duration every;
  private final String name;
  private final LiveScheduler scheduler;
  private final AtomicBoolean awaitingPong = new AtomicBoolean();
  private final AtomicInteger pongs = new AtomicInteger();
  private volatile LiveScheduler.@Nullable ScheduledTask next;

  JdkPings(JdkConnection owner, Duration every, int ordinal, LiveScheduler scheduler) {
    this.owner = owner;
    this.every = every;
    this.name = "ping of connection " + ordinal;
    this.scheduler = scheduler;
  }

  /** Starts pinging, unless the interval is zero (no pings). */
  void start() {
    if (!every.isZero() && !every.isNegative()) {
      next = scheduler.schedule(name, every, this::ping);
    }
  }

  /** A pong arrived. */
  void pong() {
    if (awaitingPong.compareAndSet(true, false)) {
      pongs.incrementAndGet();
    }
  }

  /** Stops pinging. */
  void stop() {
    LiveScheduler.ScheduledTask task = next;
    if (task != null) {
      task.cancel();
    }
  }

  private void ping() {
    WebSocket ws = owner.socket();
    if (!owner.running() || ws == null) {
      return;
    }
    if (awaitingPong.get()) {
      owner.pingUnanswered(
          new SocketTimeoutException(
              "sent ping but didn't receive pong within "
                  + every.toMillis()
                  + "ms (after "
                  + pongs.get()
                  + " successful ping/pongs)"));
      return;
    }
    awaitingPong.set(true);
    CompletableFuture<WebSocket> sent;
    try {
      sent = ws.sendPing(ByteBuffer.allocate(0));
    } catch (IllegalStateException busy) {
      sent = CompletableFuture.failedFuture(busy);
    }
    sent.whenComplete(
        (w, e) -> {
          if (e != null) {
            // Not sent (a pong of ours in flight, or the output closed): not awaited either.
            awaitingPong.set(false);
          }
        });
    next = scheduler.schedule(name, every, this::ping);
  }
}
