package dev.geminilive;

import java.util.Objects;

/**
 * The settings of {@link LiveSessionBuilder} for realtime input: voice activity detection, what
 * user activity does to a model turn, and transcription.
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
}
