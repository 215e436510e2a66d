package dev.geminilive;

import org.jspecify.annotations.Nullable;

/**
 * Base of every exception this library throws for a problem with a Live session.
 *
 * <p>All are unchecked. Messages say what happened and what to do, and never contain API keys or
 * tokens. Misuse of an API (a null argument, a call on a closed builder) is reported with the JDK's
 * own {@link NullPointerException}, {@link IllegalArgumentException} or {@link
 * IllegalStateException} instead.
 *
 * @since 0.1
 */
public class LiveException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message and no cause.
   *
   * @param message what went wrong, for people reading logs
   */
  public LiveException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and the cause it wraps.
   *
   * @param message what went wrong, for people reading logs
   * @param cause the underlying failure, or null if none
   */
  public LiveException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
