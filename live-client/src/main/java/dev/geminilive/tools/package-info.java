/**
 * Tools the model can call during a Live session: annotate ordinary methods with {@link
 * dev.geminilive.tools.LiveTool} and {@link dev.geminilive.tools.ToolParam}, or build a {@link
 * dev.geminilive.tools.ToolDefinition} for dynamic cases, and collect them in a {@link
 * dev.geminilive.tools.ToolRegistry}. The session runs calls, validates arguments, enforces
 * timeouts and ordering ({@code requires}), and answers the model.
 *
 * <p>Naming choices: a tool's name defaults to the Java method name and a parameter's name to the
 * Java parameter name (compile with {@code -parameters}, or set {@code @ToolParam(name = ...)});
 * names are used verbatim, with no case conversion. A handler's result reaches the model as {@code
 * {"output": <result>}}; a {@code void} method answers {@code {"output": {"status": "ok"}}}; a
 * {@code null} result is sent as {@code {"output": {}}} (the SDK drops JSON nulls); a failure
 * answers {@code {"error": "<message for the model>"}}.
 *
 * @since 0.1
 */
@NullMarked
package dev.geminilive.tools;

import org.jspecify.annotations.NullMarked;
