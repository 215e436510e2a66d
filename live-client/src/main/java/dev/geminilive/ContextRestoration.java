package dev.geminilive;

/**
 * What the model still knows after the session moved to a new connection.
 *
 * @since 0.1
 */
public enum ContextRestoration {
  /** Resumed with a resumption handle: the service kept the whole conversation. */
  RESUMED,
  /**
   * The handle was missing, refused or expired: a fresh service session was opened and seeded with
   * the conversation so far, as kept from text turns and transcripts. Audio nuance is lost.
   */
  REBUILT_FROM_HISTORY,
  /** Nothing could be carried over: the model starts without the earlier conversation. */
  LOST
}
