package dev.geminilive;

import java.time.Duration;
import java.util.Objects;

/**
 * Why and when the session moves to a new connection; passed to {@link
 * LiveListener#onReconnecting}.
 *
 * <p>A planned move is made after the service's {@code goAway}, and also without one: near a
 * connection's or a service session's lifetime, or for a context update (a flow's stage change) on
 * a model without {@code contextUpdate}. Its {@code cause} is {@code "planned move: "} and the
 * reason ({@code goAway}, {@code connection age}, {@code session age}, {@code context update});
 * {@link LiveObserver#connectionClosed} tells the two apart as {@link
 * LiveObserver.DisconnectCause#GO_AWAY} and {@link LiveObserver.DisconnectCause#PLANNED}.
 *
 * @param attempt the attempt number within this outage, from 1
 * @param delay how long the session waits before the attempt
 * @param planned true for a planned move (after {@code goAway}, or one the session planned itself),
 *     false after a drop or failure
 * @param cause what happened, in words (close code and reason, the failure, or the planned move's
 *     reason), never a secret
 * @since 0.1
 */
public record Reconnecting(int attempt, Duration delay, boolean planned, String cause) {
  /**
   * Checks the arguments.
   *
   * @param attempt the attempt number within this outage, from 1
   * @param delay how long the session waits before the attempt
   * @param planned true for a planned move (after {@code goAway}, or one the session planned
   *     itself), false after a drop or failure
   * @param cause what happened, in words (close code and reason, the failure, or the planned move's
   *     reason), never a secret
   */
  public Reconnecting {
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(cause, "cause");
  }
}
