package dev.geminilive;

import dev.geminilive.tools.ToolBehavior;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
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

  /**
   * How long the service keeps a Live connection open: about ten minutes, announced with {@code
   * goAway} about a minute before.
   */
  public static final Duration DEFAULT_CONNECTION_LIFETIME = Duration.ofMinutes(10);

  /**
   * How long a 3.8 service session lasts across resumes: sessions were seen closed with 1011 at
   * about 58 minutes (reported, not documented).
   */
  public static final Duration GEMINI_3_8_SESSION_LIFETIME = Duration.ofMinutes(58);

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

  /** Every property; a private copy that nothing changes after construction. */
  private final Builder p;

  private ModelProfile(Builder b) {
    this.p = b.copy();
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
    ModelProfile known = ModelTable.find(id);
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
    Builder b = p.copy();
    b.known = false;
    return b;
  }

  /** {@return the model id without the {@code models/} prefix} */
  public String model() {
    return p.model;
  }

  /** {@return whether this profile comes from the library's table} */
  public boolean known() {
    return p.known;
  }

  /** {@return the response modalities the model accepts} */
  public Set<ResponseModality> responseModalities() {
    return p.responseModalities;
  }

  /** {@return how the model's thinking is configured} */
  public Thinking thinking() {
    return p.thinking;
  }

  /** {@return the thinking levels the model takes, when it thinks by {@link Thinking#LEVEL}} */
  public Set<ThinkingLevel> thinkingLevels() {
    return p.thinkingLevels;
  }

  /**
   * {@return whether NON_BLOCKING declarations and response scheduling are honoured (false: the
   * model waits for every tool response)}
   */
  public boolean asyncFunctionCalling() {
    return p.asyncFunctionCalling;
  }

  /**
   * {@return what a tool declared with {@link ToolBehavior#UNSPECIFIED} is declared as on this
   * model: {@code NON_BLOCKING} where the model calls tools asynchronously by default (3.8), or
   * {@code UNSPECIFIED}, sent without a behavior so that the service's default (blocking) applies}
   */
  public ToolBehavior defaultToolBehavior() {
    return p.defaultToolBehavior;
  }

  /** {@return whether a tool may be declared {@link ToolBehavior#BLOCKING}} */
  public boolean blockingTools() {
    return p.blockingTools;
  }

  /** {@return affective dialog ({@code enableAffectiveDialog}) on the Gemini API} */
  public Support affectiveDialog() {
    return p.affectiveDialog;
  }

  /** {@return affective dialog ({@code enableAffectiveDialog}) on Vertex AI} */
  public Support vertexAffectiveDialog() {
    return p.vertexAffectiveDialog;
  }

  /** {@return proactive audio ({@code proactivity.proactiveAudio})} */
  public Support proactiveAudio() {
    return p.proactiveAudio;
  }

  /**
   * {@return whether {@code clientContent} may be sent at any time (false: only to seed the initial
   * history, with {@code historyConfig.initialHistoryInClientContent})}
   */
  public boolean clientContentAnytime() {
    return p.clientContentAnytime;
  }

  /**
   * {@return whether the model takes {@code contextUpdate} (a new system instruction or tools
   * without reconnecting); without it an update needs a new connection}
   */
  public boolean contextUpdates() {
    return p.contextUpdates;
  }

  /** {@return the turn coverage the service applies when none is set, or null where not stated} */
  public @Nullable TurnCoverage defaultTurnCoverage() {
    return p.defaultTurnCoverage;
  }

  /** {@return the model's input token limit} */
  public int contextWindowTokens() {
    return p.contextWindowTokens;
  }

  /**
   * {@return how long the service keeps one connection open, if known ({@link
   * #DEFAULT_CONNECTION_LIFETIME} for the known models): the session moves at a natural pause
   * before it}
   */
  public Optional<Duration> connectionLifetime() {
    return Optional.ofNullable(p.connectionLifetime);
  }

  /**
   * {@return how long one service session lasts across resumes, if known ({@link
   * #GEMINI_3_8_SESSION_LIFETIME} on 3.8): the session moves to a fresh service session, seeded
   * with the conversation, at a natural pause before it}
   */
  public Optional<Duration> sessionLifetime() {
    return Optional.ofNullable(p.sessionLifetime);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ModelProfile other && other.p.values().equals(p.values());
  }

  @Override
  public int hashCode() {
    return p.values().hashCode();
  }

  @Override
  public String toString() {
    return "ModelProfile["
        + p.model
        + (p.known ? "" : ", unknown")
        + ", modalities="
        + p.responseModalities
        + ", thinking="
        + p.thinking
        + ", asyncFunctionCalling="
        + p.asyncFunctionCalling
        + ", contextWindowTokens="
        + p.contextWindowTokens
        + "]";
  }

  /**
   * Builds a {@link ModelProfile}; each setter checks its argument (the setters live in a
   * package-private part this class extends and are documented here as its own). Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder extends ProfileSettings {
    private Builder(String model) {
      model(model);
    }

    /** A copy sharing nothing mutable (the sets are immutable). */
    Builder copy() {
      Builder c = new Builder(model);
      c.known = known;
      c.responseModalities = responseModalities;
      c.thinking = thinking;
      c.thinkingLevels = thinkingLevels;
      c.asyncFunctionCalling = asyncFunctionCalling;
      c.defaultToolBehavior = defaultToolBehavior;
      c.blockingTools = blockingTools;
      c.affectiveDialog = affectiveDialog;
      c.vertexAffectiveDialog = vertexAffectiveDialog;
      c.proactiveAudio = proactiveAudio;
      c.clientContentAnytime = clientContentAnytime;
      c.contextUpdates = contextUpdates;
      c.defaultTurnCoverage = defaultTurnCoverage;
      c.contextWindowTokens = contextWindowTokens;
      c.connectionLifetime = connectionLifetime;
      c.sessionLifetime = sessionLifetime;
      return c;
    }

    @Override
    Builder self() {
      return this;
    }

    /** {@return the profile} */
    public ModelProfile build() {
      return new ModelProfile(this);
    }
  }
}
