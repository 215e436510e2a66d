package dev.geminilive.internal;

import dev.geminilive.LiveException;
import dev.geminilive.ResilientLiveSession;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports input audio dropped to keep the session within its bounds: fails the dropped sends'
 * futures with a message that says which bound and what to change, counts them, tells the
 * observers, and warns the log and the listener on the first drop and on every hundredth after
 * (with the count so far; the futures' exception says only which bound).
 *
 * <p>Thread-safe: called on the sender's thread; the count is atomic.
 */
final class DroppedInput {
  private static final Logger log = LoggerFactory.getLogger(DroppedInput.class);

  private final ResilientLiveSession session;
  private final long maxQueuedBytes;
  private final SessionCounters counters;
  private final SessionObserver observer;
  private final ListenerDispatcher events;
  // A dropped send's future fails with the same exception each time for its bound: building one
  // (a stack trace) per dropped chunk cost the most exactly when input comes too fast. Made once
  // each on first use; a race makes two equal ones, which is harmless.
  private volatile @Nullable LiveException bySocket;
  private volatile @Nullable LiveException byBacklog;

  DroppedInput(
      ResilientLiveSession session,
      long maxQueuedBytes,
      SessionCounters counters,
      SessionObserver observer,
      ListenerDispatcher events) {
    this.session = session;
    this.maxQueuedBytes = maxQueuedBytes;
    this.counters = counters;
    this.observer = observer;
    this.events = events;
  }

  void report(OutboundQueue.Dropped dropped) {
    List<Outgoing> messages = dropped.messages();
    long before = counters.audioDropped.getAndAdd(messages.size());
    observer.audioDropped(messages.size());
    LiveException e = dropped.bySocket() ? bySocket() : byBacklog();
    for (Outgoing o : messages) {
      o.future.completeExceptionally(e);
    }
    long total = before + messages.size();
    if (before == 0 || total / 100 > before / 100) {
      LiveException counted =
          new LiveException(e.getMessage() + " " + total + " chunks dropped so far.");
      log.warn("{}: {}", session.name(), counted.getMessage());
      events.post(l -> l.onError(session, counted));
    }
  }

  private LiveException bySocket() {
    LiveException e = bySocket;
    if (e == null) {
      e =
          new LiveException(
              "Input audio dropped: the connection's send queue holds more than "
                  + OutboundQueue.SOCKET_QUEUE_LIMIT_BYTES / (1024 * 1024)
                  + " MiB (input is sent faster than the network takes it).");
      bySocket = e;
    }
    return e;
  }

  private LiveException byBacklog() {
    LiveException e = byBacklog;
    if (e == null) {
      e =
          new LiveException(
              "Input audio dropped: the replay and reconnect queue is over its bound"
                  + " (maxQueuedBytes="
                  + maxQueuedBytes
                  + ") while the connection is slow or reconnecting.");
      byBacklog = e;
    }
    return e;
  }
}
