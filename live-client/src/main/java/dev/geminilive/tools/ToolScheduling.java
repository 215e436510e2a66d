package dev.geminilive.tools;

/**
 * How the model treats the answer of a non-blocking tool ({@code FunctionResponse.scheduling}),
 * chosen per tool ({@link LiveTool#scheduling()}) or per answer ({@link ToolResult#scheduling()}).
 * Ignored for blocking tools.
 *
 * @since 0.1
 */
public enum ToolScheduling {
  /** Not sent; the service default ({@link #WHEN_IDLE}) applies. */
  UNSPECIFIED,
  /** Add the result to the context without generating a reply. */
  SILENT,
  /** Generate a reply when the current output has finished. */
  WHEN_IDLE,
  /** Cut the current output and reply now. */
  INTERRUPT
}
