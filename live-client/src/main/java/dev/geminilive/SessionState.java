package dev.geminilive;

/**
 * Where a {@link ResilientLiveSession} is in its life.
 *
 * <pre>
 * CONNECTING → ACTIVE → (RESUMING → ACTIVE)* → CLOSED | FAILED
 * </pre>
 *
 * {@link #CLOSED} and {@link #FAILED} are final.
 *
 * @since 0.1
 */
public enum SessionState {
  /** The first connection is being opened. */
  CONNECTING,
  /** A connection is open and set up; input flows to the service at once. */
  ACTIVE,
  /** Moving to a new connection (after a {@code goAway} or a drop); input is queued. */
  RESUMING,
  /** Closed by the application. Final. */
  CLOSED,
  /**
   * Ended by a failure that could not heal. Final; {@link ResilientLiveSession#failure()} says why.
   */
  FAILED;

  /**
   * Whether this state is final.
   *
   * @return true for {@code CLOSED} and {@code FAILED}
   */
  public boolean isTerminal() {
    return this == CLOSED || this == FAILED;
  }
}
