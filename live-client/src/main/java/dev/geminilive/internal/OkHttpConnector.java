package dev.geminilive.internal;

import dev.geminilive.LiveAuthException;
import dev.geminilive.LiveConnectException;
import dev.geminilive.LiveScheduler;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default connector: an OkHttp WebSocket the library owns. It sees every close code, answers
 * the service's close frame (so no connection is left half-closed), writes in order, closes the
 * socket when setup fails, and hands frames to the session without losing the early ones.
 */
public final class OkHttpConnector implements Connector {
  private static final Logger log = LoggerFactory.getLogger(OkHttpConnector.class);

  /** The longest a reply to the service's close frame may take before the socket is cancelled. */
  static final Duration CLOSE_REPLY_WAIT = Duration.ofSeconds(1);

  /** Dispatcher limit for connections (OkHttp's default of 64 caps open WebSockets). */
  static final int MAX_REQUESTS = 100_000;

  private final OkHttpClient base;
  private final Dispatcher dispatcher;
  private final LiveScheduler scheduler;

  /**
   * A connector deriving its connections from {@code base} (which it never shuts down), timing its
   * connects and close replies on {@code scheduler}'s clock.
   */
  public OkHttpConnector(OkHttpClient base, LiveScheduler scheduler) {
    this.base = base;
    this.scheduler = scheduler;
    // Every open WebSocket holds a dispatcher slot: a caller's client with OkHttp's default limit
    // of 64 would make the 65th session hang. Its limits are not ours to change, so raise them
    // on a dispatcher of our own over its thread pool.
    Dispatcher given = base.dispatcher();
    if (given.getMaxRequests() >= MAX_REQUESTS && given.getMaxRequestsPerHost() >= MAX_REQUESTS) {
      this.dispatcher = given;
    } else {
      this.dispatcher = new Dispatcher(given.executorService());
      dispatcher.setMaxRequests(MAX_REQUESTS);
      dispatcher.setMaxRequestsPerHost(MAX_REQUESTS);
    }
  }

  @Override
  public CompletableFuture<Connection> connect(ConnectRequest request, Connection.Handler handler) {
    NoDelaySocketFactory sockets = new NoDelaySocketFactory();
    OkHttpClient client = WebSocketRequests.client(base, dispatcher, request, sockets);
    Request http;
    try {
      http = WebSocketRequests.upgrade(request);
    } catch (LiveAuthException e) {
      return CompletableFuture.failedFuture(e);
    }
    RealConnection connection =
        new RealConnection(
            request, handler, WebSocketRequests.ownsSockets(base) ? sockets::socket : () -> null);
    try {
      connection.webSocket = client.newWebSocket(http, connection);
    } catch (RuntimeException | Error e) {
      connection.lastCallbackDone();
      throw e;
    }
    connection.ready.whenComplete(
        (c, e) -> {
          if (connection.ready.isCancelled()) {
            // The caller abandoned the connect.
            connection.phase.compareAndSet(SETUP, FAILED);
            connection.reported.set(true);
            connection.webSocket.cancel();
          }
        });
    LiveScheduler.ScheduledTask timeout =
        scheduler.schedule(
            "connect timeout of connection " + request.ordinal(),
            request.connectTimeout(),
            () -> {
              if (connection.phase.get() == SETUP) {
                connection.failSetup(
                    new LiveConnectException(
                        "Connect timeout: no setupComplete within "
                            + request.connectTimeout().toMillis()
                            + " ms from "
                            + request.url(),
                        true,
                        null));
              }
            });
    connection.ready.whenComplete((c, e) -> timeout.cancel());
    return connection.ready;
  }

  private static final int SETUP = 0;
  private static final int READY = 1;
  private static final int FAILED = 2;

