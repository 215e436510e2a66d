package dev.geminilive.flow;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link Transition} carries into the next stage's instruction: a summary the model writes
 * when it moves on, or fields gathered from the tools that succeeded so far. What is carried stays
 * for the rest of the flow (a later summary replaces an earlier one) and is rendered into every
 * later stage's instruction, so that a session rebuilt from history, or one whose context was
 * compressed, still knows it.
 *
 * <p>Fields are gathered from every flow tool that succeeded: its arguments by name, and the
 * top-level fields of a result that is a JSON object. A result that is a single value (an id, say)
 * is carried with {@link #toolResult(String, String)}.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public sealed interface CarryOver {
  /**
   * {@return the summary of the stage the model gives when it calls {@value Flow#NEXT_STEP_TOOL}
   * (the tool then requires a {@code summary} argument)}
   */
  static CarryOver summary() {
    return Summary.INSTANCE;
  }

  /**
   * {@return the gathered fields with these names, such as {@code full_name}; a name gathered
   * nowhere is left out}
   *
   * @param names the field names
   */
  static CarryOver fields(String... names) {
    return new Fields(List.of(names));
  }

  /**
   * {@return the newest result of {@code tool}, carried under the name {@code as}}
   *
   * @param tool the tool whose result is carried
   * @param as the name it is carried under, such as {@code client_id}
   */
  static CarryOver toolResult(String tool, String as) {
    return new ToolResultAs(tool, as);
  }

  /** The model's summary of the stage. */
  enum Summary implements CarryOver {
    /** The one value. */
    INSTANCE
  }

  /**
   * Gathered fields by name.
   *
   * @param names the field names
   */
  record Fields(List<String> names) implements CarryOver {
    /**
     * Copies the names.
     *
     * @param names the field names
     */
    public Fields {
      names = List.copyOf(names);
      if (names.isEmpty()) {
        throw new IllegalArgumentException("name at least one field to carry over");
      }
      for (String n : names) {
        if (n.isBlank()) {
          throw new IllegalArgumentException("field names must not be blank");
        }
      }
    }
  }

  /**
   * A tool's newest result under a name.
   *
   * @param tool the tool
   * @param as the name
   */
  record ToolResultAs(String tool, String as) implements CarryOver {
    /**
     * Checks the names.
     *
     * @param tool the tool
     * @param as the name
     */
    public ToolResultAs {
      Objects.requireNonNull(tool, "tool");
      Objects.requireNonNull(as, "as");
      if (tool.isBlank() || as.isBlank()) {
        throw new IllegalArgumentException("tool and as must not be blank");
      }
    }
  }
}
