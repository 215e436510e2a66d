package dev.geminilive.testkit.internal;

/**
 * How the fake model of one generation behaves, chosen from the setup's model id, so that the same
 * script runs as each generation would run it. Immutable.
 *
 * @param multiPart gemini-3 models: audio, transcript and text share messages, and the deprecated
 *     {@code mediaChunks} is refused
 * @param contextUpdates gemini-3.8: {@code contextUpdate} is taken (else 1007)
 * @param asyncTools gemini-3.8: function calls are NON_BLOCKING unless declared BLOCKING; the reply
 *     goes on after the {@code toolCall}, and a response is scheduled as it says
 * @param asyncOnly extended thinking: every call is NON_BLOCKING, whatever its declaration
 * @param interactionStatus gemini-3.8: every {@code turnComplete} carries {@code
 *     interactionStatus}, and an idle status follows background work that ends without output
 * @param extendedThinking the model keeps working after {@code turnComplete}: IN_PROGRESS there,
 *     then IDLE, and thought tokens in the usage
 * @param interimTranscripts gemini-3.8: {@code interimInputTranscription} before the final input
 *     transcription of an audio turn
 * @param voiceActivity gemini-3.8: top-level {@code voiceActivity} at the start and end of speech
 *     the server detects
 * @param clientContentAnytime gemini-3.8: client content without {@code turnComplete} is kept
 *     without interrupting (the model says it waits for input); with it, it interrupts
 */
public record ModelBehaviour(
    boolean multiPart,
    boolean contextUpdates,
    boolean asyncTools,
    boolean asyncOnly,
    boolean interactionStatus,
    boolean extendedThinking,
    boolean interimTranscripts,
    boolean voiceActivity,
    boolean clientContentAnytime) {

  /** Returns the behaviour of {@code modelId} (without {@code models/}). */
  public static ModelBehaviour of(String modelId) {
    boolean gen38 = modelId.startsWith("gemini-3.8");
    boolean thinking = gen38 && modelId.contains("extended-thinking");
    return new ModelBehaviour(
        modelId.startsWith("gemini-3"),
        gen38,
        gen38,
        thinking,
        gen38,
        thinking,
        gen38,
        gen38,
        gen38);
  }
}
