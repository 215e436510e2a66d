package dev.geminilive;

import org.jspecify.annotations.Nullable;

/**
 * A connection could not be opened or was ended by the service.
 *
 * <p>{@link #closeCode()} and {@link #closeReason()} carry the WebSocket close the service sent,
 * when there was one (0 and an empty string otherwise). {@link #isRetryable()} says whether trying
 * again can help: a dropped network can heal, an invalid setup ({@code 1007}) cannot.
 *
 * @since 0.1
 */
public class LiveConnectException extends LiveException {
  private static final long serialVersionUID = 1L;

  private final int closeCode;
  private final String closeReason;
  private final boolean retryable;

  /** Creates the exception without a close code. */
  public LiveConnectException(String message, boolean retryable, @Nullable Throwable cause) {
    this(message, 0, "", retryable, cause);
  }

  /**
   * Creates the exception.
   *
   * @param message what happened, with context (model, attempt), never a secret
   * @param closeCode the WebSocket close code, or 0 when the connection ended without one
   * @param closeReason the close reason the service sent, or an empty string
   * @param retryable whether a later attempt can succeed
   * @param cause the underlying failure, if any
   */
  public LiveConnectException(
      String message,
      int closeCode,
      String closeReason,
      boolean retryable,
      @Nullable Throwable cause) {
    super(message, cause);
    this.closeCode = closeCode;
    this.closeReason = closeReason;
    this.retryable = retryable;
  }

  /** The WebSocket close code the service sent, or 0 when there was none (a drop, a timeout). */
  public int closeCode() {
    return closeCode;
  }

  /** The close reason the service sent, or an empty string. */
  public String closeReason() {
    return closeReason;
  }

  /** Whether trying again can succeed without changing the request. */
  public boolean isRetryable() {
    return retryable;
  }
}
