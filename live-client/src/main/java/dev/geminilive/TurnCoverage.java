package dev.geminilive;

/**
 * Which input a user turn includes.
 *
 * @since 0.1
 */
public enum TurnCoverage {
  /** Only input during detected activity (the default of 2.5 models). */
  TURN_INCLUDES_ONLY_ACTIVITY,
  /** All input since the last turn, silence included. */
  TURN_INCLUDES_ALL_INPUT,
  /** Audio during activity and all video (the default of 3.1 models). */
  TURN_INCLUDES_AUDIO_ACTIVITY_AND_ALL_VIDEO
}
