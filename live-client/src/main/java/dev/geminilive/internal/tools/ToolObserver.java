package dev.geminilive.internal.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.tools.ToolStatus;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How {@link ToolDispatcher} reports each call to the session's tool loop, which turns a finished
 * call into {@code LiveListener.onToolResult}. Not API: applications see tool calls through the
 * listener and through {@code LiveObserver}'s tool events (metrics, tracing).
 *
 * <p>All methods have no-op defaults. Methods are called on the thread that ran the call, possibly
 * concurrently for parallel calls, so implementations must be thread-safe and return quickly. An
 * observer that throws is logged and ignored.
 */
public interface ToolObserver {
  /** An observer that ignores every event. */
  ToolObserver NONE = new ToolObserver() {};

  /**
   * A call started, with its arguments as the model sent them.
   *
   * @param name the tool name
   * @param callId the call's key: its id, or for a call without one a key no other call shares
   *     ({@link ToolCallKeys})
   * @param arguments the arguments as the model sent them
   */
  default void onToolStarted(String name, String callId, JsonNode arguments) {}

  /**
   * A call succeeded; {@code result} is what the model receives under {@code output}.
   *
   * @param name the tool name
   * @param callId the call's key: its id, or for a call without one a key no other call shares
   *     ({@link ToolCallKeys})
   * @param result the output sent to the model
   * @param elapsed the time from start to completion
   */
  default void onToolCompleted(String name, String callId, JsonNode result, Duration elapsed) {}

  /**
   * A call failed (bad arguments, out of order, unknown tool, timeout or handler exception); the
   * model receives {@code answer} as {@link ToolDispatcher#errorResponse}, its message under {@code
   * error}.
   *
   * @param name the tool name
   * @param callId the call's key: its id, or for a call without one a key no other call shares
   *     ({@link ToolCallKeys})
   * @param answer what the model is told: status, retryable, hint, options and message
   * @param cause the exception behind the failure, or null if there was none (bad arguments, order)
   */
  default void onToolFailed(
      String name, String callId, ToolStatus answer, @Nullable Throwable cause) {}

  /**
   * A call was cancelled before it finished; the model gets no answer for it.
   *
   * @param name the tool name
   * @param callId the call's key: its id, or for a call without one a key no other call shares
   *     ({@link ToolCallKeys})
   */
  default void onToolCancelled(String name, String callId) {}
}
