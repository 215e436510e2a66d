package dev.geminilive.tools;

import dev.geminilive.Experimental;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of an ordinary handler object as a tool the model can call.
 *
 * <p>The method may be package-private and may be {@code static}; its parameters become the tool's
 * arguments (see {@link ToolParam}), except a {@link ToolContext} parameter, which is injected. It
 * may return a value (sent as the result), {@code void}, a {@code CompletionStage} of either, or a
 * {@link ToolResult}.
 *
 * <pre>{@code
 * @LiveTool(name = "schedule_appointment",
 *     description = "Books a new appointment for a client.",
 *     invocationCondition = "Invoke only after the client confirmed a slot.",
 *     requires = "get_available_appointments")
 * Appointment schedule(@ToolParam(name = "client_id") String clientId,
 *                      @ToolParam(name = "appointment_datetime") LocalDateTime at) { ... }
 * }</pre>
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface LiveTool {
  /**
   * The tool name the model sees; defaults to the Java method name, verbatim. Must match {@code
   * [a-zA-Z_][a-zA-Z0-9_.:-]{0,63}}.
   *
   * @return the tool name; empty means the method name
   */
  String name() default "";

  /**
   * What the tool does and returns.
   *
   * @return the description the model sees
   */
  String description();

  /**
   * When the model may call the tool; appended to the description as {@code \n**Invocation
   * Condition:** ...}. Empty for none.
   *
   * @return the invocation condition; empty for none
   */
  String invocationCondition() default "";

  /**
   * Tools that must have succeeded earlier in the session before this one may run. Enforced by the
   * session: a call out of order gets an error answer and the method is not run.
   *
   * @return the names of the prerequisite tools; empty for none
   */
  String[] requires() default {};

  /**
   * Whether the model waits for the result.
   *
   * @return the tool behavior; {@code UNSPECIFIED} leaves it to the service
   */
  ToolBehavior behavior() default ToolBehavior.UNSPECIFIED;

  /**
   * How the result of a {@link ToolBehavior#NON_BLOCKING} tool is placed; else ignored.
   *
   * @return the default scheduling of the answer; {@code UNSPECIFIED} leaves it to the service
   */
  ToolScheduling scheduling() default ToolScheduling.UNSPECIFIED;

  /**
   * Time limit in milliseconds; 0 (the default) means the session's default tool timeout. It counts
   * from the call's dispatch, when the session has the model's {@code toolCall}: time the call
   * waits for a thread of a busy {@code toolExecutor} counts, and a call still waiting when it is
   * up gets the timeout answer and never runs.
   *
   * @return the time limit in milliseconds, or 0 for the session default
   */
  long timeoutMillis() default 0;

  /**
   * Whether the method runs on the session's event queue instead of the tool executor, for a method
   * that returns at once and never blocks; see {@link ToolDefinition.Builder#inline}.
   *
   * @return true to run the method on the session's queue
   */
  @Experimental
  boolean inline() default false;
}
