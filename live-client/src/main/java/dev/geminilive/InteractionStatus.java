package dev.geminilive;

/**
 * Whether the service is still working on the conversation, from {@code
 * serverContent.interactionStatus}. Models that think in the background ({@code
 * gemini-3.8-live-extended-thinking}) may go on working after {@code turnComplete}: only {@link
 * #IDLE} says that no more output follows until the user speaks again. The service sends it with
 * {@code turnComplete}; models that do not send it leave {@link TurnComplete#interactionStatus()}
 * null. Not the SDK's {@code com.google.genai.types.InteractionStatus}. Immutable and thread-safe.
 *
 * @since 0.1
 */
public enum InteractionStatus {
  /**
   * The service is still processing input or reasoning in the background; more output may follow.
   */
  IN_PROGRESS,
  /** The service has finished all processing, background reasoning included. */
  IDLE,
  /** The service's deprecated name for {@link #IDLE}; read as idle by the session. */
  REQUIRES_ACTION,
  /** {@code INTERACTION_STATUS_UNSPECIFIED}, or a value this version does not know. */
  UNSPECIFIED;

  /**
   * Whether the service reports no more work in progress ({@link #IDLE} or its deprecated name).
   *
   * @return true for {@link #IDLE} and {@link #REQUIRES_ACTION}
   */
  public boolean isIdle() {
    return this == IDLE || this == REQUIRES_ACTION;
  }
}
