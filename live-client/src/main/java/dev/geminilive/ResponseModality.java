package dev.geminilive;

/**
 * What the model answers with.
 *
 * <p>Native-audio models answer with {@link #AUDIO} only; the words they speak arrive as output
 * transcription. {@link #TEXT} is for the few models that support text-only sessions.
 *
 * @since 0.1
 */
public enum ResponseModality {
  /** 24 kHz PCM16 speech, with output transcription when enabled. */
  AUDIO,
  /** Text parts only. */
  TEXT
}
