package dev.geminilive.internal;

import dev.geminilive.LiveException;
import dev.geminilive.ResilientLiveSession;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports input audio dropped to keep the session within its bounds: fails the dropped sends'
 * futures with a message that says which bound and what to change, counts them, tells the
 * observers, and warns the log and the listener on the first drop and on every hundredth after.
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
    LiveException e =
        new LiveException(
            "Input audio dropped: "
                + (dropped.bySocket()
                    ? "the connection's send queue holds more than "
                        + OutboundQueue.SOCKET_QUEUE_LIMIT_BYTES / (1024 * 1024)
                        + " MiB (input is sent faster than the network takes it)"
                    : "the replay and reconnect queue is over its bound (maxQueuedBytes="
                        + maxQueuedBytes
                        + ") while the connection is slow or reconnecting")
                + "; "
                + (before + messages.size())
                + " chunks dropped so far.");
    for (Outgoing o : messages) {
      o.future.completeExceptionally(e);
    }
    if (before == 0 || (before + messages.size()) / 100 > before / 100) {
      log.warn("{}: {}", session.name(), e.getMessage());
      events.post(l -> l.onError(session, e));
    }
  }
}
