package dev.geminilive;

import org.jspecify.annotations.Nullable;

/**
 * The service sent something this library cannot make sense of (malformed JSON, a frame of the
 * wrong shape). Reported to the listener; the session goes on where it can.
 *
 * @since 0.1
 */
public final class LiveProtocolException extends LiveException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was wrong with the frame, for people reading logs
   * @param cause the parse failure, or null if none
   */
  public LiveProtocolException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
