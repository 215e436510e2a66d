package dev.geminilive.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.genai.types.LiveServerToolCall;
import dev.geminilive.LiveObserver;
import dev.geminilive.SessionSpec;
import dev.geminilive.internal.tools.ToolDispatcher;
import dev.geminilive.tools.ToolObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Chooses a session's tool loop: the dispatcher over its registered tools. */
final class ToolLoops {
  private ToolLoops() {}

  static ToolLoop create(
      SessionSpec spec, String sessionName, LiveObserver observer, ToolLoop.ToolResults results) {
    if (spec.tools().isEmpty()) {
      return new UnregisteredTools(observer, results);
    }
    return new DispatcherLoop(spec, sessionName, observer, results);
  }

  /** Adapts {@link ToolDispatcher} to the session's JSON frames. */
  private static final class DispatcherLoop implements ToolLoop, ToolObserver {
    private final ToolDispatcher dispatcher;
    private final ToolLoop.ToolResults results;
    private final Map<String, JsonNode> args = new ConcurrentHashMap<>();

    DispatcherLoop(
        SessionSpec spec, String sessionName, LiveObserver observer, ToolLoop.ToolResults results) {
      this.results = results;
      this.dispatcher =
          new ToolDispatcher(
              spec.tools(), spec.toolExecutor(), spec.toolTimeout(), this, observer, sessionName);
    }

    @Override
    public void dispatch(JsonNode toolCall, Consumer<String> respond) {
      dispatcher.dispatch(
          LiveServerToolCall.fromJson(toolCall.toString()),
          response -> respond.accept(Frames.toolResponse(response)));
    }

    @Override
    public void cancel(List<String> ids) {
      dispatcher.cancel(ids);
      ids.forEach(args::remove);
    }

    @Override
    public void close() {
      dispatcher.close();
    }

    @Override
    public void onToolStarted(String name, String callId, JsonNode arguments) {
      args.put(callId, arguments);
    }

    @Override
    public void onToolCompleted(String name, String callId, JsonNode result, Duration elapsed) {
      ObjectNode body = Frames.MAPPER.createObjectNode();
      body.set("output", result);
      finish(name, callId, body);
    }

    @Override
    public void onToolFailed(
        String name, String callId, String modelMessage, @Nullable Throwable cause) {
      ObjectNode body = Frames.MAPPER.createObjectNode();
      body.put("error", modelMessage);
      finish(name, callId, body);
    }

    @Override
    public void onToolCancelled(String name, String callId) {
      args.remove(callId);
    }

    private void finish(String name, String callId, JsonNode body) {
      JsonNode a = args.remove(callId);
      results.onResult(callId, name, a != null ? a : Frames.MAPPER.createObjectNode(), body);
    }
  }
}
