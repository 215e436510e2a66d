package dev.geminilive.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Receives events about tool calls, for logging, metrics or UI; may not change behaviour.
 *
 * <p>All methods have no-op defaults. Methods are called on the thread that ran the call, possibly
 * concurrently for parallel calls, so implementations must be thread-safe and return quickly. An
 * observer that throws is logged and ignored.
 *
 * @since 0.1
 */
public interface ToolObserver {
  /** An observer that ignores every event. */
  ToolObserver NONE = new ToolObserver() {};

  /** A call started, with its arguments as the model sent them. */
  default void onToolStarted(String name, String callId, JsonNode arguments) {}

  /** A call succeeded; {@code result} is what the model receives under {@code output}. */
  default void onToolCompleted(String name, String callId, JsonNode result, Duration elapsed) {}

  /**
   * A call failed (bad arguments, out of order, unknown tool, timeout or handler exception); {@code
   * modelMessage} is what the model receives under {@code error}.
   */
  default void onToolFailed(
      String name, String callId, String modelMessage, @Nullable Throwable cause) {}

  /** A call was cancelled before it finished; the model gets no answer for it. */
  default void onToolCancelled(String name, String callId) {}
}
