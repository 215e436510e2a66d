package dev.geminilive.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.examples.docs.ToolSnippets.Job;
import dev.geminilive.examples.docs.ToolSnippets.JobTools;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import dev.geminilive.tools.ToolRegistry;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs the tools of docs/tools.md against the fake server. */
class ToolSnippetsTest {
  @RegisterExtension final FakeLiveServerExtension live = new FakeLiveServerExtension();

  private final JobTools tools =
      new JobTools(
          List.of(
              new Job("j1", "Product Manager", "Brooklyn", LocalDate.of(2026, 11, 2)),
              new Job("j2", "Product Analyst", "Austin", LocalDate.of(2026, 11, 20))));

  @Test
  void theDocumentedToolsAreDeclaredWithTheirSchemas() {
    ToolRegistry registry = ToolRegistry.of(tools, ToolSnippets.programmatic());

    assertThat(registry.names())
        .contains("find_jobs", "apply_to_job", "compare_salaries", "get_weather");
    String findJobs = registry.find("find_jobs").orElseThrow().declaration().toJson();
    assertThat(findJobs)
        .contains("\"enum\":[\"JUNIOR\",\"MID\",\"SENIOR\"]")
        .contains("\"format\":\"date\"")
        .contains("**Invocation Condition:** Only after the client said which role");
  }

  @Test
  void recordsEnumsListsAndOptionalsArriveConverted() {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText("find")
                .callTool(
                    "find_jobs",
                    Map.of(
                        "search",
                        Map.of("title", "Product", "seniority", "MID", "cities", List.of("Austin")),
                        "limit",
                        5)));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = connect(server, events)) {
      session.sendText("find");
      JsonNode result = (JsonNode) events.await(EventType.TOOL_RESULT).value();
      assertThat(result.at("/output/0/id").asText()).isEqualTo("j2");
      assertThat(result.at("/output").size()).isEqualTo(1);
    }
  }

  @Test
  void aToolExceptionReachesTheModelAndRequiresIsEnforced() {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText("apply")
                .callTool("apply_to_job", Map.of("job_id", "nope"))
                .onText("book")
                .callTool(
                    "schedule_appointment",
                    Map.of("client_id", "c1", "appointment_datetime", "2026-12-03T14:30:00")));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = connect(server, events)) {
      session.sendText("apply");
      JsonNode error = (JsonNode) events.await(EventType.TOOL_RESULT).value();
      assertThat(error.path("error").asText())
          .isEqualTo("No job with id nope. Call find_jobs first.");
      events.awaitTurnComplete();

      session.sendText("book");
      JsonNode refused =
          (JsonNode)
              events.await(EventType.TOOL_RESULT, 2, RecordingLiveListener.DEFAULT_TIMEOUT).value();
      assertThat(refused.path("error").asText())
          .contains("needs 'get_available_appointments' to have succeeded");
    }
  }

  private ResilientLiveSession connect(FakeLiveServer server, RecordingLiveListener events) {
    return server.configure(ResilientLiveSession.builder()).tools(tools).listener(events).connect();
  }
}
