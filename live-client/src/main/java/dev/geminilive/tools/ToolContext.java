package dev.geminilive.tools;

import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The call a handler is running for; declare it as a parameter of a {@link LiveTool} method (it is
 * not part of the tool's schema) or take it in a {@link ToolHandler}.
 *
 * <p>A call is cancelled when the service sends {@code toolCallCancellation} for it, when it times
 * out, or when the session closes; its answer is then dropped. Long-running handlers should check
 * {@link #isCancelled()} or react to {@link #cancellation()}; a handler running synchronously is
 * also interrupted.
 *
 * @since 0.1
 */
public interface ToolContext {
  /**
   * The name of the session the call belongs to: the same value as {@link
   * dev.geminilive.ResilientLiveSession#name()}, which the library's log lines and thread names
   * carry (such as {@code live-session-3}). It is not the service's session id ({@link
   * dev.geminilive.ResilientLiveSession#sessionId()}), which can be absent and can change when the
   * session moves to a new connection.
   *
   * @return the session's name; never empty, the same for the whole life of the session
   */
  String sessionName();

  /**
   * The call id the service assigned ({@code functionCalls[].id}); empty if it sent none.
   *
   * @return the call id, or an empty string
   */
  String callId();

  /**
   * The tool's name.
   *
   * @return the name of the tool being run
   */
  String toolName();

  /**
   * Whether the call was cancelled.
   *
   * @return true once the service cancelled the call or the session closed
   */
  boolean isCancelled();

  /**
   * Completes (normally) when the call is cancelled; never completes otherwise.
   *
   * @return a stage that completes on cancellation
   */
  CompletionStage<Void> cancellation();

  /**
   * Names of the tools that have succeeded so far in this session (a read-only snapshot).
   *
   * @return the names of the succeeded tools, unmodifiable
   */
  Set<String> succeededTools();
}
