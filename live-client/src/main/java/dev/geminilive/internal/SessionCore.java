package dev.geminilive.internal;

import dev.geminilive.ContextRestoration;
import dev.geminilive.LiveAuth;
import dev.geminilive.LiveAuthException;
import dev.geminilive.LiveConnectException;
import dev.geminilive.LiveException;
import dev.geminilive.LiveObserver.DisconnectCause;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionSpec;
import dev.geminilive.Turn;
import java.time.Duration;
import java.util.List;
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
  private final StallWatchdog watchdog;
  private final SessionEnd end;
  private final Consumer<Connection> closer;
  private @Nullable ConnectionOpener opener;
  private @Nullable FrameHandler frames;
  private final CompletableFuture<ResilientLiveSession> opened;

  private Phase phase = new Phase.Opening(1, true, null, false);
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
    this.watchdog = new StallWatchdog(spec.stallTimeout());
  }

  /** Wires the parts made after this one. */
  void wire(ConnectionOpener opener, FrameHandler frames) {
    this.opener = opener;
    this.frames = frames;
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
            c -> {
              opening.connect = c;
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
      end.end(firstConnectFailed(failure));
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

  private static LiveException firstConnectFailed(LiveException ex) {
    String message = "The first connection failed (not retried): " + ex.getMessage();
    if (ex instanceof LiveAuthException lae) {
      return new LiveAuthException(message, lae.closeCode(), lae.closeReason(), ex);
    }
    if (ex instanceof LiveConnectException lce) {
      return new LiveConnectException(message, lce.closeCode(), lce.closeReason(), false, ex);
    }
    return ex;
  }

  /** A connection finished its setup ({@link Connection.Handler#onReady}). */
  void installed(Connection c) {
    if (!(phase instanceof Phase.Opening opening) || outbound.isTerminal()) {
      closer.accept(c); // set up after the end, or for an attempt given up
      return;
    }
    String usedHandle = opening.handle;
    boolean seedHistory = opening.first && usedHandle == null && !spec.history().isEmpty();
    long now = queue.nanoTime();
    OutboundQueue.Installed installed =
        outbound.install(
            c, now, firstLogSeq -> seedFrame(opening, usedHandle, seedHistory, firstLogSeq));
    if (installed == null) {
      closer.accept(c);
      return;
    }
    outbound.retainStale(requireNonNull(frames).toolsInFlight());
    ledger.reset(resumption.coveredThrough());
    lastFrameNanos = now;
    connecting = null;
    enter(new Phase.Active(c, now));
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
      greet();
    } else {
      ContextRestoration restoration =
          usedHandle != null
              ? ContextRestoration.RESUMED
              : opening.rebuild ? ContextRestoration.REBUILT_FROM_HISTORY : ContextRestoration.LOST;
      log.info("{}: reconnected ({}), connection {}", name, restoration, c.ordinal());
      observer.reconnected(restoration);
      events.deliver(l -> l.onReconnected(session, restoration));
    }
    expecting();
  }

  /** The seed for a new connection: history or the conversation so far; under the send lock. */
  private @Nullable String seedFrame(
      Phase.Opening opening, @Nullable String usedHandle, boolean seedHistory, long firstLogSeq) {
    List<Turn> seed = null;
    if (opening.rebuild) {
      // What is replayed must not be in the seed too, or the model gets it twice.
      seed = conversation.snapshot(firstLogSeq);
      conversation.forgetServiceWordsFrom(firstLogSeq);
    } else if (seedHistory) {
      seed = spec.history();
    }
    if (usedHandle != null) {
      // The resumed service is back where the handle was; its later words are not in its state.
      conversation.forgetServiceWordsFrom(resumption.logSeqOfOpening());
      // Speech replayed because the handle does not cover it is heard again: its earlier
      // transcript would otherwise be logged twice (a handle may arrive after the speech began).
      conversation.forgetHeardFrom(firstLogSeq);
    }
    if (seed == null || seed.isEmpty()) {
      return null;
    }
    // On models that take client content only as initial history, it must say turnComplete.
    return Frames.clientContent(seed, !spec.profile().clientContentAnytime());
  }

  private void greet() {
    String g = spec.greeting();
    if (g != null) {
      if (spec.profile().clientContentAnytime()) {
        session.sendGreeting(
            Outgoing.Kind.CLIENT_CONTENT, Frames.clientContent(List.of(Turn.user(g)), true));
      } else {
        session.sendGreeting(Outgoing.Kind.TEXT, Frames.text(g));
      }
    }
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
        c.ordinal(),
        refused
            ? DisconnectCause.REFUSED
            : reason.startsWith(StallWatchdog.STALLED)
                ? DisconnectCause.STALLED
                : code == 0 ? DisconnectCause.NETWORK : DisconnectCause.SERVER_CLOSE,
        code,
        reason);
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
  private void outageBegins() {
    reconnect.outageBegins(queue.nanoTime());
    outbound.markStale(resumption.callsUnknownToHandle());
  }

  private void retry(String cause, boolean planned) {
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
    String h = resumption.handle();
    if (h != null && reconnect.shouldAbandonHandle()) {
      // The service keeps refusing the resume (it may still hold the old socket): carry on as a
      // fresh session seeded with the conversation rather than fail the call.
      log.warn("{}: the resume was refused again and again; opening a fresh session", name);
      resumption.abandon();
      h = null;
    }
    boolean rebuild = h == null && !conversation.isEmpty();
    open(new Phase.Opening(counters.connections + 1, false, h, rebuild));
  }

  // ---------------------------------------------------------------- goAway

  /** The service announced the end of connection {@code c} in {@code timeLeft}. */
  void goAway(Connection c, Duration timeLeft) {
    if (!(phase instanceof Phase.Active active) || active.connection != c) {
      return;
    }
    log.info("{}: goAway with {} left on connection {}", name, timeLeft, c.ordinal());
    active.goAwayPending = true;
    boolean now = naturalPause();
    if (!now && active.goAwayDeadline == null) {
      active.goAwayDeadline =
          queue.schedule(
              "goAway deadline",
              GoAwayPlanner.moveWithin(timeLeft),
              () -> {
                if (phase == active) {
                  move("goAway deadline");
                }
              });
    }
    // After the timer: whoever sees the event can already see the deadline it set.
    observer.goAway(timeLeft);
    events.deliver(l -> l.onGoAway(session, timeLeft));
    if (now) {
      move("goAway");
    }
  }

  /** Moves now if a {@code goAway} is pending and the conversation is at a natural pause. */
  void maybeMove() {
    if (phase instanceof Phase.Active active && active.goAwayPending && naturalPause()) {
      move("goAway");
    }
  }

  private boolean naturalPause() {
    return GoAwayPlanner.isNaturalPause(
        ledger.modelIdle(),
        requireNonNull(frames).toolsInFlight().isEmpty(),
        resumption.fresh(),
        outbound.lastRequest() <= resumption.coveredThrough());
  }

  /** Closes the connection in use, then resumes on a new one (the service refuses an overlap). */
  private void move(String why) {
    if (!(phase instanceof Phase.Active active) || outbound.isTerminal()) {
      return;
    }
    Connection old = active.connection;
    outbound.detach();
    Phase.Moving moving = new Phase.Moving(old, why);
    enter(moving);
    movingFrom = old;
    outageBegins();
    observer.connectionClosed(old.ordinal(), DisconnectCause.GO_AWAY, 1000, why);
    old.close(1000, "Moving to a new connection");
    moving.closeWait =
        queue.schedule(
            "close wait of connection " + old.ordinal(),
            GoAwayPlanner.CLOSE_WAIT,
            () -> {
              if (phase == moving) {
                old.cancel();
                movingFrom = null;
                retry("planned move: " + why, true);
              }
            });
  }

  // ---------------------------------------------------------------- stalls

  /** Something the service should answer has happened: make sure a stall check is set. */
  void expecting() {
    if (phase instanceof Phase.Active active && active.stallCheck == null) {
      checkStall(active);
    }
  }

  private void checkStall(Phase.Active active) {
    active.stallCheck = null;
    StallWatchdog.Verdict verdict =
        watchdog.check(
            queue.nanoTime(),
            Math.max(lastFrameNanos, lastRequestNanos),
            ledger.expectsOutput(outbound.lastRequest()),
            !requireNonNull(frames).toolsInFlight().isEmpty());
    if (verdict instanceof StallWatchdog.Verdict.CheckAgain again) {
      active.stallCheck =
          queue.schedule(
              "stall check",
              again.in(),
              () -> {
                if (phase == active) {
                  checkStall(active);
                }
              });
    } else if (verdict instanceof StallWatchdog.Verdict.Stalled stalled) {
      Connection c = active.connection;
      log.warn(
          "{}: no frame for {} ms in the middle of a turn; taking connection {} for dead",
          name,
          stalled.silent().toMillis(),
          c.ordinal());
      c.cancel();
      closed(c, 0, StallWatchdog.reason(stalled.silent()), null);
    }
  }

  // ---------------------------------------------------------------- the end

  /** The session has ended (the outbound side is closed already): the last steps, on the queue. */
  void finish(@Nullable LiveException failure, Runnable afterTerminal) {
    enter(new Phase.Ended(failure));
    requireNonNull(frames).close();
    events.terminal(failure, afterTerminal);
  }

  private void enter(Phase next) {
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
