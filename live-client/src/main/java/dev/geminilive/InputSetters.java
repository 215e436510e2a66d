package dev.geminilive;

import java.util.Objects;

/**
 * The settings of {@link LiveSessionBuilder} for realtime input: voice activity detection, what
 * user activity does to a model turn, transcription and its settings, and the service's voice
 * activity signals.
 *
 * <p>A part of {@link LiveSessionBuilder}, its only public subclass, which documents these methods
 * as its own: every setter here checks its own argument and returns that builder. Not thread-safe.
 */
abstract sealed class InputSetters extends InstructionSetters permits LongSessionSetters {
  InputSetters(SessionSettings settings) {
    super(settings);
  }

  /**
   * Voice activity detection ({@link ActivityDetection#automatic()} by default).
   *
   * @param detection the detection settings
   * @return this builder
   */
  public LiveSessionBuilder activityDetection(ActivityDetection detection) {
    s.activityDetection = Objects.requireNonNull(detection, "detection");
    return self();
  }

  /**
   * What user activity does to a model turn in progress.
   *
   * @param handling whether user activity interrupts the model
   * @return this builder
   */
  public LiveSessionBuilder activityHandling(ActivityHandling handling) {
    s.activityHandling = Objects.requireNonNull(handling, "handling");
    return self();
  }

  /**
   * Which input a user turn includes.
   *
   * @param coverage whether a turn includes only detected activity or all input
   * @return this builder
   */
  public LiveSessionBuilder turnCoverage(TurnCoverage coverage) {
    s.turnCoverage = Objects.requireNonNull(coverage, "coverage");
    return self();
  }

  /**
   * Whether the user's speech is transcribed (on by default).
   *
   * @param enabled false to turn input transcription off
   * @return this builder
   */
  public LiveSessionBuilder inputTranscription(boolean enabled) {
    s.inputTranscription = enabled;
    return self();
  }

  /**
   * Whether the model's speech is transcribed (on by default).
   *
   * @param enabled false to turn output transcription off
   * @return this builder
   */
  public LiveSessionBuilder outputTranscription(boolean enabled) {
    s.outputTranscription = enabled;
    return self();
  }

  /**
   * Transcribes the user's speech with these settings (domain vocabulary, languages, style); the
   * same as {@code inputTranscription(true)} with {@link Transcription#defaults()}.
   *
   * @param settings how the user's speech is transcribed
   * @return this builder
   */
  public LiveSessionBuilder inputTranscription(Transcription settings) {
    s.inputTranscriptionSettings = Objects.requireNonNull(settings, "settings");
    s.inputTranscription = true;
    return self();
  }

  /**
   * Transcribes the model's speech with these settings; the same as {@code
   * outputTranscription(true)} with {@link Transcription#defaults()}.
   *
   * @param settings how the model's speech is transcribed
   * @return this builder
   */
  public LiveSessionBuilder outputTranscription(Transcription settings) {
    s.outputTranscriptionSettings = Objects.requireNonNull(settings, "settings");
    s.outputTranscription = true;
    return self();
  }

  /**
   * Asks the service to say when its voice activity detection hears speech start and end ({@code
   * explicitVadSignal}). Offered by Vertex AI only, which {@code build()} checks.
   *
   * @param enabled true to receive the service's voice activity signals
   * @return this builder
   */
  public LiveSessionBuilder explicitVadSignal(boolean enabled) {
    s.explicitVadSignal = enabled;
    return self();
  }
}
