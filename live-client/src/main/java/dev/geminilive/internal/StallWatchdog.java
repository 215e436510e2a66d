package dev.geminilive.internal;

import java.time.Duration;

/**
 * Decides when a connection that has gone silent in the middle of a turn is dead: while the session
 * expects the service to speak (the model is generating, or input that asks for a reply was sent)
 * and no tool call of the model is running (the service then waits for us), a connection that
 * delivers no frame for the stall timeout is taken for dead. Pongs do not count: a service can
 * answer pings and still never send the reply.
 *
 * <p>The session checks on a timer; {@link #check} says whether the connection has stalled, or how
 * long until it would. So a busy session has one timer per stall timeout, an idle one none.
 * Stateless apart from the timeout.
 */
final class StallWatchdog {
  /** The reason of a connection given up as stalled begins with this. */
  static final String STALLED = "stalled: ";

  private final long timeoutNanos;

  StallWatchdog(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
  }

  /** The result of a check. */
  sealed interface Verdict {
    /** Nothing is expected from the service: no check is needed until something is. */
    record Idle() implements Verdict {}

    /** Not stalled yet: check again after {@code in}. */
    record CheckAgain(Duration in) implements Verdict {}

    /** Silent for {@code silent} while something was expected. */
    record Stalled(Duration silent) implements Verdict {}
  }

  /**
   * Checks the connection.
   *
   * @param now the current time
   * @param lastActivity the later of the last frame's arrival and the last send that asked for a
   *     reply
   * @param expecting whether the session expects the service to speak
   * @param toolRunning whether a tool call of the model is running (the service waits for us)
   */
  Verdict check(long now, long lastActivity, boolean expecting, boolean toolRunning) {
    if (!expecting || toolRunning) {
      return new Verdict.Idle();
    }
    long silent = now - lastActivity;
    if (silent >= timeoutNanos) {
      return new Verdict.Stalled(Duration.ofNanos(silent));
    }
    return new Verdict.CheckAgain(Duration.ofNanos(timeoutNanos - silent));
  }

  /** The close reason for a connection given up as stalled. */
  static String reason(Duration silent) {
    return STALLED + "no frame for " + silent.toMillis() + " ms mid-turn";
  }
}
