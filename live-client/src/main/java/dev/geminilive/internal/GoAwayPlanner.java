package dev.geminilive.internal;

import java.time.Duration;

/**
 * When to move to a new connection after the service's {@code goAway}: at once at a natural pause
 * in the conversation, else on a timer shortly before the deadline ({@link #moveWithin}).
 *
 * <p>The timer matters because a quiet service sends no frame that would wake the session; the
 * margin leaves time for the move itself. The old connection is closed before the new one opens
 * (the service is reported to refuse a resume while an earlier socket of the session is open); if
 * its close does not finish within {@link #CLOSE_WAIT}, it is cancelled and the move goes on.
 *
 * <p>The decision whether now is a natural pause is {@link #isNaturalPause}, and only there.
 * Stateless.
 */
final class GoAwayPlanner {
  private GoAwayPlanner() {}

  /** The most the move is brought forward from the deadline. */
  static final Duration MAX_MARGIN = Duration.ofSeconds(2);

  /** The margin is this fraction of the time left (one quarter), at most {@link #MAX_MARGIN}. */
  static final int MARGIN_DIVISOR = 4;

  /**
   * How long a planned move waits for the old connection's close handshake before it cancels the
   * socket and opens the new connection anyway.
   */
  static final Duration CLOSE_WAIT = Duration.ofMillis(500);

  /**
   * How long after a {@code goAway} announcing {@code timeLeft} the session moves if no pause comes
   * first: {@code timeLeft} less a quarter of it, at most {@link #MAX_MARGIN} less.
   */
  static Duration moveWithin(Duration timeLeft) {
    if (timeLeft.isNegative()) {
      return Duration.ZERO;
    }
    Duration margin = timeLeft.dividedBy(MARGIN_DIVISOR);
    if (margin.compareTo(MAX_MARGIN) > 0) {
      margin = MAX_MARGIN;
    }
    return timeLeft.minus(margin);
  }

  /**
   * Whether the conversation is at a natural pause, where a move loses nothing and interrupts
   * nobody: the model is not generating and the service has not said it is still working ({@code
   * interactionStatus} IN_PROGRESS after {@code turnComplete}, until IDLE), no tool call is
   * running, a resumable handle arrived after the model's last output, and every input that asks
   * for a reply has been answered before that handle (so the handle covers it; see
   * docs/resilience.md, "What a handle covers").
   *
   * @param modelIdle no generation is open, no reply is owed for a tool response, and the
   *     interaction is not in progress
   * @param noToolRunning no tool call of the model is running or waiting to be answered
   * @param handleSinceLastOutput a resumable handle arrived after the model's last output
   * @param requestsCovered every input that asks for a reply is covered by that handle
   */
  static boolean isNaturalPause(
      boolean modelIdle,
      boolean noToolRunning,
      boolean handleSinceLastOutput,
      boolean requestsCovered) {
    return modelIdle && noToolRunning && handleSinceLastOutput && requestsCovered;
  }
}
