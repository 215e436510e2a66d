package dev.geminilive.tools;

/**
 * How the model treats the answer of a {@link ToolBehavior#NON_BLOCKING} tool ({@code
 * FunctionResponse.scheduling}). Ignored for blocking tools. Experimental, as asynchronous calls
 * are: only a preview model makes them.
 *
 * @since 0.1
 */
@dev.geminilive.Experimental
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
