package dev.geminilive.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.LiveException;
import dev.geminilive.LiveListener;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.ToolCallEvent;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the session's listener: one call at a time, in order, on the session's queue, and the
 * terminal event ({@code onClosed} or {@code onFailure}) exactly once and last. A listener that
 * throws is logged and counted, and the session goes on.
 *
 * <p>Events of the session's own tasks are delivered at once ({@link #deliver}), so a frame reaches
 * the listener with one hand-off from the socket; events from other threads (tool results, dropped
 * audio) are queued behind what the queue already holds ({@link #post}). Once the terminal event
 * has been delivered nothing more is, whatever was queued before: the end is decided on the queue,
 * so an event racing the end lands either before the terminal event or nowhere.
 *
 * <p>Thread-safe as described: {@link #deliver} and {@link #terminal} run on the session's queue,
 * {@link #post} on any thread.
 */
final class ListenerDispatcher {
  private static final Logger log = LoggerFactory.getLogger(ListenerDispatcher.class);

  private final SerialQueue queue;
  private final LiveListener listener;
  private final ResilientLiveSession session;
  private final String name;
  private final AtomicLong errors = new AtomicLong();
  // Whether the listener implements onToolResult: when it does not, no task is queued for one.
  private final boolean wantsToolResults;
  // Owned by the session's queue.
  private boolean ended;

  ListenerDispatcher(SerialQueue queue, LiveListener listener, ResilientLiveSession session) {
    this.queue = queue;
    this.listener = listener;
    this.session = session;
    this.name = session.name();
    this.wantsToolResults =
        overrides(listener, "onToolResult", ToolCallEvent.class, JsonNode.class);
  }

  /**
   * Whether {@code listener}'s class implements {@code method} itself rather than inheriting {@link
   * LiveListener}'s empty default; true when that cannot be told.
   */
  static boolean overrides(LiveListener listener, String method, Class<?>... arguments) {
    Class<?>[] parameters = new Class<?>[arguments.length + 1];
    parameters[0] = ResilientLiveSession.class;
    System.arraycopy(arguments, 0, parameters, 1, arguments.length);
    try {
      return listener.getClass().getMethod(method, parameters).getDeclaringClass()
          != LiveListener.class;
    } catch (NoSuchMethodException e) {
      return true;
    }
  }

  /**
   * Queues a tool result for the listener ({@link #post}), unless the listener does not implement
   * {@code onToolResult}: then nothing is queued, and the tool's thread wakes no worker before its
   * answer is sent. Any thread.
   */
  void postToolResult(Consumer<LiveListener> event) {
    if (wantsToolResults) {
      post(event);
    }
  }

  /** Calls the listener now; on the session's queue only. */
  void deliver(Consumer<LiveListener> event) {
    queue.assertOnQueue();
    if (ended) {
      return;
    }
    try {
      event.accept(listener);
    } catch (Throwable t) { // a listener's bug must not end a call
      errors.incrementAndGet();
      log.error("{}: the listener threw; the session goes on", name, t);
    }
  }

  /** Queues a call to the listener behind the session's pending work; any thread. */
  void post(Consumer<LiveListener> event) {
    queue.execute(() -> deliver(event));
  }

  /**
   * Delivers {@code onClosed} (failure null) or {@code onFailure}, then runs {@code afterwards};
   * later events are dropped. Once only; on the session's queue.
   */
  void terminal(@Nullable LiveException failure, Runnable afterwards) {
    queue.assertOnQueue();
    if (ended) {
      return;
    }
    deliver(
        l -> {
          if (failure == null) {
            l.onClosed(session);
          } else {
            l.onFailure(session, failure);
          }
        });
    ended = true;
    afterwards.run();
  }

  /** How many times the listener threw. */
  long errors() {
    return errors.get();
  }
}
