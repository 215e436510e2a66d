package dev.geminilive;

/**
 * What user activity does to a model turn in progress.
 *
 * @since 0.1
 */
public enum ActivityHandling {
  /** The user's speech interrupts the model (barge-in). The service's default. */
  START_OF_ACTIVITY_INTERRUPTS,
  /** The model finishes its turn whatever the user does. */
  NO_INTERRUPTION
}
