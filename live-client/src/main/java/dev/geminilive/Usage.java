package dev.geminilive;

import java.util.Map;
import java.util.Objects;

/**
 * Token counts the service reported in one {@code usageMetadata}.
 *
 * <p>Watch {@link #promptTokenCount()} to see how full the context window is; the session keeps
 * context window compression configured so that it never overflows. Counts the service did not send
 * are 0, and modalities it did not break down are absent from the maps. Vertex AI's {@code
 * candidatesTokenCount} (and its details) are reported as the response counts.
 *
 * @param promptTokenCount tokens in the context the model saw for this turn
 * @param responseTokenCount tokens the model produced
 * @param totalTokenCount the total the service reported
 * @param thoughtsTokenCount tokens spent thinking
 * @param toolUsePromptTokenCount tokens of tool results
 * @param cachedContentTokenCount tokens served from cache
 * @param promptTokensByModality the prompt tokens by modality ({@code "AUDIO"}, {@code "TEXT"},
 *     ...), as the service broke them down ({@code promptTokensDetails}); unmodifiable
 * @param responseTokensByModality the response tokens by modality ({@code responseTokensDetails});
 *     unmodifiable
 * @param cacheTokensByModality the cached tokens by modality ({@code cacheTokensDetails});
 *     unmodifiable
 * @param toolUsePromptTokensByModality the tool-result tokens by modality ({@code
 *     toolUsePromptTokensDetails}); unmodifiable
 * @since 0.1
 */
public record Usage(
    int promptTokenCount,
    int responseTokenCount,
    int totalTokenCount,
    int thoughtsTokenCount,
    int toolUsePromptTokenCount,
    int cachedContentTokenCount,
    Map<String, Integer> promptTokensByModality,
    Map<String, Integer> responseTokensByModality,
    Map<String, Integer> cacheTokensByModality,
    Map<String, Integer> toolUsePromptTokensByModality) {

  /**
   * Copies the maps.
   *
   * @param promptTokenCount tokens in the context the model saw for this turn
   * @param responseTokenCount tokens the model produced
   * @param totalTokenCount the total the service reported
   * @param thoughtsTokenCount tokens spent thinking
   * @param toolUsePromptTokenCount tokens of tool results
   * @param cachedContentTokenCount tokens served from cache
   * @param promptTokensByModality the prompt tokens by modality
   * @param responseTokensByModality the response tokens by modality
   * @param cacheTokensByModality the cached tokens by modality
   * @param toolUsePromptTokensByModality the tool-result tokens by modality
   */
  public Usage {
    promptTokensByModality =
        Map.copyOf(Objects.requireNonNull(promptTokensByModality, "promptTokensByModality"));
    responseTokensByModality =
        Map.copyOf(Objects.requireNonNull(responseTokensByModality, "responseTokensByModality"));
    cacheTokensByModality =
        Map.copyOf(Objects.requireNonNull(cacheTokensByModality, "cacheTokensByModality"));
    toolUsePromptTokensByModality =
        Map.copyOf(
            Objects.requireNonNull(toolUsePromptTokensByModality, "toolUsePromptTokensByModality"));
  }

  /**
   * Counts with the prompt and response breakdowns only (no cache or tool-use breakdown).
   *
   * @param promptTokenCount tokens in the context the model saw for this turn
   * @param responseTokenCount tokens the model produced
   * @param totalTokenCount the total the service reported
   * @param thoughtsTokenCount tokens spent thinking
   * @param toolUsePromptTokenCount tokens of tool results
   * @param cachedContentTokenCount tokens served from cache
   * @param promptTokensByModality the prompt tokens by modality
   * @param responseTokensByModality the response tokens by modality
   */
  public Usage(
      int promptTokenCount,
      int responseTokenCount,
      int totalTokenCount,
      int thoughtsTokenCount,
      int toolUsePromptTokenCount,
      int cachedContentTokenCount,
      Map<String, Integer> promptTokensByModality,
      Map<String, Integer> responseTokensByModality) {
    this(
        promptTokenCount,
        responseTokenCount,
        totalTokenCount,
        thoughtsTokenCount,
        toolUsePromptTokenCount,
        cachedContentTokenCount,
        promptTokensByModality,
        responseTokensByModality,
        Map.of(),
        Map.of());
  }

  /**
   * Counts without a breakdown by modality.
   *
   * @param promptTokenCount tokens in the context the model saw for this turn
   * @param responseTokenCount tokens the model produced
   * @param totalTokenCount the total the service reported
   * @param thoughtsTokenCount tokens spent thinking
   * @param toolUsePromptTokenCount tokens of tool results
   * @param cachedContentTokenCount tokens served from cache
   */
  public Usage(
      int promptTokenCount,
      int responseTokenCount,
      int totalTokenCount,
      int thoughtsTokenCount,
      int toolUsePromptTokenCount,
      int cachedContentTokenCount) {
    this(
        promptTokenCount,
        responseTokenCount,
        totalTokenCount,
        thoughtsTokenCount,
        toolUsePromptTokenCount,
        cachedContentTokenCount,
        Map.of(),
        Map.of(),
        Map.of(),
        Map.of());
  }
}
