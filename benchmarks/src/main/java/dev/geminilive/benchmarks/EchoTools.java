package dev.geminilive.benchmarks;

import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolParam;
import java.util.Map;

/** The trivial tool of section 5. */
public final class EchoTools {
  /** Returns its argument. */
  @LiveTool(name = "echo", description = "Returns its argument unchanged.")
  public Map<String, Object> echo(@ToolParam(description = "Any text") String x) {
    return Map.of("result", x);
  }
}
