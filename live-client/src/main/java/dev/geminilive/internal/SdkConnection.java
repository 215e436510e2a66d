package dev.geminilive.internal;

import com.google.genai.AsyncSession;
import com.google.genai.types.LiveServerMessage;
import dev.geminilive.LiveConnectException;
import dev.geminilive.LiveScheduler;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection over the SDK's {@code AsyncSession}: the setup decided once, writes in order (each
 * SDK send waits for the previous one, SDK-GAPS Q2), the end reported once from whichever death
 * signal comes first ({@link SdkSocketWatch}, the SDK's log through {@link SdkLogBridge}, a failed
 * send, a cancel), and no frame after it.
 *
 * <p>Thread-safe: each field states its lock, or is atomic or volatile.
 */
final class SdkConnection implements Connection, SdkSocketWatch.Listener, SdkLogBridge.Target {
  private static final int SETUP = 0;
  private static final int READY = 1;
  private static final int FAILED = 2;
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private static final Logger log = LoggerFactory.getLogger(SdkConnection.class);

  private final SdkConnector connector;
  private final String model;
  private final ConnectRequest request;
  private final Connection.Handler handler;
  final CompletableFuture<Connection> ready = new CompletableFuture<>();
  final SdkSocketWatch watch = new SdkSocketWatch(this);
  private final AtomicInteger phase = new AtomicInteger(SETUP);
  // Guarded by this: the log bridge is held until the connection has ended AND its reader
  // task has returned, because the SDK logs the end (onClosing, onFailure) on the reader thread
  // after the signal that ended the connection; releasing earlier would let those records reach
  // stderr.
  private boolean finished;
  private boolean readerRunning;
  private boolean released;
  private final AtomicLong queued = new AtomicLong();
  volatile LiveScheduler.@Nullable ScheduledTask timeout;
  // Set on the reader thread before the connection is handed out.
  private volatile @Nullable AsyncSession session;
  private volatile @Nullable String sessionId;
  // No new sends (close() called or dead); guarded by sendLock.
  private boolean closing;
  // The socket is gone: queued writes are skipped.
  private volatile boolean dead;
  private final Object sendLock = new Object();
  // Guarded by sendLock: the last write; each write waits for it (SDK-GAPS Q2).
  private CompletableFuture<Void> tail = DONE;
  // Guarded by deliverLock: onClosed was called (or is being), so no frame may follow.
  private boolean ended;
  private final Object deliverLock = new Object();

  SdkConnection(
      SdkConnector connector, String model, ConnectRequest request, Connection.Handler handler) {
    this.connector = connector;
    this.model = model;
    this.request = request;
    this.handler = handler;
  }

  /** The SDK's connect future completed; on the reader thread when it succeeded. */
  void setupFinished(@Nullable AsyncSession s, @Nullable Throwable failure) {
    if (failure != null || s == null) {
      failSetup(
          connector.setupFailure(
              request.url(), failure != null ? failure : new IllegalStateException("no session")));
      return;
    }
    session = s;
    if (!phase.compareAndSet(SETUP, READY)) {
      // Timed out or failed meanwhile: the SDK would leave the socket open.
      watch.closeAll();
      return;
    }
    cancelTimeout();
    sessionId =
        s.setupComplete() == null
            ? null
            : s.setupComplete().sessionId().filter(id -> !id.isEmpty()).orElse(null);
    handler.onReady(this);
    // Still on the reader thread: no frame after setupComplete has been read yet.
    s.receive(this::deliver);
    if (!ready.complete(this)) {
      // Abandoned by the caller meanwhile.
      ended(0, "connect abandoned", null);
    }
  }

  /** The caller cancelled the connect: the socket is closed, whatever phase it reached. */
  void abandon() {
    if (!failSetup(new LiveConnectException("Connect abandoned", false, null))) {
      ended(0, "connect abandoned", null);
    }
  }

  private void deliver(LiveServerMessage message) {
    String json = message.toJson();
    synchronized (deliverLock) {
      if (!ended) {
        handler.onMessage(this, json);
      }
    }
  }

  /** Fails the connect once; closes the socket the SDK would leak. */
  boolean failSetup(LiveConnectException e) {
    if (!phase.compareAndSet(SETUP, FAILED)) {
      return false;
    }
    cancelTimeout();
    dead = true;
    log.debug("Connection {} failed during setup: {}", request.ordinal(), e.getMessage());
    ready.completeExceptionally(e);
    watch.closeAll();
    release();
    return true;
  }

