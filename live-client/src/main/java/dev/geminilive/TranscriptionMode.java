package dev.geminilive;

/**
 * How speech is written down ({@code AudioTranscriptionConfig.mode}).
 *
 * @since 0.1
 */
public enum TranscriptionMode {
  /** Every word as spoken, fillers and repetitions included. */
  VERBATIM,
  /** Cleaned up for reading: fillers and false starts left out. */
  SMART
}
