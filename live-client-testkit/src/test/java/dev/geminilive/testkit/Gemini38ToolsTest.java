package dev.geminilive.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolResult;
import dev.geminilive.tools.ToolScheduling;
import dev.geminilive.tools.ToolStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** On the default model, gemini-3.8-live: what the fake receives from 3.8's tool settings. */
class Gemini38ToolsTest {
  @RegisterExtension final FakeLiveServerExtension live = new FakeLiveServerExtension();

  static final class Calendar {
    @LiveTool(name = "find_client", description = "Finds a client by name.")
    public Object findClient(String name) {
      return ToolStatus.noResults("No client named " + name + ".");
    }

    @LiveTool(name = "open_slots", description = "Finds open slots on a day.")
    public ToolResult openSlots(String day) {
      return ToolResult.status(ToolStatus.noResultsInRange("Try the next seven days."))
          .scheduling(ToolScheduling.SILENT);
    }
  }

  private JsonNode answerTo(String tool, Map<String, Object> args) throws InterruptedException {
    live.server()
        .script(
            s ->
                s.onText("go")
                    .reply(r -> r.callTool(tool, args))
                    .onToolResponse(tool)
                    .reply(r -> r.text("Done.")));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        live.server().sessionBuilder().tools(new Calendar()).listener(events).connect()) {
      session.sendText("go");
      // NON_BLOCKING on 3.8: the turn may end before the tool's result; wait for the result.
      events.await(EventType.TOOL_RESULT);
      live.server().recorder().awaitOfKind(MessageKind.TOOL_RESPONSE, 1, Duration.ofSeconds(10));
      assertThat(events.count(EventType.TOOL_RESULT)).isEqualTo(1);
    }
    List<RecordedMessage> responses = live.server().recorder().ofKind(MessageKind.TOOL_RESPONSE);
    assertThat(responses).hasSize(1);
    return responses.get(0).json().at("/toolResponse/functionResponses/0");
  }

  @Test
  void toolsWithoutABehaviorAreDeclaredNonBlocking() throws Exception {
    answerTo("find_client", Map.of("name", "Maya"));
    JsonNode declarations =
        live.server().recorder().setups().get(0).at("/tools/0/functionDeclarations");
    assertThat(declarations).hasSize(2);
    for (JsonNode d : declarations) {
      assertThat(d.path("behavior").asText()).isEqualTo("NON_BLOCKING");
    }
  }

  @Test
  void aReturnedToolStatusReachesTheModelInItsJsonForm() throws Exception {
    JsonNode answer = answerTo("find_client", Map.of("name", "Maya"));
    assertThat(answer.at("/response/output/status").asText()).isEqualTo("no_results");
    assertThat(answer.at("/response/output/retryable").asBoolean(true)).isFalse();
    assertThat(answer.at("/response/output/message").asText()).isEqualTo("No client named Maya.");
    assertThat(answer.at("/response/output").has("retryHint")).isFalse();
  }

  @Test
  void aStatusWithASchedulingIsSentWithIt() throws Exception {
    JsonNode answer = answerTo("open_slots", Map.of("day", "2026-12-03"));
    assertThat(answer.at("/response/output/status").asText()).isEqualTo("no_results_in_range");
    assertThat(answer.at("/response/output/retry_hint").asText())
        .isEqualTo("Try the next seven days.");
    assertThat(answer.path("scheduling").asText()).isEqualTo("SILENT");
  }
}
