package dev.geminilive.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.geminilive.ExecutableCode;
import dev.geminilive.GroundingMetadata;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.TurnComplete;
import dev.geminilive.Usage;
import dev.geminilive.testkit.FakeConnection;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fields real recorded traffic carries (executable code parts, finished output transcripts,
 * grounding metadata, usage by modality and thought tokens) reach listener events, replayed frame
 * by frame from {@code ../shared/cassettes} through the fake server's socket. Skipped where the
 * recordings are absent; they are read in place, never copied.
 */
class RecordedServerFieldsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Recorded sessions, read where present (relative to the repository root), never copied. */
  private static final Path CASSETTES = Path.of("..", "..", "shared", "cassettes");

  /** Ends a replay: every event before it has been delivered once this turn end arrives. */
  private static final String SENTINEL = "END_OF_REPLAY";

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  @Test
  void aRecordedExecutableCodePartReachesOnExecutableCode() throws Exception {
    RecordingLiveListener events = replay("jsgenai__live_ML_Dev_should_send_tool_response.json");
    ExecutableCode code = events.<ExecutableCode>values(EventType.EXECUTABLE_CODE).get(0);
    assertThat(code.language()).isEqualTo("PYTHON");
    assertThat(code.code()).contains("get_current_weather(location='Redmond, WA')");
    assertThat(events.count(EventType.TEXT)).as("code is not the model's answer").isZero();
  }

  @Test
  void aRecordedFinishedTranscriptAndGroundingReachTheirEventsBeforeTheTurnEnds() throws Exception {
    RecordingLiveListener events =
        replay("pydantic__test_gateway_ws__test_gateway_gemini_text_in_audio_out.json");
    List<EventType> order =
        events.events().stream()
            .map(RecordingLiveListener.Event::type)
            .filter(
                t ->
                    t == EventType.OUTPUT_TRANSCRIPT_FINISHED
                        || t == EventType.GROUNDING_METADATA
                        || t == EventType.TURN_COMPLETE)
            .toList();
    assertThat(order)
        .startsWith(
            EventType.OUTPUT_TRANSCRIPT_FINISHED,
            EventType.GROUNDING_METADATA,
            EventType.TURN_COMPLETE);
    GroundingMetadata grounding =
        events.<GroundingMetadata>values(EventType.GROUNDING_METADATA).get(0);
    assertThat(grounding.webSearchQueries()).isEmpty();
    assertThat(grounding.sources()).isEmpty();
    // The gateway (Vertex AI) names the response counts "candidates"; one detail has no count.
    Usage usage = events.<Usage>values(EventType.USAGE).get(0);
    assertThat(usage.responseTokenCount()).isEqualTo(3);
    assertThat(usage.responseTokensByModality()).containsEntry("TEXT", 3).containsEntry("AUDIO", 0);
  }

  @Test
  void recordedThoughtTokensAndPromptDetailsReachOnUsage() throws Exception {
    RecordingLiveListener events =
        replay("pydantic__test_google_ws__test_text_in_audio_out_turn.json");
    Usage usage = events.<Usage>values(EventType.USAGE).get(0);
    assertThat(usage.thoughtsTokenCount()).isEqualTo(24);
    assertThat(usage.promptTokensByModality()).isNotEmpty();
    assertThat(usage.responseTokensByModality()).isNotEmpty();
  }

  @Test
  void everyRecordedSessionGivesOneEventPerFieldItCarriesAndNoError() throws Exception {
    assumeTrue(Files.isDirectory(CASSETTES), "the recorded sessions are not here: " + CASSETTES);
    List<Path> files;
    try (Stream<Path> list = Files.list(CASSETTES)) {
      files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    int code = 0;
    int finished = 0;
    int grounding = 0;
    for (Path file : files) {
      Counts expected = Counts.of(frames(file));
      RecordingLiveListener events = replay(file.getFileName().toString());
      assertThat(events.count(EventType.EXECUTABLE_CODE))
          .as(file + " code")
          .isEqualTo(expected.code);
      assertThat(events.count(EventType.OUTPUT_TRANSCRIPT_FINISHED))
          .as(file + " finished")
          .isEqualTo(expected.finished);
      assertThat(events.count(EventType.GROUNDING_METADATA))
          .as(file + " grounding")
          .isEqualTo(expected.grounding);
      assertThat(events.count(EventType.USAGE)).as(file + " usage").isEqualTo(expected.usage);
      assertThat(events.count(EventType.ERROR)).as(file + " errors").isZero();
      code += expected.code;
      finished += expected.finished;
      grounding += expected.grounding;
    }
    assertThat(code + finished + grounding)
        .as("the recordings carry some of these fields")
        .isPositive();
  }

  /** How many of each field the replayed frames carry, counted from the JSON directly. */
  private record Counts(int code, int finished, int grounding, int usage) {
    static Counts of(List<JsonNode> frames) {
      int code = 0;
      int finished = 0;
      int grounding = 0;
      int usage = 0;
      for (JsonNode f : frames) {
        JsonNode content = f.path("serverContent");
        for (JsonNode part : content.path("modelTurn").path("parts")) {
          code += part.has("executableCode") ? 1 : 0;
        }
        finished += content.path("outputTranscription").path("finished").asBoolean() ? 1 : 0;
        grounding += content.has("groundingMetadata") ? 1 : 0;
        usage += f.has("usageMetadata") ? 1 : 0;
      }
      return new Counts(code, finished, grounding, usage);
    }
  }

  /**
   * The recorded server frames that only inform (content and usage): tool calls, handles and {@code
   * goAway} would set the session acting, which is not what these tests look at.
   */
  private static List<JsonNode> frames(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode frame : new ObjectMapper().readTree(file.toFile()).path("frames")) {
      JsonNode data = frame.path("data");
      if (frame.path("dir").asText().equals("server")
          && data.isObject()
          && (data.has("serverContent") || data.has("usageMetadata"))
          && !data.has("toolCall")
          && !data.has("goAway")
          && !data.has("sessionResumptionUpdate")) {
        out.add(data);
      }
    }
    return out;
  }

  /** Sends the recording's frames to a fresh session and returns its events once all arrived. */
  private RecordingLiveListener replay(String name) throws Exception {
    Path cassette = CASSETTES.resolve(name);
    assumeTrue(Files.isRegularFile(cassette), "the recorded sessions are not here: " + cassette);
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = server.sessionBuilder().listener(events).connect()) {
      FakeConnection c = server.connections().get(server.connections().size() - 1);
      for (JsonNode frame : frames(cassette)) {
        c.sendRaw(frame.toString());
      }
      c.sendRaw(
          "{\"serverContent\":{\"turnComplete\":true,\"turnCompleteReason\":\""
              + SENTINEL
              + "\"}}");
      events.awaitMatching(
          e -> e.value() instanceof TurnComplete t && SENTINEL.equals(t.reasonName()),
          1,
          WAIT,
          "the end of the replay");
    }
    return events;
  }
}
