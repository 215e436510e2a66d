package dev.geminilive.examples.spring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminilive.examples.coach.CoachTools;
import dev.geminilive.spring.GeminiLiveProperties;
import dev.geminilive.tools.ToolContext;
import dev.geminilive.tools.ToolDefinition;
import dev.geminilive.tools.ToolException;
import dev.geminilive.tools.ToolRegistry;
import dev.geminilive.tools.ToolResult;
import jakarta.servlet.http.HttpSession;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the browser-direct page needs besides its token: where the Live service is, and a way to run
 * the agent's tools on the server, where the data is.
 *
 * <p>{@code GET /api/live/config} answers the model, the service's base URL when it is not Google's
 * (a gateway or the embedded fake), and the greeting prompt. {@code POST /api/live/tools/{name}}
 * runs one of the tools the token declared with the model's arguments and answers what the page
 * sends back as the tool response: {@code {"output": ...}} or {@code {"error": ...}}. The tools a
 * browser session has completed are kept in the HTTP session, so {@code requires} guards (book only
 * after the openings were fetched) hold as they do in the relay.
 */
@RestController
final class DirectPageController {
  private static final Logger log = LoggerFactory.getLogger(DirectPageController.class);
  private static final String SUCCEEDED = DirectPageController.class.getName() + ".succeeded";

  private final GeminiLiveProperties live;
  private final ToolRegistry tools;
  private final ObjectMapper json;

  DirectPageController(GeminiLiveProperties live, CoachTools coachTools, ObjectMapper json) {
    this.live = live;
    this.tools = ToolRegistry.of(coachTools);
    this.json = json;
  }

  @GetMapping("/api/live/config")
  ResponseEntity<JsonNode> config() {
    ObjectNode c = json.createObjectNode();
    c.put("greeting", VoiceCoachApplication.GREETING);
    if (live.baseUrl() != null) {
      c.put("baseUrl", live.baseUrl());
    }
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(c);
  }

  @PostMapping("/api/live/tools/{name}")
  ResponseEntity<JsonNode> runTool(
      @PathVariable String name, @RequestBody JsonNode args, HttpSession httpSession) {
    Set<String> succeeded = succeededTools(httpSession);
    Optional<ToolDefinition> tool = tools.find(name);
    ObjectNode answer = json.createObjectNode();
    if (tool.isEmpty()) {
      answer.put("error", "Unknown tool '" + name + "'.");
      return ResponseEntity.ok(answer);
    }
    for (String required : tool.get().requires()) {
      if (!succeeded.contains(required)) {
        answer.put("error", "Call " + required + " before " + name + ".");
        return ResponseEntity.ok(answer);
      }
    }
    try {
      Object result =
          tool.get().handler().handle(args, new BrowserCall(name, Set.copyOf(succeeded)));
      if (result instanceof CompletionStage<?> stage) {
        result = stage.toCompletableFuture().join();
      }
      if (result instanceof ToolResult r) {
        answer.set("output", json.valueToTree(r.value()));
      } else {
        answer.set("output", json.valueToTree(result));
      }
      succeeded.add(name);
    } catch (ToolException e) {
      answer.put("error", e.getMessage());
    } catch (Exception e) {
      log.warn("Tool {} failed for a browser session", name, e);
      answer.put("error", "The tool failed; tell the client you could not do it right now.");
    }
    return ResponseEntity.ok(answer);
  }

  @SuppressWarnings("unchecked") // only this class writes the attribute
  private static Set<String> succeededTools(HttpSession httpSession) {
    synchronized (httpSession) {
      Object s = httpSession.getAttribute(SUCCEEDED);
      if (s == null) {
        s = ConcurrentHashMap.newKeySet();
        httpSession.setAttribute(SUCCEEDED, s);
      }
      return (Set<String>) s;
    }
  }

  /** The context of a call the page forwarded. */
  private record BrowserCall(String toolName, Set<String> succeededTools) implements ToolContext {
    @Override
    public String sessionName() {
      return "browser";
    }

    @Override
    public String callId() {
      return "";
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public CompletionStage<Void> cancellation() {
      return new CompletableFuture<>();
    }
  }
}
