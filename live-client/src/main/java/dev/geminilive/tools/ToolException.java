package dev.geminilive.tools;

import dev.geminilive.LiveException;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by a tool handler to answer the model with a message written for the model.
 *
 * <p>The message is sent verbatim as {@code {"error": "<message>"}}, so it must not hold secrets.
 * Any other exception a handler throws reaches the model only as a generic failure message; its
 * text stays in the application log.
 *
 * <pre>{@code
 * if (client == null) throw new ToolException("No client with id " + id + ". Create a profile first.");
 * }</pre>
 *
 * @since 0.1
 */
public class ToolException extends LiveException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message for the model.
   *
   * @param modelMessage the error text the model receives; keep secrets out of it
   */
  public ToolException(String modelMessage) {
    super(modelMessage);
  }

  /**
   * Creates the exception with a message for the model and a cause for the log.
   *
   * @param modelMessage the error text the model receives; keep secrets out of it
   * @param cause the underlying failure, logged but not sent to the model; null if none
   */
  public ToolException(String modelMessage, @Nullable Throwable cause) {
    super(modelMessage, cause);
  }
}
