package dev.geminilive.internal;

import dev.geminilive.LiveException;
import dev.geminilive.LiveScheduler.ScheduledTask;
import dev.geminilive.SessionState;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Where a session is between its connections, with the data that belongs to that place and to no
 * other (resilience4j's {@code CircuitBreakerStateMachine} keeps state-specific data in state
 * objects the same way): a connect in flight, a connection in use with its {@code goAway} plan and
 * stall check, a planned move waiting for the old connection to close, a backoff wait, or the end.
 *
 * <p>The session's queue owns the phase and every field of it; the session enters a new phase in
 * one place, which cancels the timers of the phase it leaves.
 */
sealed interface Phase {
  /** What {@code state()} reports in this phase. */
  SessionState state();

  /** Cancels the timers that belong to this phase; the session is leaving it. */
  default void leave() {}

  /** A connection is being opened: the first one, an attempt after a drop, or a planned move's. */
  final class Opening implements Phase {
    final int ordinal;
    final boolean first;
    final @Nullable String handle;
    final boolean rebuild;
    // The connector's future, once the credentials are ready and the connect has started.
    @Nullable CompletableFuture<Connection> connect;
    // The version of the spec its setup was built from (SessionContext), set with connect.
    int setupVersion;

    Opening(int ordinal, boolean first, @Nullable String handle, boolean rebuild) {
      this.ordinal = ordinal;
      this.first = first;
      this.handle = handle;
      this.rebuild = rebuild;
    }

    @Override
    public SessionState state() {
      return first ? SessionState.CONNECTING : SessionState.RESUMING;
    }
  }

  /** A connection is set up and in use. */
  final class Active implements Phase {
    final Connection connection;
    final long connectedAt;
    // The version of the spec its setup was built from (SessionContext).
    final int setupVersion;
    // The timer that moves the session before a goAway's deadline, while one is pending.
    @Nullable ScheduledTask goAwayDeadline;
    boolean goAwayPending;
    // A context update needs a new connection (a model without contextUpdate): move at a pause.
    boolean contextMovePending;
    // The connection nears its lifetime: move (resume) at a pause.
    boolean connectionAgePending;
    // The service session nears its lifetime: move to a fresh service session at a pause.
    boolean sessionAgePending;
    // The timers that set the two above (ServiceLimits).
    @Nullable ScheduledTask connectionAgeTimer;
    @Nullable ScheduledTask sessionAgeTimer;
    // The stall check, while the session expects the service to speak.
    @Nullable ScheduledTask stallCheck;

    Active(Connection connection, long connectedAt, int setupVersion) {
      this.connection = connection;
      this.connectedAt = connectedAt;
      this.setupVersion = setupVersion;
    }

    @Override
    public SessionState state() {
      return SessionState.ACTIVE;
    }

    /** Whether a planned move waits for the next natural pause. */
    boolean movePending() {
      return goAwayPending || sessionAgePending || connectionAgePending || contextMovePending;
    }

    /** Why the pending move is made, the most pressing reason first. */
    String moveReason() {
      return goAwayPending
          ? "goAway"
          : sessionAgePending
              ? "session age"
              : connectionAgePending ? "connection age" : "context update";
    }

    @Override
    public void leave() {
      for (ScheduledTask t :
          new ScheduledTask[] {goAwayDeadline, stallCheck, connectionAgeTimer, sessionAgeTimer}) {
        if (t != null) {
          t.cancel();
        }
      }
    }
  }

  /** A planned move: the old connection is closing; the new one opens once it has closed. */
  final class Moving implements Phase {
    final Connection from;
    final String why;
    @Nullable ScheduledTask closeWait;

    Moving(Connection from, String why) {
      this.from = from;
      this.why = why;
    }

    @Override
    public SessionState state() {
      return SessionState.RESUMING;
    }

    @Override
    public void leave() {
      if (closeWait != null) {
        closeWait.cancel();
      }
    }
  }

  /** Between two attempts of an outage: the backoff. */
  final class Waiting implements Phase {
    final int attempt;
    @Nullable ScheduledTask timer;

    Waiting(int attempt) {
      this.attempt = attempt;
    }

    @Override
    public SessionState state() {
      return SessionState.RESUMING;
    }

    @Override
    public void leave() {
      if (timer != null) {
        timer.cancel();
      }
    }
  }

  /** The session has ended; it never leaves this phase. */
  record Ended(@Nullable LiveException failure) implements Phase {
    @Override
    public SessionState state() {
      return failure == null ? SessionState.CLOSED : SessionState.FAILED;
    }
  }
}
