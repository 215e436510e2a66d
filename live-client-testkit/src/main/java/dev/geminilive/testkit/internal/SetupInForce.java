package dev.geminilive.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How a fake session's setup in force is derived and read: a resuming setup filled in from the
 * handle's snapshot, a {@code contextUpdate} applied, the instruction text, the declared function
 * names and whether a function is called BLOCKING. Stateless; the JSON it returns is new or the
 * given node, never changed in place.
 */
final class SetupInForce {
  private SetupInForce() {}

  /**
   * The setup of a connection that resumes with a handle taken when {@code handleSetup} was in
   * force: the handle's instruction and tools fill in what {@code setup} leaves out.
   */
  static JsonNode resumed(JsonNode setup, @Nullable JsonNode handleSetup) {
    if (handleSetup != null && setup instanceof ObjectNode fresh) {
      ObjectNode merged = fresh.deepCopy();
      for (String field : List.of("systemInstruction", "tools")) {
        if (!merged.has(field) && handleSetup.has(field)) {
          merged.set(field, handleSetup.get(field).deepCopy());
        }
      }
      return merged;
    }
    return setup;
  }

  /**
   * {@code setup} with the instruction and tools of a {@code contextUpdate} in place of its own.
   */
  static JsonNode updated(JsonNode setup, JsonNode update) {
    ObjectNode next = setup instanceof ObjectNode o ? o.deepCopy() : Json.object();
    if (update.has("systemInstruction")) {
      next.set("systemInstruction", update.get("systemInstruction").deepCopy());
    }
    JsonNode tools = update.path("tools");
    // google-genai 2.0.0 wraps the list (LiveClientContextUpdateTools: {"tools": [...]}); a bare
    // list is accepted too.
    if (tools.isObject() && tools.path("tools").isArray()) {
      tools = tools.path("tools");
    }
    if (tools.isArray()) {
      next.set("tools", tools.deepCopy());
    }
    return next;
  }

  /** The text of the setup's system instruction (its parts' text, joined), or "". */
  static String instruction(JsonNode setup) {
    StringBuilder sb = new StringBuilder();
    JsonNode instruction = setup.path("systemInstruction");
    if (instruction.isTextual()) {
      return instruction.asText();
    }
    instruction.path("parts").forEach(p -> sb.append(p.path("text").asText("")));
    return sb.toString();
  }

  /** The names of the functions the setup declares, in declaration order. */
  static List<String> functionNames(JsonNode setup) {
    List<String> names = new ArrayList<>();
    for (JsonNode tool : setup.path("tools")) {
      tool.path("functionDeclarations").forEach(d -> names.add(d.path("name").asText("")));
    }
    return List.copyOf(names);
  }

  /**
   * Whether a model that behaves as {@code behaviour} calls {@code tool} BLOCKING under {@code
   * setup}: never on extended thinking; on 3.8 only when declared BLOCKING; before 3.8 unless
   * declared NON_BLOCKING (which the 2.5 models take and 3.1 does not).
   */
  static boolean blocking(JsonNode setup, String tool, ModelBehaviour behaviour) {
    if (behaviour.asyncOnly()) {
      return false;
    }
    String declared = declaredBehaviour(setup, tool);
    return behaviour.asyncTools() ? declared.equals("BLOCKING") : !declared.equals("NON_BLOCKING");
  }

  /** The {@code behavior} declared for function {@code tool} (the last declaration wins), or "". */
  private static String declaredBehaviour(JsonNode setup, String tool) {
    String declared = "";
    for (JsonNode t : setup.path("tools")) {
      for (JsonNode d : t.path("functionDeclarations")) {
        if (d.path("name").asText().equals(tool)) {
          declared = d.path("behavior").asText();
        }
      }
    }
    return declared;
  }
}
