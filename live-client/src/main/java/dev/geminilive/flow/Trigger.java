package dev.geminilive.flow;

import java.util.Objects;

/**
 * When a {@link Transition} is taken: a tool of the stage succeeded, the model called the stage's
 * built-in {@value Flow#NEXT_STEP_TOOL} tool, or the application asked ({@link
 * FlowPosition#moveTo(String)}). A {@link StageChange} carries the trigger that caused it.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public sealed interface Trigger {
  /**
   * {@return a trigger taken when {@code tool}, one of the stage's tools, succeeds}
   *
   * @param tool the tool's name
   */
  static Trigger toolSucceeded(String tool) {
    return new ToolSucceeded(tool);
  }

  /**
   * {@return a trigger taken when the model calls {@value Flow#NEXT_STEP_TOOL}, which the stage
   * declares with {@code condition} as its invocation condition}
   *
   * @param condition when the model should move on, written for the model, such as {@code "the
   *     client has described their concern"}
   */
  static Trigger nextStep(String condition) {
    return new NextStep(condition);
  }

  /** {@return a trigger taken only when the application calls {@link FlowPosition#moveTo}} */
  static Trigger requested() {
    return Requested.INSTANCE;
  }

  /**
   * Taken when a tool of the stage succeeded: it returned normally, with a value that is not a
   * {@link dev.geminilive.tools.ToolStatus} (a status reports that nothing was done).
   *
   * @param tool the tool's name
   */
  record ToolSucceeded(String tool) implements Trigger {
    /**
     * Checks the name.
     *
     * @param tool the tool's name
     */
    public ToolSucceeded {
      Objects.requireNonNull(tool, "tool");
      if (tool.isBlank()) {
        throw new IllegalArgumentException("tool must not be blank");
      }
    }

    @Override
    public String toString() {
      return "tool " + tool + " succeeded";
    }
  }

  /**
   * Taken when the model calls {@value Flow#NEXT_STEP_TOOL}.
   *
   * @param condition when the model should move on, for the model
   */
  record NextStep(String condition) implements Trigger {
    /**
     * Checks the condition.
     *
     * @param condition when the model should move on
     */
    public NextStep {
      Objects.requireNonNull(condition, "condition");
      if (condition.isBlank()) {
        throw new IllegalArgumentException("condition must not be blank");
      }
      condition = condition.strip();
    }

    @Override
    public String toString() {
      return "next step (" + condition + ")";
    }
  }

  /** Taken when the application asks for it. */
  enum Requested implements Trigger {
    /** The one value. */
    INSTANCE;

    @Override
    public String toString() {
      return "requested by the application";
    }
  }
}
