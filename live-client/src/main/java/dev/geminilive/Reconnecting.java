package dev.geminilive;

import java.time.Duration;
import java.util.Objects;

/**
 * Why and when the session moves to a new connection; passed to {@link
 * LiveListener#onReconnecting}.
 *
 * @param attempt the attempt number within this outage, from 1
 * @param delay how long the session waits before the attempt
 * @param planned true for a planned move (after {@code goAway}), false after a drop or failure
 * @param cause what happened, in words (close code and reason, or the failure), never a secret
 * @since 0.1
 */
public record Reconnecting(int attempt, Duration delay, boolean planned, String cause) {
  /**
   * Checks the arguments.
   *
   * @param attempt the attempt number within this outage, from 1
   * @param delay how long the session waits before the attempt
   * @param planned true for a planned move (after {@code goAway}), false after a drop or failure
   * @param cause what happened, in words (close code and reason, or the failure), never a secret
   */
  public Reconnecting {
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(cause, "cause");
  }
}
