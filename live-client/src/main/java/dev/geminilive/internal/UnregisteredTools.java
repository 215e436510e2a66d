package dev.geminilive.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminilive.LiveObserver;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.internal.tools.ToolCallKeys;
import dev.geminilive.internal.tools.ToolDispatcher;
import dev.geminilive.internal.tools.ToolGuards;
import dev.geminilive.internal.tools.ToolJson;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** The tool loop of a session without tools: every call gets an error the model can read. */
final class UnregisteredTools implements ToolLoop {
  private final LiveObserver observer;
  private final ToolResults results;

  UnregisteredTools(LiveObserver observer, ToolResults results) {
    this.observer = observer;
    this.results = results;
  }

  @Override
  public CompletionStage<Void> dispatch(List<ToolCallEvent> calls, Consumer<String> respond) {
    ObjectNode root = Frames.object();
    ArrayNode responses = root.putObject("toolResponse").putArray("functionResponses");
    for (ToolCallEvent event : calls) {
      String id = event.id();
      String name = event.name();
      ToolCallEvent shown = new ToolCallEvent(ToolCallKeys.publicId(id), name, event.args());
      observer.toolCallStarted(shown);
      observer.toolCallEnded(shown, LiveObserver.ToolOutcome.REJECTED, Duration.ZERO);
      JsonNode body =
          ToolJson.valueToTree(
              ToolDispatcher.errorResponse(ToolGuards.unknownTool(name, List.of())));
      ObjectNode r = responses.addObject();
      String serviceId = ToolCallKeys.serviceId(id);
      if (serviceId != null) {
        r.put("id", serviceId);
      }
      r.put("name", name);
      r.set("response", body);
      results.onResult(id, name, event.args(), body);
    }
    respond.accept(root.toString());
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void cancel(List<String> ids) {}

  @Override
  public void close() {}
}
