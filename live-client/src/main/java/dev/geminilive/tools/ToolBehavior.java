package dev.geminilive.tools;

/**
 * Whether the model waits for a tool's result ({@code FunctionDeclaration.behavior}).
 *
 * <p>Only the Live API honours it, and {@code gemini-3.1-flash-live-preview} supports only blocking
 * calls.
 *
 * @since 0.1
 */
public enum ToolBehavior {
  /** Not sent; the service default (blocking) applies. */
  UNSPECIFIED,
  /** The conversation pauses until the tool answers. */
  BLOCKING,
  /**
   * The model keeps talking while the tool runs; the answer is placed per {@link ToolScheduling}.
   * Experimental: only a preview model (2.5 native audio) calls tools asynchronously.
   */
  @dev.geminilive.Experimental
  NON_BLOCKING
}
