package dev.geminilive;

/**
 * Token counts the service reported for the conversation so far (its {@code usageMetadata}).
 *
 * <p>Watch {@link #promptTokenCount()} to see how full the context window is; the session keeps
 * context window compression configured so that it never overflows. Counts the service did not send
 * are 0. Vertex AI's {@code candidatesTokenCount} is reported as {@link #responseTokenCount()}.
 *
 * @param promptTokenCount tokens in the context the model saw for this turn
 * @param responseTokenCount tokens the model produced
 * @param totalTokenCount the total the service reported
 * @param thoughtsTokenCount tokens spent thinking
 * @param toolUsePromptTokenCount tokens of tool results
 * @param cachedContentTokenCount tokens served from cache
 * @since 0.1
 */
public record Usage(
    int promptTokenCount,
    int responseTokenCount,
    int totalTokenCount,
    int thoughtsTokenCount,
    int toolUsePromptTokenCount,
    int cachedContentTokenCount) {}
