package dev.geminilive.it.reliability;

import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolParam;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tools for the chaos soak: one that answers at once, one that hangs until it is timed out. Public
 * because the tool registry invokes its methods reflectively.
 */
public final class ChaosTools {
  final AtomicInteger lookups = new AtomicInteger();
  final AtomicInteger hangs = new AtomicInteger();

  @LiveTool(name = "lookup", description = "Looks a label up at once.")
  public String lookup(@ToolParam(name = "label", description = "what to look up") String label) {
    lookups.incrementAndGet();
    return "result for " + label;
  }

  @LiveTool(name = "hang", description = "Never finishes on its own; the tool timeout ends it.")
  public String hang(@ToolParam(name = "label", description = "what to wait for") String label)
      throws InterruptedException {
    hangs.incrementAndGet();
    // Interruptible, as a well-behaved tool is: the dispatcher interrupts it when it times out.
    TimeUnit.MINUTES.sleep(10);
    return "never";
  }
}
