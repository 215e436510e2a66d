package dev.geminilive.flow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.tools.ToolDefinition;
import dev.geminilive.tools.ToolStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in {@value Flow#NEXT_STEP_TOOL} of one stage: its declaration, the rule that tells the
 * model when to call it, and its handler, which only checks the arguments and names the stage it
 * moves to (the session makes the move once the answer is sent). Stateless.
 */
final class NextStepTool {
  /** The argument naming the stage to move to, when the stage has more than one next step. */
  static final String STAGE = "stage";

  /** The result's field naming the stage moved to. */
  static final String MOVED_TO = "moved_to";

  private NextStepTool() {}

  static ToolDefinition declaration(Stage stage) {
    List<Transition> next = stage.nextSteps();
    Map<String, Object> properties = new LinkedHashMap<>();
    List<String> required = new ArrayList<>();
    List<String> targets = new ArrayList<>();
    boolean summary = false;
    for (Transition t : next) {
      targets.add(t.target());
      summary |= t.carriesSummary();
    }
    if (next.size() > 1) {
      properties.put(
          STAGE,
          Map.of(
              "type",
              "string",
              "enum",
              targets,
              "description",
              "The step to move to, as the conditions say."));
      required.add(STAGE);
    }
    if (summary) {
      properties.put(
          Flow.SUMMARY,
          Map.of(
              "type",
              "string",
              "description",
              "A short summary of this step for the next one: what the user said, asked for and"
                  + " decided."));
      required.add(Flow.SUMMARY);
    }
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", properties);
    if (!required.isEmpty()) {
      schema.put("required", required);
    }
    return ToolDefinition.builder(Flow.NEXT_STEP_TOOL)
        .description(
            "Ends this step of the conversation and moves on to the next one. Returns the step it"
                + " moved to; follow that step's rules from then on.")
        .invocationCondition(condition(next))
        .parameters(schema)
        .handler((args, ctx) -> answer(targets, args))
        .build();
  }

  /** The rule of the stage's instruction that says when to call the tool. */
  static String rule(Stage stage) {
    List<Transition> next = stage.nextSteps();
    if (next.size() == 1) {
      Transition t = next.get(0);
      return "When "
          + condition(t)
          + ", call `"
          + Flow.NEXT_STEP_TOOL
          + "`"
          + (t.carriesSummary() ? " with a short summary of this step" : "")
          + ". Do not move on before.";
    }
    List<String> parts = new ArrayList<>();
    for (Transition t : next) {
      parts.add(
          "when " + condition(t) + ", call `" + Flow.NEXT_STEP_TOOL + "` with stage " + t.target());
    }
    return capitalized(String.join("; ", parts))
        + (next.stream().anyMatch(Transition::carriesSummary)
            ? ", each time with a short summary of this step"
            : "")
        + ". Do not move on before.";
  }

  private static String condition(List<Transition> next) {
    List<String> parts = new ArrayList<>();
    for (Transition t : next) {
      parts.add(next.size() == 1 ? condition(t) : condition(t) + " (stage " + t.target() + ")");
    }
    return "Invoke this tool *only when* " + String.join(", or when ", parts) + ".";
  }

  private static String condition(Transition t) {
    String c = ((Trigger.NextStep) t.trigger()).condition();
    return c.endsWith(".") ? c.substring(0, c.length() - 1) : c;
  }

  private static String capitalized(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static Object answer(List<String> targets, JsonNode args) {
    String target;
    if (targets.size() == 1) {
      target = targets.get(0);
      JsonNode asked = args.path(STAGE);
      if (asked.isTextual() && !asked.asText().equals(target)) {
        return ToolStatus.invalidArgument(STAGE, targets);
      }
    } else {
      String asked = args.path(STAGE).asText("");
      if (!targets.contains(asked)) {
        return ToolStatus.invalidArgument(STAGE, targets);
      }
      target = asked;
    }
    return Map.of(MOVED_TO, target);
  }
}
