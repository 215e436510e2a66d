package dev.geminilive.tools;

/**
 * Whether the model waits for a tool's result ({@code FunctionDeclaration.behavior}).
 *
 * <p>Only the Live API honours it. On {@code gemini-3.8-live} tools are non-blocking by default and
 * BLOCKING is opt-in per tool; {@code gemini-3.8-live-extended-thinking} calls tools asynchronously
 * only (BLOCKING is refused); {@code gemini-3.1-flash-live-preview} supports only blocking calls.
 *
 * @since 0.1
 */
public enum ToolBehavior {
  /**
   * The model's default: declared NON_BLOCKING on models that call tools asynchronously by default
   * (3.8, see {@code ModelProfile.defaultToolBehavior()}), else sent without a behavior, so that
   * the service's default (blocking) applies.
   */
  UNSPECIFIED,
  /** The conversation pauses until the tool answers. */
  BLOCKING,
  /**
   * The model keeps talking while the tool runs; the answer is placed per {@link ToolScheduling}.
   */
  NON_BLOCKING
}
