package dev.geminilive.flow;

import dev.geminilive.instruction.SystemInstruction;
import dev.geminilive.tools.ToolRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The checks that every name a flow's stages use leads somewhere: each stage's tools are the
 * flow's, each transition leads to a stage, each carried result is of a flow tool, each flow tool
 * is in a stage, and no rule names a tool its stage lacks. {@link Flow.Builder#build()} runs them
 * once, before the flow exists.
 *
 * <p>Not thread-safe; used once, on the building thread.
 */
final class FlowReferences {
  private final Map<String, Stage> stages;
  private final ToolRegistry registry;

  FlowReferences(Map<String, Stage> stages, ToolRegistry registry) {
    this.stages = stages;
    this.registry = registry;
  }

  /**
   * Checks the shared rules and every stage.
   *
   * @param shared the instruction every stage shares
   * @throws IllegalStateException naming the first name that leads nowhere, and what to change
   */
  void check(SystemInstruction shared) {
    checkNames(shared, "the shared rules", List.of(), registry);
    List<String> unused = new ArrayList<>(registry.names());
    for (Stage s : stages.values()) {
      for (String tool : s.tools()) {
        if (registry.find(tool).isEmpty()) {
          throw new IllegalStateException(
              "stage "
                  + s.name()
                  + " names tool "
                  + tool
                  + ", which the flow does not have; its tools are "
                  + registry.names()
                  + " (add the handler with tools(...))");
        }
        unused.remove(tool);
      }
      for (Transition t : s.transitions()) {
        if (!stages.containsKey(t.target())) {
          throw new IllegalStateException(
              "stage "
                  + s.name()
                  + " has a transition to "
                  + t.target()
                  + ", which is no stage of the flow; its stages are "
                  + stages.keySet());
        }
        for (CarryOver c : t.carried()) {
          if (c instanceof CarryOver.ToolResultAs r && registry.find(r.tool()).isEmpty()) {
            throw new IllegalStateException(
                "stage "
                    + s.name()
                    + " carries the result of "
                    + r.tool()
                    + ", which the flow does not have");
          }
        }
      }
      checkNames(
          SystemInstruction.builder().rule(String.join("\n", rulesOf(s))).build(),
          "stage " + s.name() + "'s rules",
          s.tools(),
          registry);
    }
    if (!unused.isEmpty()) {
      throw new IllegalStateException(
          "The flow's tools " + unused + " are in no stage: name them in a stage's tools(...)");
    }
  }

  private static List<String> rulesOf(Stage s) {
    List<String> out = new ArrayList<>();
    for (SystemInstruction.Rule r : s.rules()) {
      out.add(r.text());
    }
    return out;
  }

  /** A rule that names a flow tool its stage lacks would have the model call it in vain. */
  private void checkNames(
      SystemInstruction text, String where, Collection<String> allowed, ToolRegistry registry) {
    for (String name : text.referencedToolNames()) {
      if (registry.find(name).isPresent() && !allowed.contains(name)) {
        List<String> in = new ArrayList<>();
        for (Stage s : stages.values()) {
          if (s.tools().contains(name)) {
            in.add(s.name());
          }
        }
        throw new IllegalStateException(
            where
                + " name `"
                + name
                + "`, a tool of stage "
                + String.join(" and ", in)
                + "; name only the stage's own tools, or add the tool to the stage");
      }
    }
  }
}
