package dev.geminilive.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.Usage;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.Event;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The order of events made from one frame: real traffic carries {@code usageMetadata} on the same
 * frame as {@code turnComplete}, and a listener that totals usage at the end of a turn must have
 * seen that turn's usage by then.
 */
class EventOrderTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Recorded sessions, read where present (relative to the repository root), never copied. */
  private static final Path CASSETTES = Path.of("..", "..", "shared", "cassettes");

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  @Test
  void theUsageOnATurnCompleteFrameIsDeliveredBeforeOnTurnComplete() throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = server.sessionBuilder().listener(events).connect()) {
      session.sendText("hello");
      events.awaitTurnComplete();
      server
          .connections()
          .get(0)
          .sendRaw(
              "{\"serverContent\":{\"turnComplete\":true},"
                  + "\"usageMetadata\":{\"promptTokenCount\":40,\"responseTokenCount\":2,"
                  + "\"totalTokenCount\":42}}");
      events.awaitTurnComplete(2, WAIT);
      Event before = eventBefore(events.events(), EventType.TURN_COMPLETE, 2);
      assertThat(before.type()).isEqualTo(EventType.USAGE);
      assertThat(((Usage) before.value()).totalTokenCount()).isEqualTo(42);
    }
  }

  @Test
  void recordedTurnEndsDeliverTheirUsageFirst() throws Exception {
    Path cassette =
        CASSETTES.resolve("jsgenai__live_ML_Dev_should_send_text_in_async_session.json");
    assumeTrue(Files.isRegularFile(cassette), "the recorded sessions are not here: " + cassette);
    List<String> turnEnds = new ArrayList<>();
    for (JsonNode frame : new ObjectMapper().readTree(cassette.toFile()).path("frames")) {
      JsonNode data = frame.path("data");
      if (frame.path("dir").asText().equals("server")
          && data.path("serverContent").path("turnComplete").asBoolean()
          && data.has("usageMetadata")) {
        turnEnds.add(data.toString());
      }
    }
    assertThat(turnEnds).isNotEmpty();
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = server.sessionBuilder().listener(events).connect()) {
      for (int i = 0; i < turnEnds.size(); i++) {
        server.connections().get(0).sendRaw(turnEnds.get(i));
        events.awaitTurnComplete(i + 1, WAIT);
        assertThat(eventBefore(events.events(), EventType.TURN_COMPLETE, i + 1).type())
            .as("the event before turn end %d", i + 1)
            .isEqualTo(EventType.USAGE);
      }
    }
  }

  @Test
  void recordedThoughtsOfATwoPointFiveModelWithoutIncludeThoughtsGoToOnThought() throws Exception {
    Path cassette = CASSETTES.resolve("pydantic__test_google_ws__test_text_in_audio_out_turn.json");
    assumeTrue(Files.isRegularFile(cassette), "the recorded sessions are not here: " + cassette);
    JsonNode recorded = new ObjectMapper().readTree(cassette.toFile());
    String thoughtFrame = null;
    for (JsonNode frame : recorded.path("frames")) {
      JsonNode data = frame.path("data");
      if (frame.path("dir").asText().equals("client") && data.has("setup")) {
        assertThat(data.at("/setup/generationConfig/thinkingConfig").isMissingNode())
            .as("the recorded session did not ask for thoughts")
            .isTrue();
      }
      if (frame.path("dir").asText().equals("server")
          && data.toString().contains("\"thought\":true")) {
        thoughtFrame = data.toString();
      }
    }
    assertThat(thoughtFrame).isNotNull();
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        server
            .sessionBuilder()
            .model(dev.geminilive.ModelProfile.GEMINI_2_5_FLASH_NATIVE_AUDIO)
            .listener(events)
            .connect()) {
      server.connections().get(0).sendRaw(thoughtFrame);
      events.await(EventType.THOUGHT);
      assertThat(events.count(EventType.TEXT)).as("a thought is not speech").isZero();
    }
  }

  /** The event just before the n-th event of {@code type}. */
  private static Event eventBefore(List<Event> all, EventType type, int n) {
    int seen = 0;
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).type() == type && ++seen == n) {
        return all.get(i - 1);
      }
    }
    throw new AssertionError("no " + n + " × " + type + " in " + all);
  }
}
