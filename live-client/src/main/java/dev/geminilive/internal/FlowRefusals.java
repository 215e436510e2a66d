package dev.geminilive.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminilive.LiveException;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.flow.Flow;
import dev.geminilive.flow.Stage;
import dev.geminilive.internal.tools.ToolCallKeys;
import dev.geminilive.internal.tools.ToolDispatcher;
import dev.geminilive.internal.tools.ToolJson;
import dev.geminilive.tools.ToolDefinition;
import dev.geminilive.tools.ToolStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a flow answers, without running the handler, to a call it does not let run: a tool of
 * another stage ({@value #WRONG_STAGE}: which stage it belongs to, whether that stage is over or
 * not reached, what the current stage can call) or a tool whose {@code requires} have not succeeded
 * in the conversation ({@value #PRECONDITION_FAILED}, as the tool loop says it); and the {@code
 * toolResponse} the refusals go out in, alone or joined to the tool loop's answer. Stateless.
 */
final class FlowRefusals {
  /** The status of the answer to a call of a tool that belongs to another stage. */
  static final String WRONG_STAGE = "wrong_stage";

  /** The status of the answer to a call whose {@code requires} have not succeeded. */
  static final String PRECONDITION_FAILED = ToolStatus.PRECONDITION_FAILED;

  private FlowRefusals() {}

  /**
   * The refusal of a call to {@code name} in {@code stage}, or null when the flow lets it run (or
   * the tool is not the flow's, for the session's own tool loop to answer).
   *
   * @param visited the stages the conversation has been in, the current one included
   * @param succeeded the flow tools that succeeded in the conversation
   */
  static @Nullable ToolStatus of(
      Flow flow, Stage stage, Set<String> visited, Set<String> succeeded, String name) {
    List<String> owners = flow.stagesOf(name);
    if (owners.isEmpty()) {
      return null; // not a flow tool: the session's own tool loop answers it
    }
    List<String> here = allowed(stage);
    if (!stage.allows(name)) {
      boolean over = visited.containsAll(owners);
      String where = quoted(owners);
      return new ToolStatus(
          WRONG_STAGE,
          false,
          stage.hasNextStep()
              ? "Finish the current step first; call "
                  + Flow.NEXT_STEP_TOOL
                  + " when its rules say so."
              : "Do not call it now; follow the current step's rules.",
          here,
          "'"
              + name
              + "' is a tool of the "
              + where
              + (owners.size() == 1 ? " step" : " steps")
              + (over ? ", which is over" : ", which the conversation has not reached")
              + ". The conversation is in the '"
              + stage.name()
              + "' step, where "
              + (here.isEmpty() ? "no tool can be called." : "you can call " + here + "."));
    }
    ToolDefinition def = flow.tools().find(name).orElse(null);
    if (def == null) {
      return null;
    }
    List<String> missing = new ArrayList<>();
    for (String r : def.requires()) {
      if (!succeeded.contains(r)) {
        missing.add(r);
      }
    }
    if (missing.isEmpty()) {
      return null;
    }
    boolean callable = here.containsAll(missing);
    return new ToolStatus(
        PRECONDITION_FAILED,
        callable,
        callable ? "Call " + quoted(missing) + " first, then call '" + name + "' again." : null,
        callable ? missing : List.of(),
        "'"
            + name
            + "' cannot run yet: it needs "
            + quoted(missing)
            + " to have succeeded earlier in this conversation"
            + (callable
                ? "."
                : ", and the '" + stage.name() + "' step cannot call " + quoted(missing) + "."));
  }

  static List<String> allowed(Stage s) {
    List<String> out = new ArrayList<>(s.tools());
    if (s.hasNextStep()) {
      out.add(Flow.NEXT_STEP_TOOL);
    }
    return out;
  }

  private static String quoted(List<String> names) {
    List<String> q = new ArrayList<>();
    for (String n : names) {
      q.add("'" + n + "'");
    }
    return String.join(" and ", q);
  }

  /**
   * The answer body of a refusal, in the tool loop's own error shape ({@link
   * ToolDispatcher#errorResponse}): the message as text under {@code error}, the status beside it.
   */
  static ObjectNode errorBody(ToolStatus refusal) {
    return (ObjectNode) ToolJson.valueToTree(ToolDispatcher.errorResponse(refusal));
  }

  /** {@return the {@code functionResponse} that answers {@code call} with {@code body}} */
  static ObjectNode functionResponse(ToolCallEvent call, ObjectNode body) {
    ObjectNode r = Frames.object();
    String id = ToolCallKeys.serviceId(call.id());
    if (id != null) {
      r.put("id", id);
    }
    r.put("name", call.name());
    r.set("response", body);
    return r;
  }

  /** {@return a {@code toolResponse} message of the given function responses} */
  static String toolResponse(List<ObjectNode> responses) {
    ObjectNode root = Frames.object();
    ArrayNode list = root.putObject("toolResponse").putArray("functionResponses");
    responses.forEach(list::add);
    return root.toString();
  }

  /** The tool loop's answer with the refusals added: one {@code toolResponse} per message. */
  static String merged(String json, List<ObjectNode> responses) {
    try {
      JsonNode root = Frames.readTree(json);
      JsonNode list = root.path("toolResponse").path("functionResponses");
      if (list instanceof ArrayNode array) {
        responses.forEach(array::add);
        return root.toString();
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new LiveException("The session's own tool response was not JSON", e);
    }
    throw new LiveException("The session's own tool response has no functionResponses: " + json);
  }

  /** Whether a tool's output is a {@link ToolStatus}: it reports that nothing was done. */
  static boolean isStatus(JsonNode output) {
    return output.isObject()
        && output.path("status").isTextual()
        && output.path("retryable").isBoolean();
  }
}
