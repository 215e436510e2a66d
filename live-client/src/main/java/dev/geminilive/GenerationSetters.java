package dev.geminilive;

import java.util.Locale;
import java.util.Objects;

/**
 * The settings of {@link LiveSessionBuilder} that shape what the model says: response modality,
 * voice and language, sampling, thinking, and the preview-only dialog features.
 *
 * <p>A part of {@link LiveSessionBuilder}, its only public subclass, which documents these methods
 * as its own: every setter here checks its own argument and returns that builder. Not thread-safe.
 */
abstract sealed class GenerationSetters extends ConnectionSetters permits InstructionSetters {
  GenerationSetters(SessionSettings settings) {
    super(settings);
  }

  /**
   * What the model answers with ({@link ResponseModality#AUDIO} by default).
   *
   * @param modality {@code AUDIO} or {@code TEXT}; the model must support it
   * @return this builder
   */
  public LiveSessionBuilder responseModality(ResponseModality modality) {
    s.responseModality = Objects.requireNonNull(modality, "modality");
    return self();
  }

  /**
   * A prebuilt voice, such as {@code Puck}, {@code Kore} or {@code Peri}.
   *
   * @param voiceName the voice name as the API spells it
   * @return this builder
   */
  public LiveSessionBuilder voice(String voiceName) {
    s.voice = LiveAuth.requireText(voiceName, "voiceName");
    return self();
  }

  /**
   * The language to speak and respond in, as a BCP-47 tag such as {@code en-US}: sets the speech
   * config's language code and adds the directive {@code RESPOND IN ENGLISH. YOU MUST RESPOND
   * UNMISTAKABLY IN ENGLISH.} to the system instruction.
   *
   * @param languageTag a BCP-47 language tag
   * @return this builder
   */
  public LiveSessionBuilder language(String languageTag) {
    String tag = LiveAuth.requireText(languageTag, "languageTag");
    Locale locale = Locale.forLanguageTag(tag);
    if (locale.getLanguage().isEmpty()) {
      throw new IllegalArgumentException("not a BCP-47 language tag: " + tag);
    }
    s.languageTag = tag;
    return self();
  }

  /**
   * Sampling temperature (0 to 2).
   *
   * @param temperature the temperature, from 0 to 2
   * @return this builder
   */
  public LiveSessionBuilder temperature(double temperature) {
    if (!(temperature >= 0 && temperature <= 2)) {
      throw new IllegalArgumentException("temperature must be between 0 and 2: " + temperature);
    }
    s.temperature = (float) temperature;
    return self();
  }

  /**
   * Nucleus sampling (0 to 1).
   *
   * @param topP the cumulative probability cut-off, above 0 and at most 1
   * @return this builder
   */
  public LiveSessionBuilder topP(double topP) {
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("topP must be in (0, 1]: " + topP);
    }
    s.topP = (float) topP;
    return self();
  }

  /**
   * Top-k sampling.
   *
   * @param topK how many of the most likely tokens are sampled from; positive
   * @return this builder
   */
  public LiveSessionBuilder topK(int topK) {
    if (topK <= 0) {
      throw new IllegalArgumentException("topK must be positive: " + topK);
    }
    s.topK = (float) topK;
    return self();
  }

  /**
   * Output token cap per turn.
   *
   * @param tokens the maximum number of output tokens per turn; positive
   * @return this builder
   */
  public LiveSessionBuilder maxOutputTokens(int tokens) {
    if (tokens <= 0) {
      throw new IllegalArgumentException("maxOutputTokens must be positive: " + tokens);
    }
    s.maxOutputTokens = tokens;
    return self();
  }

  /**
   * Sampling seed.
   *
   * @param seed the seed; the same seed makes answers more repeatable, not identical
   * @return this builder
   */
  public LiveSessionBuilder seed(int seed) {
    s.seed = seed;
    return self();
  }

  /**
   * Thinking level, for models that think by level (3.1 Flash Live).
   *
   * @param level the thinking level
   * @return this builder
   */
  public LiveSessionBuilder thinkingLevel(ThinkingLevel level) {
    s.thinkingLevel = Objects.requireNonNull(level, "level");
    return self();
  }

  /**
   * Thinking budget in tokens (0 off, -1 automatic), for models that think by budget (2.5).
   *
   * @param tokens the budget in tokens; 0 turns thinking off, -1 lets the model decide
   * @return this builder
   */
  public LiveSessionBuilder thinkingBudget(int tokens) {
    if (tokens < -1) {
      throw new IllegalArgumentException("thinkingBudget must be -1, 0 or positive: " + tokens);
    }
    s.thinkingBudget = tokens;
    return self();
  }

  /**
   * Asks the model to send its thoughts (as thought parts, see {@link LiveListener#onThought}).
   * Some models send thoughts without being asked (2.5 native audio); {@code false} asks for none,
   * but a listener should still expect {@code onThought}.
   *
   * @param include true to receive thoughts
   * @return this builder
   */
  public LiveSessionBuilder includeThoughts(boolean include) {
    s.includeThoughts = include;
    return self();
  }

  /**
   * Affective dialog (models that support it). Experimental: only a preview model offers it.
   *
   * @param enabled true to turn affective dialog on
   * @return this builder
   */
  @Experimental
  public LiveSessionBuilder affectiveDialog(boolean enabled) {
    s.affectiveDialog = enabled;
    return self();
  }

  /**
   * Proactive audio: the model may stay silent on irrelevant input (models that support it).
   * Experimental: only a preview model offers it.
   *
   * @param enabled true to turn proactive audio on
   * @return this builder
   */
  @Experimental
  public LiveSessionBuilder proactiveAudio(boolean enabled) {
    s.proactiveAudio = enabled;
    return self();
  }
}
