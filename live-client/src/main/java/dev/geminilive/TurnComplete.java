package dev.geminilive;

import org.jspecify.annotations.Nullable;

/**
 * The end of a model turn ({@code serverContent.turnComplete}) with what the service sent beside
 * it: why the turn ended, whether the model waits for more input, and the interaction status.
 *
 * <p>{@code turnComplete} ends the turn's output; on models that think in the background it does
 * not mean the model is idle: see {@link #interactionStatus()} and {@link
 * LiveListener#onInteractionStatus}. Immutable and thread-safe.
 *
 * @param reason why the turn ended, or null when the service sent no reason (a normal end)
 * @param reasonName the service's {@code turnCompleteReason} as sent, or null when it sent none
 * @param waitingForInput {@code serverContent.waitingForInput}: the model is not generating because
 *     it expects the user to go on
 * @param interactionStatus {@code serverContent.interactionStatus} on the same message, or null
 *     when the model sends none
 * @since 0.1
 */
public record TurnComplete(
    @Nullable TurnCompleteReason reason,
    @Nullable String reasonName,
    boolean waitingForInput,
    @Nullable InteractionStatus interactionStatus) {

  /** A turn that ended normally, with nothing beside {@code turnComplete}. */
  public static final TurnComplete NORMAL = new TurnComplete(null, null, false, null);

  /**
   * Checks that {@code reason} and {@code reasonName} are both present or both absent.
   *
   * @param reason why the turn ended, or null
   * @param reasonName the wire name of the reason, or null
   * @param waitingForInput whether the model waits for more input
   * @param interactionStatus the interaction status sent with it, or null
   */
  public TurnComplete {
    if ((reason == null) != (reasonName == null)) {
      throw new IllegalArgumentException(
          "reason and reasonName go together: " + reason + ", " + reasonName);
    }
  }

  /**
   * The end of a turn for a wire reason, typed with {@link TurnCompleteReason#fromName}.
   *
   * @param reasonName the service's {@code turnCompleteReason}, or null
   * @param waitingForInput whether the model waits for more input
   * @param interactionStatus the interaction status sent with it, or null
   * @return the turn end
   */
  public static TurnComplete of(
      @Nullable String reasonName,
      boolean waitingForInput,
      @Nullable InteractionStatus interactionStatus) {
    return new TurnComplete(
        reasonName == null ? null : TurnCompleteReason.fromName(reasonName),
        reasonName,
        waitingForInput,
        interactionStatus);
  }
}