  private final class RealConnection extends WebSocketListener implements Connection {
    private final ConnectRequest request;
    private final Connection.Handler handler;
    final CompletableFuture<Connection> ready = new CompletableFuture<>();
    // SETUP until setupComplete arrives (READY) or the setup fails (FAILED); decided once, by
    // whichever comes first of the reader, the timeout and a failure. The ready future cannot
    // stand for it: it completes after onReady, and a timeout in between would fail a connection
    // the session already uses, which then never reports its end.
    final AtomicInteger phase = new AtomicInteger(SETUP);
    // Whether the end of the connection was reported (or must never be: a failed setup).
    final AtomicBoolean reported = new AtomicBoolean();
    volatile WebSocket webSocket;
    private volatile @Nullable String sessionId;
    // The connection's hold on the session's named threads, from its start to OkHttp's last
    // callback (onClosed or onFailure: OkHttp makes no call after either).
    private final AtomicBoolean holding;
    private final String threadName;
    // The thread that reads the socket (OkHttp calls onOpen on it, then reads on it), and its name
    // before the session's: it carries the session's name from onOpen until it reads no more.
    private volatile @Nullable Thread reader;
    private volatile String readerOwnName = "";
    // Set once the reader reads no more (a close frame read, or the socket's end reported): by the
    // reader itself (it gives its name back when that callback returns) or by another thread
    // (which gives the reader its name back).
    private final AtomicBoolean readerDone = new AtomicBoolean();
    // Nagle's algorithm while a burst backs the socket up, TCP_NODELAY otherwise.
    private final BurstCoalescing coalescing;

    RealConnection(ConnectRequest request, Handler handler, Supplier<@Nullable Socket> socket) {
      this.request = request;
      this.handler = handler;
      this.coalescing = new BurstCoalescing(socket, this::queueSize, scheduler, request.ordinal());
      this.holding = new AtomicBoolean(request.threads().hold());
      this.threadName = request.sessionName() + "-socket-" + request.ordinal();
    }

    /**
     * Runs one of OkHttp's callbacks under a hold of the session's threads, with the thread named
     * {@code <session>-socket-<n>}. The reader keeps that name between callbacks while it reads
     * (thread dumps say whose socket it is); any other thread, and the reader once it reads no
     * more, gets its own name back before the hold is let go.
     */
    private void named(Runnable callback) {
      SessionThreads threads = request.threads();
      if (!threads.hold()) {
        callback.run();
        return;
      }
      Thread t = Thread.currentThread();
      String before = t.getName();
      if (!before.equals(threadName)) {
        // The reader, named already while it reads, is not renamed for every frame.
        t.setName(threadName);
      }
      try {
        callback.run();
      } finally {
        if (t != reader) {
          t.setName(before);
        } else if (readerDone.get()) {
          t.setName(readerOwnName);
        }
        threads.release();
      }
    }

    /** On the reader: it reads no more after this callback. */
    private void readerStops() {
      readerDone.set(true);
    }

    /**
     * The socket's end was reported (on any thread): the reader reads no more. If this thread is
     * not the reader and the reader has not stopped by itself, the reader gets its own name back
     * here, as OkHttp makes no call on it again.
     */
    private void socketEnded() {
      Thread r = reader;
      if (readerDone.compareAndSet(false, true)
          && r != null
          && r != Thread.currentThread()
          && r.getName().equals(threadName)) {
        r.setName(readerOwnName);
      }
    }

    /** OkHttp's last callback for this connection has run: it lets go of the session's threads. */
    void lastCallbackDone() {
      if (holding.compareAndSet(true, false)) {
        request.threads().release();
      }
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      // OkHttp reads the socket on this thread until it ends.
      readerOwnName = Thread.currentThread().getName();
      reader = Thread.currentThread();
      named(
          () -> {
            if (!webSocket.send(request.setupJson())) {
              failSetup(new LiveConnectException("Could not send the setup frame", true, null));
            }
          });
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      named(() -> receive(text));
    }

    @Override
    public void onMessage(WebSocket webSocket, ByteString bytes) {
      named(() -> receive(bytes.string(StandardCharsets.UTF_8)));
    }

