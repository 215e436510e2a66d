package dev.geminilive;

import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one Live model accepts, so that a session it cannot run is rejected before it is sent.
 *
 * <p>{@link #of(String)} knows the current Live models; an unknown model gets a permissive profile
 * ({@link #known()} is false) and the builder logs a warning. A newer or specialist model can be
 * described with the constructor and passed to {@link LiveSessionBuilder#modelProfile}.
 *
 * @param model the model id without the {@code models/} prefix
 * @param known whether this profile comes from the library's table
 * @param responseModalities the response modalities the model accepts
 * @param thinking how the model's thinking is configured
 * @param asyncFunctionCalling whether NON_BLOCKING function declarations and response scheduling
 *     are honoured (false: the model waits for every tool response)
 * @param affectiveDialog whether {@code enableAffectiveDialog} is supported
 * @param proactiveAudio whether {@code proactivity.proactiveAudio} is supported
 * @param clientContentAnytime whether {@code clientContent} may be sent at any time (false: only to
 *     seed the initial history, with {@code historyConfig.initialHistoryInClientContent})
 * @param contextWindowTokens the model's input token limit
 * @since 0.1
 */
public record ModelProfile(
    String model,
    boolean known,
    Set<ResponseModality> responseModalities,
    Thinking thinking,
    boolean asyncFunctionCalling,
    boolean affectiveDialog,
    boolean proactiveAudio,
    boolean clientContentAnytime,
    int contextWindowTokens) {

  /** The default model: Gemini 3.1 Flash Live. */
  public static final String GEMINI_3_1_FLASH_LIVE = "gemini-3.1-flash-live-preview";

  /** Gemini 2.5 Flash with native audio, December 2025 preview. */
  public static final String GEMINI_2_5_FLASH_NATIVE_AUDIO =
      "gemini-2.5-flash-native-audio-preview-12-2025";

  /** The input token limit of the current Live models. */
  public static final int DEFAULT_CONTEXT_WINDOW_TOKENS = 131_072;

  /** How a model's thinking is configured. */
  public enum Thinking {
    /** By {@link ThinkingLevel} ({@code thinkingLevel}). */
    LEVEL,
    /** By token budget ({@code thinkingBudget}; 0 turns thinking off, -1 is automatic). */
    BUDGET,
    /** The model does not think; any thinking setting is an error. */
    NONE
  }

  private static final Map<String, ModelProfile> KNOWN =
      Map.of(
          GEMINI_3_1_FLASH_LIVE,
          new ModelProfile(
              GEMINI_3_1_FLASH_LIVE,
              true,
              Set.of(ResponseModality.AUDIO),
              Thinking.LEVEL,
              false,
              false,
              false,
              false,
              DEFAULT_CONTEXT_WINDOW_TOKENS),
          GEMINI_2_5_FLASH_NATIVE_AUDIO,
          nativeAudio25(GEMINI_2_5_FLASH_NATIVE_AUDIO),
          "gemini-2.5-flash-native-audio-preview-09-2025",
          nativeAudio25("gemini-2.5-flash-native-audio-preview-09-2025"),
          "gemini-live-2.5-flash-preview",
          new ModelProfile(
              "gemini-live-2.5-flash-preview",
              true,
              Set.of(ResponseModality.AUDIO, ResponseModality.TEXT),
              Thinking.BUDGET,
              true,
              false,
              false,
              true,
              DEFAULT_CONTEXT_WINDOW_TOKENS));

  /**
   * Checks the arguments and copies the set.
   *
   * @param model the model id without the {@code models/} prefix
   * @param known whether this profile comes from the library's table
   * @param responseModalities the response modalities the model accepts
   * @param thinking how the model's thinking is configured
   * @param asyncFunctionCalling whether NON_BLOCKING function declarations and response scheduling
   *     are honoured (false: the model waits for every tool response)
   * @param affectiveDialog whether {@code enableAffectiveDialog} is supported
   * @param proactiveAudio whether {@code proactivity.proactiveAudio} is supported
   * @param clientContentAnytime whether {@code clientContent} may be sent at any time (false: only
   *     to seed the initial history, with {@code historyConfig.initialHistoryInClientContent})
   * @param contextWindowTokens the model's input token limit
   */
  public ModelProfile {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(thinking, "thinking");
    if (responseModalities.isEmpty()) {
      throw new IllegalArgumentException("responseModalities must not be empty");
    }
    responseModalities = Set.copyOf(responseModalities);
    if (contextWindowTokens <= 0) {
      throw new IllegalArgumentException("contextWindowTokens must be positive");
    }
  }

  /**
   * The profile of a model: from the table for known models, otherwise permissive (every option
   * passes through, {@link #known()} false).
   *
   * @param model the model id, with or without the {@code models/} prefix
   * @return the profile; {@link #known()} tells whether it came from the table
   */
  public static ModelProfile of(String model) {
    Objects.requireNonNull(model, "model");
    String id = model.startsWith("models/") ? model.substring("models/".length()) : model;
    ModelProfile known = KNOWN.get(id);
    if (known != null) {
      return known;
    }
    return new ModelProfile(
        id,
        false,
        EnumSet.allOf(ResponseModality.class),
        Thinking.BUDGET,
        true,
        true,
        true,
        true,
        DEFAULT_CONTEXT_WINDOW_TOKENS);
  }

  private static ModelProfile nativeAudio25(String id) {
    return new ModelProfile(
        id,
        true,
        Set.of(ResponseModality.AUDIO),
        Thinking.BUDGET,
        true,
        true,
        true,
        true,
        DEFAULT_CONTEXT_WINDOW_TOKENS);
  }
}
