package dev.geminilive.internal;

import dev.geminilive.LiveConnectException;
import dev.geminilive.LiveScheduler;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code java.net.http.WebSocket} of the {@link JdkConnector}: its listener and its connection.
 *
 * <p>Receiving: the JDK calls the listener one call at a time, on the shared workers, and only
 * after {@code request(1)}; each call asks for the next one when it is done, so frames are handed
 * on in arrival order and the next is read only after the previous was handed on. A frame the JDK
 * delivers in parts ({@code last == false}) is put back together before it is handed on; binary
 * parts are decoded only when whole, so a character split between parts survives.
 *
 * <p>Sending: through the connection's {@link JdkSendQueue} (the JDK allows one send in flight),
 * with OkHttp's bound and answer.
 *
 * <p>Liveness: a ping every ping interval; a ping still unanswered at the next one fails the
 * connection, as OkHttp does (the JDK answers the service's pings by itself).
 *
 * <p>Threads: the JDK's calls that open and end the connection run with the shared worker named
 * {@code <session>-socket-<n>}; a frame's call ({@code onText}, {@code onBinary}, {@code onPong})
 * keeps the worker's own name, since it only parses the frame and hands it to the session's queue
 * (no user code runs there, and nothing there reads the thread's name).
 *
 * <p>Thread-safe: the receive state is touched only in the JDK's listener calls, which it makes one
 * at a time; the send queue guards itself; the rest is atomic or volatile.
 */
final class JdkConnection implements Connection, WebSocket.Listener {
  private static final Logger log = LoggerFactory.getLogger(JdkConnection.class);

  /** Parts put back together are kept in a buffer this size at most between frames. */
  private static final int KEPT_BUFFER = 64 * 1024;

  /** The JDK's close code for an end without a close frame (never sent in one). */
  private static final int NO_CLOSE_FRAME = 1006;

  private static final int SETUP = 0;
  private static final int READY = 1;
  private static final int FAILED = 2;

  private final ConnectRequest request;
  private final Connection.Handler handler;
  private final LiveScheduler scheduler;
  private final String threadName;
  final CompletableFuture<Connection> ready = new CompletableFuture<>();
  // SETUP until setupComplete arrives (READY) or the setup fails (FAILED), decided once.
  private final AtomicInteger phase = new AtomicInteger(SETUP);
  // Whether the end was reported (or must never be: a failed setup).
  private final AtomicBoolean reported = new AtomicBoolean();
  // The connection's hold on the session's named threads, until the JDK calls it no more.
  private final AtomicBoolean holding;
  private volatile @Nullable WebSocket webSocket;
  private volatile @Nullable String sessionId;
  private volatile boolean abort;

  // Receive state, touched only in the listener calls.
  private StringBuilder text = new StringBuilder();
  private byte[] binary = new byte[0];
  private int binaryLength;

  private final JdkSendQueue sends;

  private final JdkPings pings;

  JdkConnection(ConnectRequest request, Connection.Handler handler, LiveScheduler scheduler) {
    this.request = request;
    this.handler = handler;
    this.scheduler = scheduler;
    this.threadName = request.sessionName() + "-socket-" + request.ordinal();
    this.holding = new AtomicBoolean(request.threads().hold());
    this.sends = new JdkSendQueue(this, request.ordinal(), scheduler);
    this.pings = new JdkPings(this, request.pingInterval(), request.ordinal(), scheduler);
  }

  // ---- the socket's life ----

  /** The handshake succeeded ({@code buildAsync} completed); the listener may have run already. */
  void opened(WebSocket ws) {
    if (webSocket == null) {
      webSocket = ws;
    }
    if (abort || phase.get() == FAILED) {
      ws.abort();
      lastCallbackDone();
      return;
    }
    sends.kick();
  }

  /** The handshake failed: no listener call follows. */
  void handshakeFailed(LiveConnectException e) {
    failSetup(e);
    lastCallbackDone();
  }

  /** The connect timed out on the session's clock. */
  void timedOut(LiveConnectException e) {
    if (phase.get() == SETUP) {
      failSetup(e);
    }
  }

  /** The caller cancelled the connect. */
  void abandoned() {
    phase.compareAndSet(SETUP, FAILED);
    reported.set(true);
    abortSocket();
  }

  @Override
  public void onOpen(WebSocket ws) {
    named(
        () -> {
          webSocket = ws;
          if (abort || phase.get() != SETUP) {
            ws.abort();
            return;
          }
          if (!send(request.setupJson())) {
            failSetup(new LiveConnectException("Could not send the setup frame", true, null));
            return;
          }
          pings.start();
          ws.request(1);
        });
  }

  @Override
  public @Nullable CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    // A frame's call is not named (see the class comment): it parses and hands over, nothing more.
    if (!last) {
      text.append(data);
    } else if (text.length() == 0) {
      receive(data.toString());
    } else {
      String whole = text.append(data).toString();
      text = text.capacity() > KEPT_BUFFER ? new StringBuilder() : text;
      text.setLength(0);
      receive(whole);
    }
    ws.request(1);
    return null;
  }

  @Override
  public @Nullable CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
    int n = data.remaining();
    if (binaryLength + n > binary.length) {
      binary = Arrays.copyOf(binary, Math.max(binaryLength + n, binary.length * 2));
    }
    data.get(binary, binaryLength, n);
    binaryLength += n;
    if (last) {
      String whole = new String(binary, 0, binaryLength, StandardCharsets.UTF_8);
      binaryLength = 0;
      if (binary.length > KEPT_BUFFER) {
        binary = new byte[0];
      }
      receive(whole);
    }
    ws.request(1);
    return null;
  }

  @Override
  public @Nullable CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
    pings.pong();
    ws.request(1);
    return null;
  }

  private void receive(String json) {
    if (phase.get() == READY) {
      handler.onMessage(this, json);
      return;
    }
    if (phase.get() != SETUP) {
      return;
    }
    String id = SetupReply.sessionIdIfSetupComplete(json);
    if (id == null) {
      failSetup(
          new LiveConnectException(
              "The service answered the setup with something other than setupComplete: "
                  + OkHttpConnector.abbreviate(json),
              false,
              null));
      return;
    }
    sessionId = id.isEmpty() ? null : id;
    if (!phase.compareAndSet(SETUP, READY)) {
      return; // failed meanwhile (timeout): the socket is aborted already
    }
    // In this listener call: the next frame is not asked for until the session has the connection.
    handler.onReady(this);
    if (!ready.complete(this)) {
      abortSocket();
    }
  }

  @Override
  public @Nullable CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
    named(
        () -> {
          // The JDK answers the close when this call returns; nothing can be sent after it.
          sends.shut();
          // Reported as OkHttp reports an end without a close frame: code 0.
          int c = code == NO_CLOSE_FRAME ? 0 : code;
          if (phase.get() == SETUP && failSetup(CloseCodes.classify("Setup", c, reason, null))) {
            return;
          }
          if (reported.compareAndSet(false, true)) {
            pings.stop();
            scheduler.schedule(
                "abort connection " + request.ordinal() + " after the close reply",
                OkHttpConnector.CLOSE_REPLY_WAIT,
                this::abortSocket);
            handler.onClosed(this, c, reason, null);
          }
        });
    lastCallbackDone();
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    named(() -> ended(0, String.valueOf(error), error));
    lastCallbackDone();
  }

  /** The connection ended without a close frame: reported once (or as the setup's failure). */
  private void ended(int code, String reason, @Nullable Throwable failure) {
    if (phase.get() == SETUP && failSetup(CloseCodes.classify("Setup", code, reason, failure))) {
      return;
    }
    if (reported.compareAndSet(false, true)) {
      abortSocket();
      handler.onClosed(this, code, reason, failure);
    }
  }

  /** Fails the setup unless it already ended; returns whether this call failed it. */
  private boolean failSetup(LiveConnectException e) {
    if (!phase.compareAndSet(SETUP, FAILED)) {
      return false;
    }
    reported.set(true);
    if (ready.completeExceptionally(e)) {
      log.debug("Connection {} failed during setup: {}", request.ordinal(), e.getMessage());
    }
    abortSocket();
    return true;
  }

  /** Aborts the socket (both directions at once); the JDK calls the listener no more. */
  void abortSocket() {
    abort = true;
    pings.stop();
    sends.shut();
    WebSocket ws = webSocket;
    if (ws != null) {
      ws.abort();
      // The JDK calls the listener no more once both directions are closed.
      lastCallbackDone();
    }
  }

  /** The JDK will call this connection no more: it lets go of the session's threads. */
  void lastCallbackDone() {
    if (holding.compareAndSet(true, false)) {
      request.threads().release();
    }
  }

  /**
   * Runs a listener call under a hold of the session's threads, with the worker named {@code
   * <session>-socket-<n>} while it runs (the worker is shared, so it gets its own name back). Only
   * the calls that open and end the connection are named: a frame's call runs for every frame, and
   * two renames (a system call each) and a hold would cost it about as much as the hand-off itself.
   */
  private void named(Runnable call) {
    SessionThreads threads = request.threads();
    if (!threads.hold()) {
      call.run();
      return;
    }
    Thread t = Thread.currentThread();
    String before = t.getName();
    t.setName(threadName);
    try {
      call.run();
    } finally {
      t.setName(before);
      threads.release();
    }
  }

  /** Whether the connection still runs (its end not reported, its socket not aborted). */
  boolean running() {
    return !reported.get() && !abort;
  }

  /** The ping went unanswered: the connection is taken for dead, as OkHttp takes it. */
  void pingUnanswered(SocketTimeoutException silent) {
    ended(0, String.valueOf(silent), silent);
  }

  // ---- sending: the connection's queue ----

  /** The socket, once open; null before. */
  @Nullable WebSocket socket() {
    return webSocket;
  }

  /** A write failed: the connection is broken. */
  void sendFailed(Throwable failure) {
    log.debug("Connection {}: a send failed: {}", request.ordinal(), String.valueOf(failure));
    ended(0, String.valueOf(failure), failure);
  }

  @Override
  public boolean send(String json) {
    return sends.send(json);
  }

  @Override
  public long queueSize() {
    return sends.queueSize();
  }

  @Override
  public void close(int code, String reason) {
    sends.close(code, reason);
  }

  @Override
  public void cancel() {
    IOException canceled = new IOException("Canceled");
    abortSocket();
    ended(0, String.valueOf(canceled), canceled);
  }

  @Override
  public @Nullable String sessionId() {
    return sessionId;
  }

  @Override
  public int ordinal() {
    return request.ordinal();
  }
}
