package dev.geminilive.internal;

import dev.geminilive.LiveScheduler;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * The send side of a {@link JdkConnection}. The JDK refuses a second text while one is in flight,
 * so frames wait here and the JDK is given the next one when the last is written (on whichever
 * thread completed that write; a write that completes at once is followed in a loop, not by
 * recursion). The bound and the answer to the caller are OkHttp's: {@link #queueSize()} counts what
 * is queued and not yet written, and a frame that would take the queue past {@link
 * #MAX_QUEUE_BYTES} is refused ({@link #send} returns false) and the socket closed gracefully
 * (1001) after what is already queued. A close goes out after the frames queued before it.
 *
 * <p>Thread-safe: guarded by {@code this}, held only for the bookkeeping; the JDK is called outside
 * it.
 */
final class JdkSendQueue {
  /** The send queue's bound: OkHttp's (frames past it are refused and the socket closed). */
  static final long MAX_QUEUE_BYTES = 16L * 1024 * 1024;

  /** The longest a close we started may wait for the service's answer: OkHttp's minute. */
  static final Duration CLOSE_TIMEOUT = Duration.ofMinutes(1);

  /** A close frame waiting in the queue behind the frames before it. */
  private record CloseFrame(int code, String reason) {}

  private final JdkConnection owner;
  private final int ordinal;
  private final LiveScheduler scheduler;

  // Guarded by this.
  private final ArrayDeque<Object> pending = new ArrayDeque<>();
  private long queuedBytes;
  private boolean sending;
  private boolean outputClosed;

  JdkSendQueue(JdkConnection owner, int ordinal, LiveScheduler scheduler) {
    this.owner = owner;
    this.ordinal = ordinal;
    this.scheduler = scheduler;
  }

  /** Nothing more goes out (the socket is closing or gone): what waits is dropped. */
  synchronized void shut() {
    outputClosed = true;
    pending.clear();
    queuedBytes = 0;
  }

  /** Queues a frame; false when the socket can send no more (see the class comment). */
  boolean send(String json) {
    // Read before the lock: once set, the socket stays.
    WebSocket ws = owner.socket();
    Object first = null;
    boolean accepted;
    synchronized (this) {
      if (outputClosed) {
        return false;
      }
      // Characters for bytes: the frames are JSON, ASCII apart from the user's own text.
      long size = json.length();
      Object frame;
      if (queuedBytes + size > MAX_QUEUE_BYTES) {
        // OkHttp's answer: refuse the frame and close after what is queued (1001, going away).
        outputClosed = true;
        frame = new CloseFrame(1001, "");
        accepted = false;
      } else {
        queuedBytes += size;
        frame = json;
        accepted = true;
      }
      if (sending || ws == null) {
        pending.add(frame);
      } else {
        sending = true;
        if (pending.isEmpty()) {
          // Nothing in flight, nothing waiting: the frame goes to the JDK without the queue.
          first = frame;
        } else {
          pending.add(frame);
          first = pending.poll();
        }
      }
    }
    if (first != null) {
      pump(ws, first);
    } else if (ws == null) {
      kick(); // the socket may have opened since it was read, its kick() finding nothing queued
    }
    return accepted;
  }

  /** Starts the queue moving if it waited for the socket to open. */
  void kick() {
    WebSocket ws = owner.socket();
    if (ws == null) {
      return;
    }
    Object first;
    synchronized (this) {
      if (sending || pending.isEmpty()) {
        return;
      }
      sending = true;
      first = pending.poll();
    }
    pump(ws, first);
  }

  /**
   * Gives the JDK {@code next}, then the queued frames one at a time: each when the last one is
   * written. Called by whoever set {@code sending}; it clears it when the queue is empty. A write
   * that completes at once and the next frame's removal from the queue take the lock once.
   */
  private void pump(WebSocket ws, Object next) {
    while (true) {
      if (next instanceof CloseFrame close) {
        sendClose(ws, close);
        next = nextOrStop();
        if (next == null) {
          return;
        }
        continue;
      }
      String json = (String) next;
      CompletableFuture<WebSocket> f;
      try {
        f = ws.sendText(json, true);
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      if (!f.isDone()) {
        f.whenComplete(
            (w, e) -> {
              Object after = writtenThenNext(json.length(), e);
              if (after != null) {
                pump(ws, after);
              }
            });
        return;
      }
      next = writtenThenNext(json.length(), failure(f));
      if (next == null) {
        return;
      }
    }
  }

  /** The next queued frame, or null with {@code sending} cleared. */
  private synchronized @Nullable Object nextOrStop() {
    Object next = pending.poll();
    if (next == null) {
      sending = false;
    }
    return next;
  }

  /**
   * A frame was written (or failed): returns the next frame to give the JDK, or null when the queue
   * stops here ({@code sending} cleared).
   */
  private @Nullable Object writtenThenNext(long size, @Nullable Throwable failure) {
    synchronized (this) {
      queuedBytes = Math.max(0, queuedBytes - size);
      if (failure == null) {
        Object next = pending.poll();
        if (next == null) {
          sending = false;
        }
        return next;
      }
      sending = false;
      if (outputClosed) {
        return null; // closing or closed: the failure is the close's, not news
      }
      outputClosed = true;
      pending.clear();
      queuedBytes = 0;
    }
    owner.sendFailed(failure);
    return null;
  }

  private void sendClose(WebSocket ws, CloseFrame close) {
    CompletableFuture<WebSocket> f;
    try {
      f = ws.sendClose(close.code(), close.reason());
    } catch (IllegalArgumentException notForAClient) {
      // A code or reason the JDK will not send from a client (or a reason over 123 bytes).
      f = ws.sendClose(WebSocket.NORMAL_CLOSURE, "");
    }
    f.whenComplete(
        (w, e) -> {
          if (e != null) {
            owner.abortSocket();
          }
        });
    scheduler.schedule(
        "abort connection " + ordinal + " if its close is not answered",
        CLOSE_TIMEOUT,
        owner::abortSocket);
  }

  private static @Nullable Throwable failure(CompletableFuture<?> done) {
    try {
      done.join();
      return null;
    } catch (CompletionException e) {
      return e.getCause() != null ? e.getCause() : e;
    } catch (CancellationException e) {
      return e;
    }
  }

  /** Characters queued and not yet written. */
  synchronized long queueSize() {
    return queuedBytes;
  }

  /** Queues a close frame behind what is queued; nothing is accepted after it. */
  void close(int code, String reason) {
    WebSocket ws = owner.socket();
    Object first = null;
    synchronized (this) {
      if (outputClosed) {
        return;
      }
      outputClosed = true;
      pending.add(new CloseFrame(code, reason));
      if (!sending && ws != null) {
        sending = true;
        first = pending.poll();
      }
    }
    if (first != null) {
      pump(ws, first);
    } else if (ws == null) {
      kick();
    }
  }
}
