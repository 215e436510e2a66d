package dev.geminilive.internal;

import dev.geminilive.ContextRestoration;
import dev.geminilive.LiveAuth;
import dev.geminilive.LiveConnectException;
import dev.geminilive.LiveException;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionSpec;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session's life across its connections, as a state machine over {@link Phase}s: opening a
 * connection, using it, moving after {@code goAway}, waiting out a backoff, and the end. It asks
 * the {@link ReconnectController} what to do after a drop, the {@link GoAwayPlanner} when to move,
 * the {@link StallWatchdog} whether a silent connection is dead, and hands frames to the {@link
 * FrameHandler}.
 *
 * <p>Every method runs on the session's {@link SerialQueue} and every field is owned by it, except
 * the volatile ones, which {@link #abandonConnects()} reads when the session ends from another
 * thread.
 */
final class SessionCore {
  private static final Logger log = LoggerFactory.getLogger(SessionCore.class);

  private final RealLiveSession session;
  private final SessionSpec spec;
  private final String name;
  private final SerialQueue queue;
  private final OutboundQueue outbound;
  private final ConversationLog conversation;
  private final SessionObserver observer;
  private final ListenerDispatcher events;
  private final SessionCounters counters;
  private final ResumptionState resumption;
  private final ReplyLedger ledger;
  private final ReconnectController reconnect;
  private final ConnectionWatch watch;
  private final SessionEnd end;
  private final Consumer<Connection> closer;
  private @Nullable ConnectionOpener opener;
  private @Nullable FrameHandler frames;
  private final CompletableFuture<ResilientLiveSession> opened;

  private Phase phase = new Phase.Opening(1, true, null, false);
  // When the service session in use began: the newest connection opened without a handle.
  private long serviceSessionStartNanos;
  // For the end of the session on another thread: the connect in flight and the connection a move
  // is leaving (written on the queue).
  private volatile @Nullable CompletableFuture<Connection> connecting;
  private volatile @Nullable Connection movingFrom;
  // Stamped by senders (a request) and socket readers (a frame), read by the stall check.
  private volatile long lastRequestNanos;
  private volatile long lastFrameNanos;

  /** How the session ends: the one way, whichever thread asks. */
  interface SessionEnd {
    void end(@Nullable LiveException failure);
  }

  SessionCore(
      RealLiveSession session,
      SessionSpec spec,
      SerialQueue queue,
      OutboundQueue outbound,
      ConversationLog conversation,
      SessionObserver observer,
      ListenerDispatcher events,
      SessionCounters counters,
      ResumptionState resumption,
      ReplyLedger ledger,
      CompletableFuture<ResilientLiveSession> opened,
      SessionEnd end,
      Consumer<Connection> closer) {
    this.session = session;
    this.spec = spec;
    this.name = session.name();
    this.queue = queue;
    this.outbound = outbound;
    this.conversation = conversation;
    this.observer = observer;
    this.events = events;
    this.counters = counters;
    this.resumption = resumption;
    this.ledger = ledger;
    this.opened = opened;
    this.end = end;
    this.closer = closer;
    this.reconnect =
        new ReconnectController(
            spec.reconnectPolicy(), () -> ThreadLocalRandom.current().nextDouble());
    this.watch =
        new ConnectionWatch(
            this,
            session,
            queue,
            outbound,
            observer,
            events,
            resumption,
            ledger,
            new StallWatchdog(spec.stallTimeout()));
  }

  /** Wires the parts made after this one. */
  void wire(ConnectionOpener opener, FrameHandler frames) {
    this.opener = opener;
    this.frames = frames;
    watch.wire(frames);
  }

  // ---------------------------------------------------------------- any thread

  /** A send asked the model for a reply (any thread). */
  void requestSent(long nanos) {
    lastRequestNanos = nanos;
  }

  /** A frame arrived (the socket's thread). */
  void frameArrived(long nanos) {
    lastFrameNanos = nanos;
  }

  /** Abandons a connect in flight and the connection a move is leaving; the session has ended. */
  void abandonConnects() {
    CompletableFuture<Connection> inFlight = connecting;
    if (inFlight != null && !inFlight.cancel(false)) {
      // Cancelling abandons a connect in flight (the connector releases its socket); one that
      // completed already is closed.
      inFlight.thenAccept(closer);
    }
    Connection leaving = movingFrom;
    if (leaving != null) {
      leaving.cancel();
    }
  }

  // ---------------------------------------------------------------- opening

  /** Opens the first connection. */
  void start() {
    open((Phase.Opening) phase);
  }

  private void open(Phase.Opening opening) {
    enter(opening);
    resumption.opening(opening.handle);
    counters.connections = opening.ordinal;
    observer.connectionStarted(opening.ordinal, opening.handle != null);
    boolean seeded =
        opening.rebuild || (opening.first && opening.handle == null && !spec.history().isEmpty());
    requireNonNull(opener)
        .open(
            opening.ordinal,
            opening.handle,
            seeded,
            (c, setupVersion) -> {
              opening.connect = c;
              opening.setupVersion = setupVersion;
              connecting = c;
              if (outbound.isTerminal() && !c.cancel(false)) {
                // The session ended while this connect was being started.
                c.thenAccept(closer);
              }
            })
        .whenCompleteAsync((c, e) -> connectDone(opening, e), queue::execute);
  }

  private void connectDone(Phase.Opening opening, @Nullable Throwable e) {
    if (e == null || outbound.isTerminal()) {
      return; // installed by onReady, or the session ended
    }
    LiveException failure = RealLiveSession.unwrap(e);
    observer.connectionFailed(opening.ordinal, failure);
    if (opening.first) {
      end.end(ReconnectController.firstConnectFailed(failure));
      return;
    }
    if (phase != opening) {
      return;
    }
    switch (reconnect.attemptFailed(failure, opening.handle != null, renewableTokens())) {
      case FRESH_SESSION -> {
        LiveConnectException lce = (LiveConnectException) failure;
        boolean refused = CloseCodes.isHandleRefused(lce.closeCode(), lce.closeReason());
        log.warn(
            "{}: the resume was refused ({} {}); opening a fresh session seeded with the"
                + " conversation",
            name,
            lce.closeCode(),
            lce.closeReason());
        resumption.abandon();
        retry((refused ? "handle refused: " : "resume refused: ") + lce.closeReason(), true);
      }
      case RETRY -> retry(failure.getMessage(), false);
      case FAIL -> end.end(failure);
    }
  }

  /** A connection finished its setup ({@link Connection.Handler#onReady}). */
  void installed(Connection c) {
    if (!(phase instanceof Phase.Opening opening) || outbound.isTerminal()) {
      closer.accept(c); // set up after the end, or for an attempt given up
      return;
    }
    String usedHandle = opening.handle;
    long now = queue.nanoTime();
    OutboundQueue.Installed installed =
        outbound.install(
            c, now, firstLogSeq -> resumption.seedFrame(conversation, spec, opening, firstLogSeq));
    if (installed == null) {
      closer.accept(c);
      return;
    }
    outbound.retainStale(requireNonNull(frames).answersMayCome());
    ledger.reset(resumption.coveredThrough());
    lastFrameNanos = now;
    connecting = null;
    Phase.Active active = new Phase.Active(c, now, opening.setupVersion);
    enter(active);
    if (usedHandle == null || opening.first) {
      // A new service session (or one resumed from a builder's handle, whose age is unknown).
      serviceSessionStartNanos = now;
    }
    reconnect.connected(now, opening.first);
    counters.reconnects = reconnect.reconnects();
    observer.connectionOpened(c.ordinal(), c.sessionId());
    if (installed.replayed() > 0) {
      observer.messagesReplayed(installed.replayed());
    }
    frames.connectionStarted();
    if (opening.first) {
      log.info("{}: connected to {} (session id {})", name, spec.model(), c.sessionId());
      events.deliver(l -> l.onOpen(session));
      opened.complete(session);
      session.greet();
    } else {
      ContextRestoration restoration =
          usedHandle != null
              ? ContextRestoration.RESUMED
              : opening.rebuild ? ContextRestoration.REBUILT_FROM_HISTORY : ContextRestoration.LOST;
      log.info("{}: reconnected ({}), connection {}", name, restoration, c.ordinal());
      observer.reconnected(restoration);
      events.deliver(l -> l.onReconnected(session, restoration));
    }
    session.context().connectionInUse(opening.setupVersion);
    watch.expecting();
    watch.planLimits(active, serviceSessionStartNanos);
    // An update made while this connection was being set up that its setup does not carry.
    watch.contextChanged();
  }

  // ---------------------------------------------------------------- frames and ends

  /** Whether {@code c} is the connection in use. */
  boolean isCurrent(Connection c) {
    return phase instanceof Phase.Active a && a.connection == c;
  }

  /** A connection ended ({@link Connection.Handler#onClosed}). */
  void closed(Connection c, int code, String reason, @Nullable Throwable failure) {
    if (phase instanceof Phase.Moving moving && moving.from == c) {
      movingFrom = null;
      retry("planned move: " + moving.why, true);
      return;
    }
    if (!isCurrent(c) || outbound.isTerminal()) {
      return;
    }
    outbound.detach();
    String described = CloseCodes.describe(code, reason);
    counters.lastCloseReason = described;
    LiveConnectException e =
        CloseCodes.classify(
            "Connection " + c.ordinal() + " to " + spec.model(), code, reason, failure);
    log.warn("{}: {}", name, e.getMessage());
    if (CloseCodes.isHandleRefused(code, reason)) {
      resumption.abandon();
    }
    boolean renewableToken = CloseCodes.isTokenSpent(code, reason) && renewableTokens();
    boolean refused = !e.isRetryable() && !renewableToken;
    observer.connectionClosed(
        c.ordinal(), CloseCodes.disconnectCause(refused, code, reason), code, reason);
    if (refused) {
      enter(new Phase.Waiting(0));
      end.end(e);
      return;
    }
    if (!ledger.modelIdle()) {
      // The reply was cut off; the resumed model answers again, so stale audio must stop.
      observer.interrupted();
      events.deliver(l -> l.onInterrupted(session));
    }
    outageBegins();
    retry(described, false);
  }

  /** A connection that was set up has ended, or is being left: a new outage begins. */
  void outageBegins() {
    reconnect.outageBegins(queue.nanoTime());
    outbound.markStale(resumption.callsUnknownToHandle());
  }

  void retry(String cause, boolean planned) {
    if (outbound.isTerminal()) {
      return;
    }
    ReconnectController.Decision decision = reconnect.next(cause, planned, queue.nanoTime());
    if (decision instanceof ReconnectController.Decision.GiveUp giveUp) {
      end.end(new LiveConnectException(giveUp.message(), false, null));
      return;
    }
    ReconnectController.Decision.Retry r = (ReconnectController.Decision.Retry) decision;
    Phase.Waiting waiting = new Phase.Waiting(r.attempt());
    enter(waiting);
    // The timer first: whoever sees the event can already see the attempt it announces.
    waiting.timer =
        queue.schedule("reconnect attempt " + r.attempt(), r.delay(), () -> attempt(waiting));
    Reconnecting event = new Reconnecting(r.attempt(), r.delay(), planned, cause);
    observer.reconnecting(event);
    events.deliver(l -> l.onReconnecting(session, event));
  }

  private void attempt(Phase.Waiting waiting) {
    if (phase != waiting || outbound.isTerminal()) {
      return;
    }
    String h =
        resumption.handleForAttempt(
            name,
            queue.nanoTime(),
            ServiceLimits.handleLifetime(spec.auth()),
            reconnect.shouldAbandonHandle());
    boolean rebuild = h == null && !conversation.isEmpty();
    open(new Phase.Opening(counters.connections + 1, false, h, rebuild));
  }

  // ---------------------------------------------------------------- the connection in use

  /** The part that watches the connection in use: the goAway move and the stall check. */
  ConnectionWatch watch() {
    return watch;
  }

  /** The phase the session is in. */
  Phase phase() {
    return phase;
  }

  /** The connection a planned move is leaving, for the end of the session; null once it closed. */
  void movingFrom(@Nullable Connection c) {
    movingFrom = c;
  }

  /** The newest times a request was sent and a frame arrived, for the stall check. */
  long lastActivityNanos() {
    return Math.max(lastFrameNanos, lastRequestNanos);
  }

  // ---------------------------------------------------------------- the end

  /** The session has ended (the outbound side is closed already): the last steps, on the queue. */
  void finish(@Nullable LiveException failure, Runnable afterTerminal) {
    enter(new Phase.Ended(failure));
    requireNonNull(frames).close();
    events.terminal(failure, afterTerminal);
  }

  void enter(Phase next) {
    if (phase instanceof Phase.Ended) {
      return;
    }
    phase.leave();
    phase = next;
  }

  private boolean renewableTokens() {
    return spec.auth() instanceof LiveAuth.EphemeralToken t && t.renewable();
  }

  private static <T> T requireNonNull(@Nullable T value) {
    if (value == null) {
      throw new IllegalStateException("not wired");
    }
    return value;
  }
}
