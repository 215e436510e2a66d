package dev.geminilive.internal.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.tools.ToolDefinition;
import dev.geminilive.tools.ToolRegistry;
import dev.geminilive.tools.ToolStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Whether a call may run its handler: the tool exists, the tools it {@code requires} have succeeded
 * earlier in the session, and the arguments match the declared schema. A refusal is the answer the
 * model gets, in the informative shape of {@link ToolStatus} ({@code status}, {@code retryable},
 * {@code retry_hint}, {@code valid_options}) so that it corrects the call instead of sweeping, and
 * a message saying what to do instead. Stateless.
 */
public final class ToolGuards {
  private ToolGuards() {}

  /** The answer that refuses the call, or null when it may run. */
  static @Nullable ToolStatus refusal(
      String name,
      @Nullable ToolDefinition def,
      ToolRegistry registry,
      Set<String> succeeded,
      JsonNode args) {
    if (def == null) {
      return unknownTool(name, registry.names());
    }
    List<String> missing = new ArrayList<>();
    for (String r : def.requires()) {
      if (!succeeded.contains(r)) {
        missing.add(r);
      }
    }
    if (!missing.isEmpty()) {
      String hint = "Call " + quoted(missing) + " first, then call '" + name + "' again.";
      return new ToolStatus(
          ToolStatus.PRECONDITION_FAILED,
          true,
          hint,
          List.of(),
          "Tool '"
              + name
              + "' cannot run yet: it needs "
              + quoted(missing)
              + " to have succeeded earlier in this conversation. "
              + hint);
    }
    List<String> problems = ArgumentValidator.validate(def.parameters(), args);
    if (!problems.isEmpty()) {
      List<String> options = ArgumentValidator.validOptions(def.parameters(), args);
      return new ToolStatus(
          ToolStatus.INVALID_ARGUMENT,
          true,
          options.isEmpty()
              ? "Fix the arguments and call the tool again."
              : "Call again with a value from valid_options.",
          options,
          "Invalid arguments for tool '"
              + name
              + "': "
              + String.join("; ", problems)
              + ". Fix the arguments and call the tool again.");
    }
    return null;
  }

  /** The answer to a call of a tool the session does not have ({@code available} are its tools). */
  public static ToolStatus unknownTool(String name, Collection<String> available) {
    List<String> names = List.copyOf(available);
    return new ToolStatus(
        ToolStatus.UNKNOWN_TOOL,
        !names.isEmpty(),
        names.isEmpty() ? null : "Call one of the tools in valid_options instead.",
        names,
        "Unknown tool '"
            + name
            + "'. Available tools: "
            + (names.isEmpty() ? "none" : String.join(", ", names))
            + ".");
  }

  private static String quoted(List<String> names) {
    List<String> q = new ArrayList<>();
    for (String n : names) {
      q.add("'" + n + "'");
    }
    return String.join(" and ", q);
  }
}
