package dev.geminilive;

import org.jspecify.annotations.Nullable;

/**
 * The service refused the credentials: a missing or wrong API key, or an ephemeral token that is
 * unknown, expired or used up. Never retryable with the same credentials.
 *
 * @since 0.1
 */
public final class LiveAuthException extends LiveConnectException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what went wrong, for people reading logs
   * @param closeCode the WebSocket close code, or 0 if there was none (for example an HTTP 401 on
   *     the upgrade)
   * @param closeReason the close reason the service sent; empty if none
   * @param cause the underlying failure, or null if none
   */
  public LiveAuthException(
      String message, int closeCode, String closeReason, @Nullable Throwable cause) {
    super(message, closeCode, closeReason, false, cause);
  }
}
