package dev.geminilive;

import dev.geminilive.tools.ToolBehavior;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What one Live model accepts, so that a session it cannot run is rejected before it is sent.
 *
 * <p>{@link #of(String)} knows the current Live models; an unknown model gets a permissive profile
 * ({@link #known()} is false) and the builder logs a warning. A newer or specialist model is
 * described with {@link #builder(String)} (or a known profile's {@link #toBuilder()}) and passed to
 * {@link LiveSessionBuilder#modelProfile}.
 *
 * <pre>{@code
 * ModelProfile next = ModelProfile.of(ModelProfile.GEMINI_3_8_LIVE).toBuilder()
 *     .model("gemini-3.9-live")
 *     .contextWindowTokens(262_144)
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; equal when every property is.
 *
 * @since 0.1
 */
public final class ModelProfile {

  /** The default model: Gemini 3.8 Live, stable since 2026-09-15. */
  public static final String GEMINI_3_8_LIVE = "gemini-3.8-live";

  /** Gemini 3.8 Live with background reasoning by thinking level; asynchronous tools only. */
  public static final String GEMINI_3_8_LIVE_EXTENDED_THINKING =
      "gemini-3.8-live-extended-thinking";

  /** Gemini 3.1 Flash Live, a legacy preview since 3.8 (the default before it). */
  public static final String GEMINI_3_1_FLASH_LIVE = "gemini-3.1-flash-live-preview";

  /** Gemini 2.5 Flash with native audio, December 2025 preview. */
  public static final String GEMINI_2_5_FLASH_NATIVE_AUDIO =
      "gemini-2.5-flash-native-audio-preview-12-2025";

  /** The input token limit of the current Live models. */
  public static final int DEFAULT_CONTEXT_WINDOW_TOKENS = 131_072;

  /** How a model's thinking is configured. */
  public enum Thinking {
    /** By {@link ThinkingLevel} ({@code thinkingLevel}), among {@link #thinkingLevels()}. */
    LEVEL,
    /** By token budget ({@code thinkingBudget}; 0 turns thinking off, -1 is automatic). */
    BUDGET,
    /** The model does not think; any thinking setting is an error. */
    NONE,
    /**
     * The model reasons interleaved with its answer and takes no thinking configuration at all (no
     * level, no budget, no {@code includeThoughts}).
     */
    INTERLEAVED
  }

  /** How far a model offers a feature that a session can turn on or off. */
  public enum Support {
    /** Not offered: asking for it ({@code true}) is an error; {@code false} is sent as given. */
    UNSUPPORTED,
    /** Removed from the API: the service refuses the field itself, so any setting is an error. */
    REMOVED,
    /** Offered, off unless asked for. */
    OPTIONAL,
    /** Always on: turning it off ({@code false}) is an error. */
    ALWAYS_ON
  }

  private static final Map<String, ModelProfile> KNOWN =
      Map.of(
          GEMINI_3_8_LIVE,
          live38(GEMINI_3_8_LIVE).build(),
          GEMINI_3_8_LIVE_EXTENDED_THINKING,
          live38(GEMINI_3_8_LIVE_EXTENDED_THINKING)
              .thinking(Thinking.LEVEL)
              .thinkingLevels(Set.of(ThinkingLevel.LOW, ThinkingLevel.MEDIUM, ThinkingLevel.HIGH))
              .blockingTools(false)
              .build(),
          GEMINI_3_1_FLASH_LIVE,
          known(GEMINI_3_1_FLASH_LIVE)
              .thinking(Thinking.LEVEL)
              .asyncFunctionCalling(false)
              .clientContentAnytime(false)
              .build(),
          GEMINI_2_5_FLASH_NATIVE_AUDIO,
          nativeAudio25(GEMINI_2_5_FLASH_NATIVE_AUDIO),
          "gemini-2.5-flash-native-audio-preview-09-2025",
          nativeAudio25("gemini-2.5-flash-native-audio-preview-09-2025"),
          "gemini-live-2.5-flash-preview",
          known("gemini-live-2.5-flash-preview")
              .responseModalities(Set.of(ResponseModality.AUDIO, ResponseModality.TEXT))
              .build());

  private final String model;
  private final boolean known;
  private final Set<ResponseModality> responseModalities;
  private final Thinking thinking;
  private final Set<ThinkingLevel> thinkingLevels;
  private final boolean asyncFunctionCalling;
  private final ToolBehavior defaultToolBehavior;
  private final boolean blockingTools;
  private final Support affectiveDialog;
  private final Support vertexAffectiveDialog;
  private final Support proactiveAudio;
  private final boolean clientContentAnytime;
  private final boolean contextUpdates;
  private final @Nullable TurnCoverage defaultTurnCoverage;
  private final int contextWindowTokens;

  private ModelProfile(Builder b) {
    this.model = b.model;
    this.known = b.known;
    this.responseModalities = Set.copyOf(b.responseModalities);
    this.thinking = b.thinking;
    this.thinkingLevels = Set.copyOf(b.thinkingLevels);
    this.asyncFunctionCalling = b.asyncFunctionCalling;
    this.defaultToolBehavior = b.defaultToolBehavior;
    this.blockingTools = b.blockingTools;
    this.affectiveDialog = b.affectiveDialog;
    this.vertexAffectiveDialog = b.vertexAffectiveDialog;
    this.proactiveAudio = b.proactiveAudio;
    this.clientContentAnytime = b.clientContentAnytime;
    this.contextUpdates = b.contextUpdates;
    this.defaultTurnCoverage = b.defaultTurnCoverage;
    this.contextWindowTokens = b.contextWindowTokens;
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
    return builder(id)
        .responseModalities(EnumSet.allOf(ResponseModality.class))
        .thinking(Thinking.BUDGET)
        .asyncFunctionCalling(true)
        .affectiveDialog(Support.OPTIONAL)
        .vertexAffectiveDialog(Support.OPTIONAL)
        .proactiveAudio(Support.OPTIONAL)
        .clientContentAnytime(true)
        .contextUpdates(false)
        .build();
  }

  /**
   * A builder for the profile of a model the library does not know, starting from: AUDIO only,
   * thinking by budget, asynchronous tools allowed (declared as given), no affective dialog or
   * proactive audio, client content at any time, no context updates, {@value
   * #DEFAULT_CONTEXT_WINDOW_TOKENS} tokens. Profiles made here are never {@link #known()}.
   *
   * @param model the model id without the {@code models/} prefix
   * @return a new builder
   */
  public static Builder builder(String model) {
    return new Builder(model);
  }

  /**
   * A builder holding every property of this profile, to describe a variant (which is not {@link
   * #known()}).
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder(model);
    b.responseModalities = responseModalities;
    b.thinking = thinking;
    b.thinkingLevels = thinkingLevels;
    b.asyncFunctionCalling = asyncFunctionCalling;
    b.defaultToolBehavior = defaultToolBehavior;
    b.blockingTools = blockingTools;
    b.affectiveDialog = affectiveDialog;
    b.vertexAffectiveDialog = vertexAffectiveDialog;
    b.proactiveAudio = proactiveAudio;
    b.clientContentAnytime = clientContentAnytime;
    b.contextUpdates = contextUpdates;
    b.defaultTurnCoverage = defaultTurnCoverage;
    b.contextWindowTokens = contextWindowTokens;
    return b;
  }

  /** {@return the model id without the {@code models/} prefix} */
  public String model() {
    return model;
  }

  /** {@return whether this profile comes from the library's table} */
  public boolean known() {
    return known;
  }

  /** {@return the response modalities the model accepts} */
  public Set<ResponseModality> responseModalities() {
    return responseModalities;
  }

  /** {@return how the model's thinking is configured} */
  public Thinking thinking() {
    return thinking;
  }

  /** {@return the thinking levels the model takes, when it thinks by {@link Thinking#LEVEL}} */
  public Set<ThinkingLevel> thinkingLevels() {
    return thinkingLevels;
  }

  /**
   * {@return whether NON_BLOCKING declarations and response scheduling are honoured (false: the
   * model waits for every tool response)}
   */
  public boolean asyncFunctionCalling() {
    return asyncFunctionCalling;
  }

  /**
   * {@return what a tool declared with {@link ToolBehavior#UNSPECIFIED} is declared as on this
   * model: {@code NON_BLOCKING} where the model calls tools asynchronously by default (3.8), or
   * {@code UNSPECIFIED}, sent without a behavior so that the service's default (blocking) applies}
   */
  public ToolBehavior defaultToolBehavior() {
    return defaultToolBehavior;
  }

  /** {@return whether a tool may be declared {@link ToolBehavior#BLOCKING}} */
  public boolean blockingTools() {
    return blockingTools;
  }

  /** {@return affective dialog ({@code enableAffectiveDialog}) on the Gemini API} */
  public Support affectiveDialog() {
    return affectiveDialog;
  }

  /** {@return affective dialog ({@code enableAffectiveDialog}) on Vertex AI} */
  public Support vertexAffectiveDialog() {
    return vertexAffectiveDialog;
  }

  /** {@return proactive audio ({@code proactivity.proactiveAudio})} */
  public Support proactiveAudio() {
    return proactiveAudio;
  }

  /**
   * {@return whether {@code clientContent} may be sent at any time (false: only to seed the initial
   * history, with {@code historyConfig.initialHistoryInClientContent})}
   */
  public boolean clientContentAnytime() {
    return clientContentAnytime;
  }

  /**
   * {@return whether the model takes {@code contextUpdate} (a new system instruction or tools
   * without reconnecting); without it an update needs a new connection}
   */
  public boolean contextUpdates() {
    return contextUpdates;
  }

  /** {@return the turn coverage the service applies when none is set, or null where not stated} */
  public @Nullable TurnCoverage defaultTurnCoverage() {
    return defaultTurnCoverage;
  }

  /** {@return the model's input token limit} */
  public int contextWindowTokens() {
    return contextWindowTokens;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ModelProfile p
        && p.model.equals(model)
        && p.known == known
        && p.responseModalities.equals(responseModalities)
        && p.thinking == thinking
        && p.thinkingLevels.equals(thinkingLevels)
        && p.asyncFunctionCalling == asyncFunctionCalling
        && p.defaultToolBehavior == defaultToolBehavior
        && p.blockingTools == blockingTools
        && p.affectiveDialog == affectiveDialog
        && p.vertexAffectiveDialog == vertexAffectiveDialog
        && p.proactiveAudio == proactiveAudio
        && p.clientContentAnytime == clientContentAnytime
        && p.contextUpdates == contextUpdates
        && p.defaultTurnCoverage == defaultTurnCoverage
        && p.contextWindowTokens == contextWindowTokens;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        model,
        known,
        responseModalities,
        thinking,
        thinkingLevels,
        asyncFunctionCalling,
        defaultToolBehavior,
        blockingTools,
        affectiveDialog,
        vertexAffectiveDialog,
        proactiveAudio,
        clientContentAnytime,
        contextUpdates,
        defaultTurnCoverage,
        contextWindowTokens);
  }

  @Override
  public String toString() {
    return "ModelProfile["
        + model
        + (known ? "" : ", unknown")
        + ", modalities="
        + responseModalities
        + ", thinking="
        + thinking
        + ", asyncFunctionCalling="
        + asyncFunctionCalling
        + ", contextWindowTokens="
        + contextWindowTokens
        + "]";
  }

  private static Builder known(String id) {
    Builder b = builder(id);
    b.known = true;
    return b;
  }

  /** 3.8's rules (the model page, "migrating from 3.1"). */
  private static Builder live38(String id) {
    return known(id)
        .thinking(Thinking.INTERLEAVED)
        .asyncFunctionCalling(true)
        .defaultToolBehavior(ToolBehavior.NON_BLOCKING)
        .affectiveDialog(Support.REMOVED)
        .vertexAffectiveDialog(Support.OPTIONAL)
        .proactiveAudio(Support.ALWAYS_ON)
        .clientContentAnytime(true)
        .contextUpdates(true)
        .defaultTurnCoverage(TurnCoverage.TURN_INCLUDES_AUDIO_ACTIVITY_AND_ALL_VIDEO);
  }

  private static ModelProfile nativeAudio25(String id) {
    return known(id)
        .affectiveDialog(Support.OPTIONAL)
        .vertexAffectiveDialog(Support.OPTIONAL)
        .proactiveAudio(Support.OPTIONAL)
        .build();
  }

  /**
   * Builds a {@link ModelProfile}; each setter checks its argument. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private String model;
    private boolean known;
    private Set<ResponseModality> responseModalities = Set.of(ResponseModality.AUDIO);
    private Thinking thinking = Thinking.BUDGET;
    private Set<ThinkingLevel> thinkingLevels = EnumSet.allOf(ThinkingLevel.class);
    private boolean asyncFunctionCalling = true;
    private ToolBehavior defaultToolBehavior = ToolBehavior.UNSPECIFIED;
    private boolean blockingTools = true;
    private Support affectiveDialog = Support.UNSUPPORTED;
    private Support vertexAffectiveDialog = Support.UNSUPPORTED;
    private Support proactiveAudio = Support.UNSUPPORTED;
    private boolean clientContentAnytime = true;
    private boolean contextUpdates;
    private @Nullable TurnCoverage defaultTurnCoverage;
    private int contextWindowTokens = DEFAULT_CONTEXT_WINDOW_TOKENS;

    private Builder(String model) {
      model(model);
    }

    /**
     * The model id.
     *
     * @param model the model id without the {@code models/} prefix; not blank
     * @return this builder
     */
    public Builder model(String model) {
      Objects.requireNonNull(model, "model");
      if (model.isBlank() || model.startsWith("models/")) {
        throw new IllegalArgumentException(
            "model must be an id without the models/ prefix, such as gemini-3.8-live: " + model);
      }
      this.model = model;
      return this;
    }

    /**
     * The response modalities the model accepts.
     *
     * @param modalities one or more modalities
     * @return this builder
     */
    public Builder responseModalities(Set<ResponseModality> modalities) {
      if (Objects.requireNonNull(modalities, "modalities").isEmpty()) {
        throw new IllegalArgumentException("responseModalities must not be empty");
      }
      this.responseModalities = Set.copyOf(modalities);
      return this;
    }

    /**
     * How the model's thinking is configured.
     *
     * @param thinking the kind of thinking setting the model takes
     * @return this builder
     */
    public Builder thinking(Thinking thinking) {
      this.thinking = Objects.requireNonNull(thinking, "thinking");
      return this;
    }

    /**
     * The thinking levels the model takes (all of them unless set), when it thinks by level.
     *
     * @param levels one or more levels
     * @return this builder
     */
    public Builder thinkingLevels(Set<ThinkingLevel> levels) {
      if (Objects.requireNonNull(levels, "levels").isEmpty()) {
        throw new IllegalArgumentException("thinkingLevels must not be empty");
      }
      this.thinkingLevels = Set.copyOf(levels);
      return this;
    }

    /**
     * Whether NON_BLOCKING declarations and response scheduling are honoured.
     *
     * @param async false when the model waits for every tool response
     * @return this builder
     */
    public Builder asyncFunctionCalling(boolean async) {
      this.asyncFunctionCalling = async;
      return this;
    }

    /**
     * What a tool declared with {@link ToolBehavior#UNSPECIFIED} is declared as.
     *
     * @param behavior {@code NON_BLOCKING}, or {@code UNSPECIFIED} to send no behavior
     * @return this builder
     */
    public Builder defaultToolBehavior(ToolBehavior behavior) {
      this.defaultToolBehavior = Objects.requireNonNull(behavior, "behavior");
      return this;
    }

    /**
     * Whether a tool may be declared {@link ToolBehavior#BLOCKING}.
     *
     * @param allowed false for models that call tools asynchronously only
     * @return this builder
     */
    public Builder blockingTools(boolean allowed) {
      this.blockingTools = allowed;
      return this;
    }

    /**
     * Affective dialog on the Gemini API.
     *
     * @param support how far the model offers it there
     * @return this builder
     */
    public Builder affectiveDialog(Support support) {
      this.affectiveDialog = Objects.requireNonNull(support, "support");
      return this;
    }

    /**
     * Affective dialog on Vertex AI.
     *
     * @param support how far the model offers it there
     * @return this builder
     */
    public Builder vertexAffectiveDialog(Support support) {
      this.vertexAffectiveDialog = Objects.requireNonNull(support, "support");
      return this;
    }

    /**
     * Proactive audio.
     *
     * @param support how far the model offers it
     * @return this builder
     */
    public Builder proactiveAudio(Support support) {
      this.proactiveAudio = Objects.requireNonNull(support, "support");
      return this;
    }

    /**
     * Whether {@code clientContent} may be sent at any time.
     *
     * @param anytime false when client content only seeds the initial history
     * @return this builder
     */
    public Builder clientContentAnytime(boolean anytime) {
      this.clientContentAnytime = anytime;
      return this;
    }

    /**
     * Whether the model takes {@code contextUpdate} mid-session.
     *
     * @param supported true when it does
     * @return this builder
     */
    public Builder contextUpdates(boolean supported) {
      this.contextUpdates = supported;
      return this;
    }

    /**
     * The turn coverage the service applies when none is set.
     *
     * @param coverage the default, or null where not stated
     * @return this builder
     */
    public Builder defaultTurnCoverage(@Nullable TurnCoverage coverage) {
      this.defaultTurnCoverage = coverage;
      return this;
    }

    /**
     * The model's input token limit.
     *
     * @param tokens the limit; positive
     * @return this builder
     */
    public Builder contextWindowTokens(int tokens) {
      if (tokens <= 0) {
        throw new IllegalArgumentException("contextWindowTokens must be positive: " + tokens);
      }
      this.contextWindowTokens = tokens;
      return this;
    }

    /** {@return the profile} */
    public ModelProfile build() {
      return new ModelProfile(this);
    }
  }
}
