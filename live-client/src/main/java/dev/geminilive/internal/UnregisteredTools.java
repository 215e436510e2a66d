package dev.geminilive.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;

/** The tool loop of a session without tools: every call gets an error the model can read. */
final class UnregisteredTools implements ToolLoop {
  private final ToolResults results;

  UnregisteredTools(ToolResults results) {
    this.results = results;
  }

  @Override
  public void dispatch(JsonNode toolCall, Consumer<String> respond) {
    ObjectNode root = Frames.MAPPER.createObjectNode();
    ArrayNode responses = root.putObject("toolResponse").putArray("functionResponses");
    for (JsonNode call : toolCall.path("functionCalls")) {
      String id = call.path("id").asText();
      String name = call.path("name").asText();
      ObjectNode body = Frames.MAPPER.createObjectNode();
      body.put("error", "No tool named '" + name + "' is available in this session.");
      ObjectNode r = responses.addObject();
      r.put("id", id);
      r.put("name", name);
      r.set("response", body);
      results.onResult(id, name, call.path("args"), body);
    }
    respond.accept(root.toString());
  }

  @Override
  public void cancel(List<String> ids) {}

  @Override
  public void close() {}
}