  /** The connection is gone; reports it once. */
  private void ended(int code, String reason, @Nullable Throwable failure) {
    if (phase.get() == SETUP
        && failSetup(CloseCodes.classify("Setup of " + model, code, reason, failure))) {
      return;
    }
    if (phase.get() != READY) {
      return;
    }
    synchronized (deliverLock) {
      if (ended) {
        return;
      }
      ended = true;
    }
    dead = true;
    synchronized (sendLock) {
      closing = true;
    }
    watch.closeAll();
    release();
    handler.onClosed(this, code, reason, failure);
  }

  private void cancelTimeout() {
    LiveScheduler.ScheduledTask t = timeout;
    if (t != null) {
      t.cancel();
    }
  }

  void readerStarted(Thread reader) {
    synchronized (this) {
      readerRunning = true;
    }
    SdkLogBridge.readerStarted(reader, this);
  }

  void readerEnded(Thread reader) {
    SdkLogBridge.readerEnded(reader);
    boolean release;
    synchronized (this) {
      readerRunning = false;
      release = finished && !released;
      released |= release;
    }
    if (release) {
      SdkLogBridge.release();
    }
  }

  /** The connection has ended or failed its setup. */
  private void release() {
    boolean release;
    synchronized (this) {
      finished = true;
      release = !readerRunning && !released;
      released |= release;
    }
    if (release) {
      SdkLogBridge.release();
    }
  }

  // ------------------------------------------------------------ death signals

  @Override
  public void closeFrame(int code, String reason) {
    ended(code, reason, null);
  }

  @Override
  public void transportFailure(Throwable failure) {
    if (phase.get() == SETUP && failSetup(connector.setupFailure(request.url(), failure))) {
      return;
    }
    ended(0, String.valueOf(failure), failure);
  }

  // Socket signals count only once the connection is set up: during setup OkHttp closes the
  // sockets of routes it gives up on and tries the next address (IPv6, then IPv4), and every
  // real setup failure reaches the SDK's connect future or the log bridge anyway.

  @Override
  public void socketClosed() {
    if (phase.get() == READY) {
      ended(0, "socket closed", null);
    }
  }

  @Override
  public void inputEnded(String what, @Nullable IOException failure) {
    if (phase.get() == READY) {
      ended(0, what, failure);
    }
  }

  // ------------------------------------------------------------ Connection

  @Override
  public boolean send(String json) {
    Function<AsyncSession, CompletableFuture<Void>> call = SdkConnector.call(json);
    long bytes = json.length();
    synchronized (sendLock) {
      if (closing) {
        return false;
      }
      queued.addAndGet(bytes);
      tail = tail.thenCompose(ignored -> write(call, bytes));
    }
    return true;
  }

  /** Runs one SDK send after the previous one completed; never fails. */
  private CompletableFuture<Void> write(
      Function<AsyncSession, CompletableFuture<Void>> call, long bytes) {
    AsyncSession s = session;
    if (dead || s == null) {
      queued.addAndGet(-bytes);
      return DONE;
    }
    CompletableFuture<Void> sent;
    try {
      sent = call.apply(s);
    } catch (RuntimeException e) {
      queued.addAndGet(-bytes);
      ended(0, "send failed: " + e, e);
      return DONE;
    }
    return sent.handle(
        (v, e) -> {
          queued.addAndGet(-bytes);
          if (e != null) {
            ended(0, "send failed: " + e, e);
          }
          return null;
        });
  }

  @Override
  public long queueSize() {
    return queued.get();
  }

  /** Sends the SDK's close (always 1000 "Client closing") after the queued frames. */
  @Override
  public void close(int code, String reason) {
    synchronized (sendLock) {
      if (closing) {
        return;
      }
      closing = true;
      tail =
          tail.thenCompose(
              ignored -> {
                AsyncSession s = session;
                return dead || s == null ? DONE : s.close().exceptionally(e -> null);
              });
    }
  }

  @Override
  public void cancel() {
    ended(0, "cancelled", null);
  }

  @Override
  public @Nullable String sessionId() {
    return sessionId;
  }

  @Override
  public int ordinal() {
    return request.ordinal();
  }

  @Override
  public String toString() {
    return "SdkConnection[" + request.ordinal() + "]";
  }
}
