package dev.geminilive;

/**
 * An operation on a session that is already closed or failed.
 *
 * @since 0.1
 */
public final class LiveSessionClosedException extends LiveException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was attempted on the closed session
   */
  public LiveSessionClosedException(String message) {
    super(message);
  }
}
