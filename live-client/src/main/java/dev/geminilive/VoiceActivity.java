package dev.geminilive;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The service's voice activity detection saw the user start or stop speaking (top-level {@code
 * voiceActivity}). Useful to stop playback at once when the user starts to speak, before any {@code
 * interrupted} arrives. Not the SDK's {@code com.google.genai.types.VoiceActivity}. Immutable and
 * thread-safe.
 *
 * @param type whether speech started or ended
 * @param audioOffset where in the input audio it happened ({@code audioOffset}), or null when not
 *     sent
 * @since 0.1
 */
public record VoiceActivity(Type type, @Nullable Duration audioOffset) {

  /** What the detector saw. */
  public enum Type {
    /** {@code ACTIVITY_START}: the user started speaking. */
    ACTIVITY_START,
    /** {@code ACTIVITY_END}: the user stopped speaking. */
    ACTIVITY_END
  }

  /**
   * Checks the type.
   *
   * @param type whether speech started or ended
   * @param audioOffset the offset in the input audio, or null
   */
  public VoiceActivity {
    Objects.requireNonNull(type, "type");
  }
}
