package dev.geminilive;

/**
 * A voice activity detection signal ({@code voiceActivityDetectionSignal.vadSignalType}): the
 * service's detector saw the start or the end of the user's speech. Models send it where the setup
 * asks for explicit VAD signals. Immutable and thread-safe.
 *
 * @since 0.1
 */
public enum VadSignal {
  /** {@code VAD_SIGNAL_TYPE_SOS}: start of speech. */
  START_OF_SPEECH,
  /** {@code VAD_SIGNAL_TYPE_EOS}: end of speech. */
  END_OF_SPEECH
}
