package dev.geminilive;

import dev.geminilive.ModelProfile.Support;
import dev.geminilive.ModelProfile.Thinking;
import dev.geminilive.tools.ToolBehavior;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The properties of a {@link ModelProfile} and their setters: the part of {@link
 * ModelProfile.Builder}, its only subclass, that holds and checks them; the builder documents these
 * setters as its own. Not thread-safe.
 */
abstract sealed class ProfileSettings permits ModelProfile.Builder {
  String model;
  boolean known;
  Set<ResponseModality> responseModalities = Set.of(ResponseModality.AUDIO);
  Thinking thinking = Thinking.BUDGET;
  Set<ThinkingLevel> thinkingLevels = Set.copyOf(EnumSet.allOf(ThinkingLevel.class));
  boolean asyncFunctionCalling = true;
  ToolBehavior defaultToolBehavior = ToolBehavior.UNSPECIFIED;
  boolean blockingTools = true;
  Support affectiveDialog = Support.UNSUPPORTED;
  Support vertexAffectiveDialog = Support.UNSUPPORTED;
  Support proactiveAudio = Support.UNSUPPORTED;
  boolean clientContentAnytime = true;
  boolean contextUpdates;
  @Nullable TurnCoverage defaultTurnCoverage;
  int contextWindowTokens = ModelProfile.DEFAULT_CONTEXT_WINDOW_TOKENS;
  @Nullable Duration connectionLifetime;
  @Nullable Duration sessionLifetime;

  /** Every property, for equality. */
  List<Object> values() {
    return Arrays.asList(
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
        contextWindowTokens,
        connectionLifetime,
        sessionLifetime);
  }

  /**
   * The model id.
   *
   * @param model the model id without the {@code models/} prefix; not blank
   * @return this builder
   */
  public ModelProfile.Builder model(String model) {
    Objects.requireNonNull(model, "model");
    if (model.isBlank() || model.startsWith("models/")) {
      throw new IllegalArgumentException(
          "model must be an id without the models/ prefix, such as gemini-3.8-live: " + model);
    }
    this.model = model;
    return self();
  }

  /**
   * The response modalities the model accepts.
   *
   * @param modalities one or more modalities
   * @return this builder
   */
  public ModelProfile.Builder responseModalities(Set<ResponseModality> modalities) {
    if (Objects.requireNonNull(modalities, "modalities").isEmpty()) {
      throw new IllegalArgumentException("responseModalities must not be empty");
    }
    this.responseModalities = Set.copyOf(modalities);
    return self();
  }

  /**
   * How the model's thinking is configured.
   *
   * @param thinking the kind of thinking setting the model takes
   * @return this builder
   */
  public ModelProfile.Builder thinking(Thinking thinking) {
    this.thinking = Objects.requireNonNull(thinking, "thinking");
    return self();
  }

  /**
   * The thinking levels the model takes (all of them unless set), when it thinks by level.
   *
   * @param levels one or more levels
   * @return this builder
   */
  public ModelProfile.Builder thinkingLevels(Set<ThinkingLevel> levels) {
    if (Objects.requireNonNull(levels, "levels").isEmpty()) {
      throw new IllegalArgumentException("thinkingLevels must not be empty");
    }
    this.thinkingLevels = Set.copyOf(levels);
    return self();
  }

  /**
   * Whether NON_BLOCKING declarations and response scheduling are honoured.
   *
   * @param async false when the model waits for every tool response
   * @return this builder
   */
  public ModelProfile.Builder asyncFunctionCalling(boolean async) {
    this.asyncFunctionCalling = async;
    return self();
  }

  /**
   * What a tool declared with {@link ToolBehavior#UNSPECIFIED} is declared as.
   *
   * @param behavior {@code NON_BLOCKING}, or {@code UNSPECIFIED} to send no behavior
   * @return this builder
   */
  public ModelProfile.Builder defaultToolBehavior(ToolBehavior behavior) {
    this.defaultToolBehavior = Objects.requireNonNull(behavior, "behavior");
    return self();
  }

  /**
   * Whether a tool may be declared {@link ToolBehavior#BLOCKING}.
   *
   * @param allowed false for models that call tools asynchronously only
   * @return this builder
   */
  public ModelProfile.Builder blockingTools(boolean allowed) {
    this.blockingTools = allowed;
    return self();
  }

  /**
   * Affective dialog on the Gemini API.
   *
   * @param support how far the model offers it there
   * @return this builder
   */
  public ModelProfile.Builder affectiveDialog(Support support) {
    this.affectiveDialog = Objects.requireNonNull(support, "support");
    return self();
  }

  /**
   * Affective dialog on Vertex AI.
   *
   * @param support how far the model offers it there
   * @return this builder
   */
  public ModelProfile.Builder vertexAffectiveDialog(Support support) {
    this.vertexAffectiveDialog = Objects.requireNonNull(support, "support");
    return self();
  }

  /**
   * Proactive audio.
   *
   * @param support how far the model offers it
   * @return this builder
   */
  public ModelProfile.Builder proactiveAudio(Support support) {
    this.proactiveAudio = Objects.requireNonNull(support, "support");
    return self();
  }

  /**
   * Whether {@code clientContent} may be sent at any time.
   *
   * @param anytime false when client content only seeds the initial history
   * @return this builder
   */
  public ModelProfile.Builder clientContentAnytime(boolean anytime) {
    this.clientContentAnytime = anytime;
    return self();
  }

  /**
   * Whether the model takes {@code contextUpdate} mid-session.
   *
   * @param supported true when it does
   * @return this builder
   */
  public ModelProfile.Builder contextUpdates(boolean supported) {
    this.contextUpdates = supported;
    return self();
  }

  /**
   * The turn coverage the service applies when none is set.
   *
   * @param coverage the default, or null where not stated
   * @return this builder
   */
  public ModelProfile.Builder defaultTurnCoverage(@Nullable TurnCoverage coverage) {
    this.defaultTurnCoverage = coverage;
    return self();
  }

  /**
   * The model's input token limit.
   *
   * @param tokens the limit; positive
   * @return this builder
   */
  public ModelProfile.Builder contextWindowTokens(int tokens) {
    if (tokens <= 0) {
      throw new IllegalArgumentException("contextWindowTokens must be positive: " + tokens);
    }
    this.contextWindowTokens = tokens;
    return self();
  }

  /**
   * How long the service keeps one connection open (it announces the end with {@code goAway}); the
   * session moves to a new connection at a natural pause before it, also when no {@code goAway}
   * comes.
   *
   * @param lifetime the connection's lifetime; positive, or null where none is known
   * @return this builder
   */
  public ModelProfile.Builder connectionLifetime(@Nullable Duration lifetime) {
    this.connectionLifetime = positiveOrNull(lifetime, "connectionLifetime");
    return self();
  }

  /**
   * How long the service keeps one service session, across resumes, before it closes it (1011); the
   * session moves to a fresh service session, seeded with the conversation, at a natural pause
   * before it.
   *
   * @param lifetime the service session's lifetime; positive, or null where none is known
   * @return this builder
   */
  public ModelProfile.Builder sessionLifetime(@Nullable Duration lifetime) {
    this.sessionLifetime = positiveOrNull(lifetime, "sessionLifetime");
    return self();
  }

  private static @Nullable Duration positiveOrNull(@Nullable Duration d, String name) {
    if (d != null && (d.isNegative() || d.isZero())) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
    return d;
  }

  /** {@return the builder these settings belong to} */
  abstract ModelProfile.Builder self();
}
