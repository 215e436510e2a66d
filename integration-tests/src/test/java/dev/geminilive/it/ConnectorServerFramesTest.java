package dev.geminilive.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.AudioChunk;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.Transport;
import dev.geminilive.testkit.FakeConnection;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.Event;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The same server frames give the same listener events over both transports. The SDK connector
 * passes each frame through the SDK's typed {@code LiveServerMessage} and back to JSON, so this is
 * where a field the SDK mistypes or drops would show; the one known difference (unknown fields
 * vanish from the raw message) is asserted explicitly.
 */
class ConnectorServerFramesTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static final List<String> FRAMES =
      List.of(
          "{\"serverContent\":{\"inputTranscription\":{\"text\":\"what is up\"}}}",
          "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"text\":\"let me think\","
              + "\"thought\":true},{\"inlineData\":{\"mimeType\":\"audio/pcm;rate=24000\","
              + "\"data\":\"AAECAwQF\"}},{\"text\":\"not much\"}]}}}",
          "{\"serverContent\":{\"outputTranscription\":{\"text\":\"not much\"}}}",
          "{\"usageMetadata\":{\"promptTokenCount\":10,\"responseTokenCount\":5,"
              + "\"totalTokenCount\":15,\"responseTokensDetails\":[{\"modality\":\"AUDIO\","
              + "\"tokenCount\":5}]}}",
          "{\"toolCallCancellation\":{\"ids\":[\"fc-9\"]}}",
          "{\"sessionResumptionUpdate\":{\"newHandle\":\"handle-77\",\"resumable\":true}}",
          "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"text\":\" more\"}]}},"
              + "\"brandNewTopLevel\":{\"a\":1}}",
          "{\"serverContent\":{\"interrupted\":true}}",
          "{\"serverContent\":{\"generationComplete\":true}}",
          "{\"serverContent\":{\"turnComplete\":true,\"waitingForInput\":true}}");

  @Test
  void theSameServerFramesGiveTheSameEventsOnBothTransports() throws Exception {
    Run okhttp = run(Transport.OKHTTP);
    Run sdk = run(Transport.SDK);
    assertThat(sdk.events()).isEqualTo(okhttp.events());
    assertThat(okhttp.events()).contains("TEXT:not much", "THOUGHT:let me think");
    // Known difference: the SDK drops fields it does not know (SDK-GAPS Q5).
    assertThat(okhttp.raw().toString()).contains("brandNewTopLevel");
    assertThat(sdk.raw().toString()).doesNotContain("brandNewTopLevel");
  }

  record Run(List<String> events, List<JsonNode> raw) {}

  private static Run run(Transport transport) throws Exception {
    try (FakeLiveServer server = FakeLiveServer.builder().build()) {
      RecordingLiveListener events = new RecordingLiveListener().recordRawMessages();
      try (ResilientLiveSession session =
          Fakes.builder(server).transport(transport).listener(events).connect()) {
        FakeConnection c = server.connections().get(0);
        for (String frame : FRAMES) {
          c.sendRaw(frame);
        }
        events.awaitTurnComplete();
        dev.geminilive.it.lifecycle.Waits.handle(events, session, WAIT);
      }
      events.awaitEnd(WAIT);
      List<String> seen =
          events.events().stream()
              .filter(e -> e.type() != EventType.CLOSED)
              .map(ConnectorServerFramesTest::describe)
              .toList();
      return new Run(seen, events.rawMessages());
    }
  }

  private static String describe(Event e) {
    Object v = e.value();
    if (v instanceof AudioChunk a) {
      return e.type() + ":" + java.util.Arrays.toString(a.pcm()) + "@" + a.sampleRateHz();
    }
    return e.type() + ":" + v;
  }
}
