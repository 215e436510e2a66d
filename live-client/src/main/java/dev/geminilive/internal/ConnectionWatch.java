package dev.geminilive.internal;

import dev.geminilive.LiveObserver.DisconnectCause;
import dev.geminilive.ModelProfile;
import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the connection in use: the planned move after the service's {@code goAway} (at once at a
 * natural pause, else on the {@link GoAwayPlanner}'s deadline; the old connection closes first, and
 * is cancelled if it has not closed within {@link GoAwayPlanner#CLOSE_WAIT}), and the stall check
 * while the service owes output ({@link StallWatchdog}). The timers it sets belong to the {@link
 * Phase.Active} and {@link Phase.Moving} phases and end with them.
 *
 * <p>Every method runs on the session's queue and every field is owned by it.
 */
final class ConnectionWatch {
  private static final Logger log = LoggerFactory.getLogger(ConnectionWatch.class);

  private final SessionCore core;
  private final RealLiveSession session;
  private final String name;
  private final SerialQueue queue;
  private final OutboundQueue outbound;
  private final SessionObserver observer;
  private final ListenerDispatcher events;
  private final ResumptionState resumption;
  private final ReplyLedger ledger;
  private final StallWatchdog watchdog;
  private @Nullable FrameHandler frames;

  ConnectionWatch(
      SessionCore core,
      RealLiveSession session,
      SerialQueue queue,
      OutboundQueue outbound,
      SessionObserver observer,
      ListenerDispatcher events,
      ResumptionState resumption,
      ReplyLedger ledger,
      StallWatchdog watchdog) {
    this.core = core;
    this.session = session;
    this.name = session.name();
    this.queue = queue;
    this.outbound = outbound;
    this.observer = observer;
    this.events = events;
    this.resumption = resumption;
    this.ledger = ledger;
    this.watchdog = watchdog;
  }

  /** Wires the frame handler, made after this part. */
  void wire(FrameHandler frames) {
    this.frames = frames;
  }

  private Set<String> toolsInFlight() {
    FrameHandler f = frames;
    if (f == null) {
      throw new IllegalStateException("not wired");
    }
    return f.toolsInFlight();
  }

  /** The service announced the end of connection {@code c} in {@code timeLeft}. */
  void goAway(Connection c, Duration timeLeft) {
    if (!(core.phase() instanceof Phase.Active active) || active.connection != c) {
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
                if (core.phase() == active) {
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

  /**
   * The spec changed: if the connection in use was set up without an update that only a new
   * connection brings (models without {@code contextUpdate}), move at the next natural pause. There
   * is no deadline: the current connection works on with the previous instruction and tools.
   */
  void contextChanged() {
    if (core.phase() instanceof Phase.Active active
        && session.context().needsMove(active.setupVersion)) {
      active.contextMovePending = true;
      maybeMove();
    }
  }

  /**
   * The connection {@code active} is in use: plans the moves before the service's limits ({@link
   * ServiceLimits}), from its start and from the start of the service session it belongs to.
   */
  void planLimits(Phase.Active active, long serviceSessionStartNanos) {
    ModelProfile profile = session.spec().profile();
    Duration connectionAfter =
        ServiceLimits.lookForPauseAfter(
            profile.connectionLifetime().orElse(null), ServiceLimits.CONNECTION_LEAD);
    if (connectionAfter != null) {
      active.connectionAgeTimer =
          queue.schedule(
              "connection age",
              connectionAfter,
              () -> limitNear(active, false, profile.connectionLifetime().orElseThrow()));
    }
    Duration sessionAfter =
        ServiceLimits.lookForPauseAfter(
            profile.sessionLifetime().orElse(null), ServiceLimits.SESSION_LEAD);
    if (sessionAfter != null) {
      Duration left = sessionAfter.minusNanos(queue.nanoTime() - serviceSessionStartNanos);
      active.sessionAgeTimer =
          queue.schedule(
              "session age",
              left.isNegative() ? Duration.ZERO : left,
              () -> limitNear(active, true, profile.sessionLifetime().orElseThrow()));
    }
  }

  private void limitNear(Phase.Active active, boolean serviceSession, Duration lifetime) {
    if (core.phase() != active) {
      return;
    }
    log.info(
        "{}: {} {} nears the service's limit of {} min; moving at the next pause",
        name,
        serviceSession ? "the service session of connection" : "connection",
        active.connection.ordinal(),
        lifetime.toMinutes());
    if (serviceSession) {
      active.sessionAgePending = true;
    } else {
      active.connectionAgePending = true;
    }
    maybeMove();
  }

  /** Moves now if a move is pending ({@code goAway}, a limit, an update) and now is a pause. */
  void maybeMove() {
    if (core.phase() instanceof Phase.Active active && active.movePending() && naturalPause()) {
      move(active.moveReason());
    }
  }

  private boolean naturalPause() {
    return GoAwayPlanner.isNaturalPause(
        ledger.modelIdle() && !ledger.interactionInProgress(),
        toolsInFlight().isEmpty(),
        resumption.fresh(),
        outbound.lastRequest() <= resumption.coveredThrough());
  }

  /**
   * Closes the connection in use, then resumes on a new one (the service refuses an overlap); near
   * the service session's lifetime, opens a fresh service session seeded with the conversation
   * instead.
   */
  private void move(String why) {
    if (!(core.phase() instanceof Phase.Active active) || outbound.isTerminal()) {
      return;
    }
    Connection old = active.connection;
    boolean freshSession = active.sessionAgePending;
    outbound.detach();
    Phase.Moving moving = new Phase.Moving(old, why);
    core.enter(moving);
    core.movingFrom(old);
    core.outageBegins();
    if (freshSession) {
      // A resume would carry on the service session the service is about to close.
      resumption.abandon();
    }
    DisconnectCause cause =
        active.goAwayPending ? DisconnectCause.GO_AWAY : DisconnectCause.PLANNED;
    observer.connectionClosed(old.ordinal(), cause, 1000, why);
    old.close(1000, "Moving to a new connection");
    moving.closeWait =
        queue.schedule(
            "close wait of connection " + old.ordinal(),
            GoAwayPlanner.CLOSE_WAIT,
            () -> {
              if (core.phase() == moving) {
                old.cancel();
                core.movingFrom(null);
                core.retry("planned move: " + why, true);
              }
            });
  }

  /** Something the service should answer has happened: make sure a stall check is set. */
  void expecting() {
    if (core.phase() instanceof Phase.Active active && active.stallCheck == null) {
      checkStall(active);
    }
  }

  private void checkStall(Phase.Active active) {
    active.stallCheck = null;
    StallWatchdog.Verdict verdict =
        watchdog.check(
            queue.nanoTime(),
            core.lastActivityNanos(),
            ledger.expectsOutput(outbound.lastRequest()),
            !toolsInFlight().isEmpty());
    if (verdict instanceof StallWatchdog.Verdict.CheckAgain again) {
      active.stallCheck =
          queue.schedule(
              "stall check",
              again.in(),
              () -> {
                if (core.phase() == active) {
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
      core.closed(c, 0, StallWatchdog.reason(stalled.silent()), null);
    }
  }
}
