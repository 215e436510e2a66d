package dev.geminilive.flow;

import java.util.Map;
import java.util.Objects;

/**
 * The conversation moved from one stage of its {@link Flow} to another: what {@link
 * dev.geminilive.LiveListener#onStageChanged} receives and {@link FlowPosition#history()} lists.
 * Immutable and thread-safe.
 *
 * @param from the stage it left
 * @param to the stage it entered
 * @param trigger why: the tool that succeeded, the model's {@value Flow#NEXT_STEP_TOOL} call, or
 *     the application's request
 * @param carried what this change carried into the instruction, by name ({@value Flow#SUMMARY} for
 *     the model's summary), in order; the instruction of {@code to} has these and everything
 *     carried before
 * @since 0.1
 */
public record StageChange(String from, String to, Trigger trigger, Map<String, String> carried) {
  /**
   * Checks the arguments and copies {@code carried}, keeping its order.
   *
   * @param from the stage it left
   * @param to the stage it entered
   * @param trigger why
   * @param carried what this change carried, by name
   */
  public StageChange {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(trigger, "trigger");
    carried = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(carried));
  }

  @Override
  public String toString() {
    return from + " -> " + to + " (" + trigger + ")";
  }
}
