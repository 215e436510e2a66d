package dev.geminilive.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.LiveListener;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.FakeConnection;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordedMessage;
import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolParam;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A tool declared inline ({@code @LiveTool(inline = true)}) runs on the session's queue, in the
 * task of its {@code toolCall} frame: its answer is handed to the send path before the session
 * handles the next frame.
 */
class InlineToolTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  /** Records the thread each tool ran on and whether it was interrupted. */
  static final class Tools {
    final Map<String, String> threads = new ConcurrentHashMap<>();
    final AtomicBoolean interrupted = new AtomicBoolean();

    @LiveTool(name = "quick", description = "Looks up a code.", inline = true)
    Map<String, Object> quick(@ToolParam(description = "A code") String code) {
      threads.put("quick", Thread.currentThread().getName());
      interrupted.compareAndSet(false, Thread.currentThread().isInterrupted());
      return Map.of("code", code);
    }

    @LiveTool(name = "pooled", description = "Looks up a code on the tool executor.")
    Map<String, Object> pooled(@ToolParam(description = "A code") String code) {
      threads.put("pooled", Thread.currentThread().getName());
      return Map.of("code", code);
    }
  }

  private static String toolCall(String id, String name) {
    return "{\"toolCall\":{\"functionCalls\":[{\"id\":\""
        + id
        + "\",\"name\":\""
        + name
        + "\",\"args\":{\"code\":\"x\"}}]}}";
  }

  @Test
  void anInlineToolsAnswerIsSentBeforeInputTheListenerSendsOnTheNextFrame() throws Exception {
    FakeLiveServer server = live.server();
    Tools tools = new Tools();
    LiveListener listener =
        new LiveListener() {
          @Override
          public void onRawMessage(ResilientLiveSession session, JsonNode message) {
            if (message.has("testMarker")) { // a field of this test's frames only
              session.sendText("after " + message.path("testMarker").asText());
            }
          }
        };
    try (ResilientLiveSession session =
        Fakes.builder(server).tools(tools).listener(listener).connect()) {
      FakeConnection conn = server.awaitConnections(1, WAIT).get(0);
      for (int i = 0; i < 20; i++) {
        server.recorder().clear();
        // Back to back on one socket: the session reads both before the first is handled.
        conn.sendRaw(toolCall("call-" + i, "quick"));
        conn.sendRaw("{\"testMarker\":\"" + i + "\"}");
        server.recorder().awaitOfKind(MessageKind.REALTIME_TEXT, 1, WAIT);
        List<RecordedMessage> got =
            server.recorder().ofKind(MessageKind.TOOL_RESPONSE, MessageKind.REALTIME_TEXT);
        assertThat(got.get(got.size() - 1).text()).isEqualTo("after " + i);
        assertThat(got)
            .extracting(RecordedMessage::kind)
            .as("round %d", i)
            .containsExactly(MessageKind.TOOL_RESPONSE, MessageKind.REALTIME_TEXT);
        assertThat(got.get(0).functionResponses().get(0).path("id").asText())
            .isEqualTo("call-" + i);
        assertThat(got.get(0).functionResponses().get(0).at("/response/output/code").asText())
            .isEqualTo("x");
      }
    }
    assertThat(tools.interrupted).isFalse();
  }

  @Test
  void anInlineToolRunsOnTheSessionsQueueAndADefaultToolOnTheToolExecutor() throws Exception {
    FakeLiveServer server = live.server();
    Tools tools = new Tools();
    try (ResilientLiveSession session = Fakes.builder(server).tools(tools).connect()) {
      FakeConnection conn = server.awaitConnections(1, WAIT).get(0);
      conn.sendRaw(toolCall("a", "quick"));
      conn.sendRaw(toolCall("b", "pooled"));
      server.recorder().awaitOfKind(MessageKind.TOOL_RESPONSE, 2, WAIT);
      assertThat(tools.threads.get("quick")).isEqualTo(session.name() + "-events");
      assertThat(tools.threads.get("pooled")).doesNotEndWith("-events");
    }
  }

  @Test
  void anInlineToolThatThrowsIsAnsweredWithAnErrorAndTheSessionGoesOn() throws Exception {
    FakeLiveServer server = live.server();
    Object failing =
        new Object() {
          @LiveTool(name = "broken", description = "Fails.", inline = true)
          String broken() {
            throw new StackOverflowError("deep");
          }
        };
    try (ResilientLiveSession session = Fakes.builder(server).tools(failing).connect()) {
      FakeConnection conn = server.awaitConnections(1, WAIT).get(0);
      conn.sendRaw(
          "{\"toolCall\":{\"functionCalls\":[{\"id\":\"e1\",\"name\":\"broken\",\"args\":{}}]}}");
      RecordedMessage answer =
          server.recorder().awaitOfKind(MessageKind.TOOL_RESPONSE, 1, WAIT).get(0);
      assertThat(answer.functionResponses().get(0).path("response").has("error")).isTrue();
      session.sendText("still here");
      assertThat(server.recorder().awaitOfKind(MessageKind.REALTIME_TEXT, 1, WAIT)).hasSize(1);
      assertThat(session.failure()).isEmpty();
      assertThat(session.termination().isDone()).isFalse();
    }
  }
}
