package dev.geminilive.tools;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A tool's result with delivery options, for handlers that need more than a plain return value.
 *
 * <pre>{@code
 * return ToolResult.of(slots).scheduling(ToolScheduling.INTERRUPT);
 * }</pre>
 *
 * <p>{@link #scheduling()} only matters for {@link ToolBehavior#NON_BLOCKING} tools; it overrides
 * {@link LiveTool#scheduling()} for this one answer. Immutable.
 *
 * @since 0.1
 */
public final class ToolResult {
  private final @Nullable Object value;
  private final ToolScheduling scheduling;

  private ToolResult(@Nullable Object value, ToolScheduling scheduling) {
    this.value = value;
    this.scheduling = scheduling;
  }

  /**
   * A result carrying {@code value} (sent under {@code output}; null is sent as an empty object).
   *
   * @param value the value, converted to JSON; may be null
   * @return the result, with unspecified scheduling
   */
  public static ToolResult of(@Nullable Object value) {
    return new ToolResult(value, ToolScheduling.UNSPECIFIED);
  }

  /**
   * An informative answer for when there is nothing to return ({@link ToolStatus}): sent as its
   * JSON form under {@code output}.
   *
   * <pre>{@code
   * return ToolResult.status(ToolStatus.noResults("No flights on that day.")).scheduling(ToolScheduling.WHEN_IDLE);
   * }</pre>
   *
   * @param status what happened and whether calling again can help
   * @return the result, with unspecified scheduling
   */
  public static ToolResult status(ToolStatus status) {
    return of(Objects.requireNonNull(status, "status").toJson());
  }

  /**
   * Returns a copy with the given scheduling.
   *
   * @param scheduling how the answer is placed
   * @return a copy with this scheduling; this result is unchanged
   */
  public ToolResult scheduling(ToolScheduling scheduling) {
    return new ToolResult(value, Objects.requireNonNull(scheduling, "scheduling"));
  }

  /**
   * The value sent to the model.
   *
   * @return the value, or null
   */
  public @Nullable Object value() {
    return value;
  }

  /**
   * The scheduling for a non-blocking tool's answer.
   *
   * @return the scheduling; {@code UNSPECIFIED} unless set
   */
  public ToolScheduling scheduling() {
    return scheduling;
  }

  @Override
  public String toString() {
    return "ToolResult{scheduling=" + scheduling + "}";
  }
}
