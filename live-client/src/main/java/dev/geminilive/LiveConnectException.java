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

  /** The WebSocket close code, or 0 when there was none. */
  private final int closeCode;

  /** The close reason the service sent; empty if none. */
  private final String closeReason;

  /** Whether trying again can succeed without changing the request. */
  private final boolean retryable;

  /**
   * Creates the exception without a close code.
   *
   * @param message what went wrong, for people reading logs
   * @param retryable whether trying again can succeed without changing the request
   * @param cause the underlying failure, or null if none
   */
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

  /**
   * The WebSocket close code the service sent, or 0 when there was none (a drop, a timeout).
   *
   * @return the close code, or 0 if the connection ended without one
   */
  public int closeCode() {
    return closeCode;
  }

  /**
   * The close reason the service sent, or an empty string.
   *
   * @return the close reason; empty if the service sent none
   */
  public String closeReason() {
    return closeReason;
  }

  /**
   * Whether trying again can succeed without changing the request.
   *
   * @return true if a retry may succeed, false if the request itself must change (auth,
   *     configuration)
   */
  public boolean isRetryable() {
    return retryable;
  }
}
