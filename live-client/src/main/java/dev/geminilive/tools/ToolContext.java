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
  /** The id of the session the call belongs to. */
  String sessionId();

  /** The call id the service assigned ({@code functionCalls[].id}); empty if it sent none. */
  String callId();

  /** The tool's name. */
  String toolName();

  /** Whether the call was cancelled. */
  boolean isCancelled();

  /** Completes (normally) when the call is cancelled; never completes otherwise. */
  CompletionStage<Void> cancellation();

  /** Names of the tools that have succeeded so far in this session (a read-only snapshot). */
  Set<String> succeededTools();
}
