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

  /** The same tool declared inline: it runs on the session's queue, not the tool executor. */
  public static final class Inline {
    /** Returns its argument. */
    @LiveTool(name = "echo", description = "Returns its argument unchanged.", inline = true)
    public Map<String, Object> echo(@ToolParam(description = "Any text") String x) {
      return Map.of("result", x);
    }
  }
}