    private void receive(String text) {
      if (phase.get() == READY) {
        handler.onMessage(this, text);
        return;
      }
      String id = SetupReply.sessionIdIfSetupComplete(text);
      if (id == null) {
        failSetup(
            new LiveConnectException(
                "The service answered the setup with something other than setupComplete: "
                    + abbreviate(text),
                false,
                null));
        return;
      }
      sessionId = id.isEmpty() ? null : id;
      if (!phase.compareAndSet(SETUP, READY)) {
        return; // failed meanwhile (timeout): the socket is cancelled already
      }
      // Completing here, on the reader thread, runs the session's continuation before the next
      // frame is read, so no early frame can overtake it.
      handler.onReady(this);
      if (!ready.complete(this)) {
        webSocket.cancel();
      }
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      named(
          () -> {
            if (Thread.currentThread() == reader) {
              // OkHttp reads no frame after a close frame.
              readerStops();
            }
            closing(webSocket, code, reason);
          });
    }

    private void closing(WebSocket webSocket, int code, String reason) {
      // Answer the close (RFC 6455 §5.5.1; the SDK's session never does, which leaves it
      // half-closed). OkHttp writes the reply after the frames already queued and then releases the
      // socket itself; cancelling now could drop the reply, so the socket is cancelled only if that
      // has not happened within CLOSE_REPLY_WAIT (a send queue too full to drain in time).
      try {
        webSocket.close(code, null);
      } catch (IllegalArgumentException reservedCode) {
        // 1005 (no code) and other codes a close frame may not carry.
        webSocket.close(1000, null);
      }
      if (phase.get() == SETUP && failSetup(CloseCodes.classify("Setup", code, reason, null))) {
        return;
      }
      if (reported.compareAndSet(false, true)) {
        scheduler.schedule(
            "cancel connection " + request.ordinal() + " after the close reply",
            CLOSE_REPLY_WAIT,
            webSocket::cancel);
        handler.onClosed(this, code, reason, null);
      }
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      named(
          () -> {
            try {
              ended(code, reason, null);
            } finally {
              socketEnded();
              lastCallbackDone();
            }
          });
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, @Nullable Response response) {
      named(
          () -> {
            try {
              failed(t, response);
            } finally {
              socketEnded();
              lastCallbackDone();
            }
          });
    }

    private void failed(Throwable t, @Nullable Response response) {
      if (response != null && phase.get() == SETUP) {
        int status = response.code();
        String message = response.message();
        response.close();
        if (failSetup(CloseCodes.forHttpStatus("Connect to " + request.url(), status, message))) {
          return;
        }
      }
      LiveConnectException unresolved =
          CloseCodes.unresolvedHost("Connect to " + request.url(), request.url(), t);
      if (unresolved != null && phase.get() == SETUP && failSetup(unresolved)) {
        return;
      }
      ended(0, String.valueOf(t), t);
    }

    private void ended(int code, String reason, @Nullable Throwable failure) {
      if (phase.get() == SETUP && failSetup(CloseCodes.classify("Setup", code, reason, failure))) {
        return;
      }
      if (reported.compareAndSet(false, true)) {
        webSocket.cancel();
        handler.onClosed(this, code, reason, failure);
      }
    }

    /** Fails the setup unless it already ended; returns whether this call failed it. */
    boolean failSetup(LiveConnectException e) {
      if (!phase.compareAndSet(SETUP, FAILED)) {
        return false;
      }
      reported.set(true);
      if (ready.completeExceptionally(e)) {
        log.debug("Connection {} failed during setup: {}", request.ordinal(), e.getMessage());
      }
      WebSocket ws = webSocket;
      if (ws != null) {
        ws.cancel();
      }
      return true;
    }

    @Override
    public boolean send(String json) {
      if (!webSocket.send(json)) {
        return false;
      }
      coalescing.afterSend();
      return true;
    }

    @Override
    public long queueSize() {
      return webSocket.queueSize();
    }

    @Override
    public void close(int code, String reason) {
      webSocket.close(code, reason);
    }

    @Override
    public void cancel() {
      webSocket.cancel();
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

  static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }
}
