package dev.geminilive.internal.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.tools.ToolDefinition;
import dev.geminilive.tools.ToolRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Whether a call may run its handler: the tool exists, the tools it {@code requires} have succeeded
 * earlier in the session, and the arguments match the declared schema. A refusal is the answer the
 * model gets, saying what to do instead. Stateless.
 */
final class ToolGuards {
  private ToolGuards() {}

  /** The answer that refuses the call, or null when it may run. */
  static @Nullable String refusal(
      String name,
      @Nullable ToolDefinition def,
      ToolRegistry registry,
      Set<String> succeeded,
      JsonNode args) {
    if (def == null) {
      return "Unknown tool '"
          + name
          + "'. Available tools: "
          + (registry.names().isEmpty() ? "none" : String.join(", ", registry.names()))
          + ".";
    }
    List<String> missing = new ArrayList<>();
    for (String r : def.requires()) {
      if (!succeeded.contains(r)) {
        missing.add(r);
      }
    }
    if (!missing.isEmpty()) {
      return "Tool '"
          + name
          + "' cannot run yet: it needs "
          + quoted(missing)
          + " to have succeeded earlier in this conversation. Call "
          + quoted(missing)
          + " first, then call '"
          + name
          + "' again.";
    }
    List<String> problems = ArgumentValidator.validate(def.parameters(), args);
    if (!problems.isEmpty()) {
      return "Invalid arguments for tool '"
          + name
          + "': "
          + String.join("; ", problems)
          + ". Fix the arguments and call the tool again.";
    }
    return null;
  }

  private static String quoted(List<String> names) {
    List<String> q = new ArrayList<>();
    for (String n : names) {
      q.add("'" + n + "'");
    }
    return String.join(" and ", q);
  }
}
