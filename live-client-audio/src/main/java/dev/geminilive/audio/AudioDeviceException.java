package dev.geminilive.audio;

import dev.geminilive.LiveException;
import org.jspecify.annotations.Nullable;

/**
 * A microphone or speaker line could not be opened or failed while in use.
 *
 * <p>Wraps the {@code javax.sound.sampled} failure (if there was one) and says which format was
 * asked for, which formats were tried, and which mixers the JDK found, so a machine without a sound
 * card, a missing PulseAudio / ALSA device or a headless container is recognisable from the message
 * alone. Unchecked, like every exception of this library.
 *
 * @since 0.1
 */
public class AudioDeviceException extends LiveException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message and no cause.
   *
   * @param message what went wrong, for people reading logs
   */
  public AudioDeviceException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message and the {@code javax.sound} failure it wraps.
   *
   * @param message what went wrong, for people reading logs
   * @param cause the {@code javax.sound} exception, or null if none
   */
  public AudioDeviceException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
