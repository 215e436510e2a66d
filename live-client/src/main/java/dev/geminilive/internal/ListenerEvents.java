package dev.geminilive.internal;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The queue of one session's listener events, delivered in order on one daemon thread, with the
 * terminal event ({@code onClosed} or {@code onFailure}) last: once it is queued, nothing more is.
 *
 * <p>Thread-safe: events are posted from the control thread, tool threads and senders' threads.
 * Queueing and the end are decided under one lock, so an event posted while the session ends is
 * queued before the terminal event or not at all (a volatile "ended" flag set after queueing the
 * terminal event let a racing post land behind it).
 */
final class ListenerEvents {
  private final Object lock = new Object();
  private final ThreadPoolExecutor thread;
  // Guarded by lock.
  private boolean ended;

  /** Starts the delivery thread (a daemon, named {@code threadName}) on the first event. */
  ListenerEvents(String threadName) {
    this(threadName, null);
  }

  /**
   * Starts the delivery thread (a daemon, named {@code threadName}, with {@code sessionName} in the
   * MDC when it is not null) on the first event.
   */
  ListenerEvents(String threadName, @org.jspecify.annotations.Nullable String sessionName) {
    this.thread =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t =
                  new Thread(sessionName == null ? r : SessionMdc.wrap(sessionName, r), threadName);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Queues one delivery.
   *
   * @return false when the terminal event was queued already: the delivery is dropped
   */
  boolean post(Runnable delivery) {
    synchronized (lock) {
      if (ended) {
        return false;
      }
      thread.execute(delivery);
      return true;
    }
  }

  /**
   * Queues the terminal delivery and then {@code afterwards} (which runs after the listener has
   * seen the terminal event), and accepts nothing more; the thread ends when they have run.
   *
   * @return false when a terminal event was queued already: neither runs
   */
  boolean postTerminal(Runnable terminal, Runnable afterwards) {
    synchronized (lock) {
      if (ended) {
        return false;
      }
      ended = true;
      thread.execute(terminal);
      thread.execute(afterwards);
      thread.shutdown();
      return true;
    }
  }

  /** Deliveries queued and not yet started. */
  int pending() {
    return thread.getQueue().size();
  }
}
