package dev.geminilive.testkit;

import static dev.geminilive.testkit.RawWebSocket.path;
import static dev.geminilive.testkit.RawWebSocket.setup;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.testkit.internal.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Protocol checks and close codes, observed with a raw OkHttp WebSocket (the SDK hides them). */
class ProtocolChecksTest {
  static final String MODEL_31 = "gemini-3.1-flash-live-preview";
  static final String MODEL_25 = "gemini-2.5-flash-native-audio-preview-12-2025";
  static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension final FakeLiveServerExtension live = new FakeLiveServerExtension();

  static String handleFrom(RawWebSocket ws) throws Exception {
    JsonNode update = Json.parseObject(ws.takeUntil("newHandle"));
    return update.at("/sessionResumptionUpdate/newHandle").asText();
  }

  @Test
  void closesWith1007WhenTheFirstMessageIsNotSetup() throws Exception {
    RawWebSocket ws =
        RawWebSocket.openWithKey(live.server()).send("{\"realtimeInput\":{\"text\":\"hi\"}}");
    assertThat(ws.awaitClose()).isEqualTo("1007 Request contains an invalid argument.");
  }

  @Test
  void closesWith1007OnBadJson() throws Exception {
    RawWebSocket ws = RawWebSocket.openWithKey(live.server()).send("{\"setup\":");
    assertThat(ws.awaitClose()).isEqualTo("1007 Invalid JSON payload received.");
    assertThat(live.server().takeClientMessage(WAIT).kind()).isEqualTo(MessageKind.UNKNOWN);
  }

  @Test
  void closesWith1008WhenTheApiKeyIsMissing() throws Exception {
    RawWebSocket ws = RawWebSocket.open(live.server(), path("v1beta", false));
    assertThat(ws.awaitClose()).isEqualTo("1008 API key not valid. Please pass a valid API key.");
  }

  @Test
  void closesWith1008WhenTheApiKeyIsWrong() throws Exception {
    RawWebSocket ws =
        RawWebSocket.open(live.server(), path("v1beta", false), "x-goog-api-key", "nope");
    assertThat(ws.awaitClose()).isEqualTo("1008 API key not valid. Please pass a valid API key.");
  }

  @Test
  void answersBadKeysWithHttp401WhenConfigured() throws Exception {
    try (FakeLiveServer server = FakeLiveServer.builder().badAuthHttpStatus(401).build()) {
      RawWebSocket ws = RawWebSocket.open(server, path("v1beta", false), "x-goog-api-key", "nope");
      ws.awaitFailure();
      assertThat(ws.failureHttpStatus).isEqualTo(401);
    }
  }

  @Test
  void acceptsTheKeyQueryParameterOnV1alphaAndSnakeCaseKeys() throws Exception {
    FakeLiveServer server = live.server();
    RawWebSocket ws = RawWebSocket.open(server, path("v1alpha", false) + "?key=test-key");
    ws.send(
        "{\"setup\":{\"model\":\"models/"
            + MODEL_25
            + "\",\"generation_config\":"
            + "{\"response_modalities\":[\"AUDIO\"]}}}");
    assertThat(ws.take()).contains("setupComplete");
    ws.send(
        "{\"client_content\":{\"turns\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}],"
            + "\"turn_complete\":true}}");
    assertThat(ws.takeUntil("turnComplete")).contains("usageMetadata");
    assertThat(
            server.recorder().setups().get(0).at("/generationConfig/responseModalities/0").asText())
        .isEqualTo("AUDIO");
    assertThat(server.recorder().ofKind(MessageKind.CLIENT_CONTENT).get(0).text()).isEqualTo("hi");
    assertThat(server.connections().get(0).apiVersion()).isEqualTo("v1alpha");
  }

  @Test
  void sendsBinaryFramesByDefaultAndTextFramesWhenAsked() throws Exception {
    assertThat(firstFrameKind(FakeLiveServer.builder().plain(true))).isEqualTo("binary");
    assertThat(firstFrameKind(FakeLiveServer.builder().plain(true).textFrames(true)))
        .isEqualTo("text");
  }

  /** The kind of the first frame (setupComplete) a server built from {@code builder} sends. */
  private static String firstFrameKind(FakeLiveServer.Builder builder) throws Exception {
    try (FakeLiveServer server = builder.build()) {
      // Completed by the client's reader thread when the frame arrives; read only after that.
      CompletableFuture<String> kind = new CompletableFuture<>();
      okhttp3.WebSocket ws =
          server
              .okHttpClient()
              .newWebSocket(
                  new okhttp3.Request.Builder()
                      .url(server.webSocketUrl("v1beta") + "?key=test-key")
                      .build(),
                  new okhttp3.WebSocketListener() {
                    @Override
                    public void onMessage(okhttp3.WebSocket w, String text) {
                      kind.complete("text");
                    }

                    @Override
                    public void onMessage(okhttp3.WebSocket w, okio.ByteString bytes) {
                      kind.complete("binary");
                    }
                  });
      ws.send(setup(MODEL_31));
      try {
        return kind.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } finally {
        ws.close(1000, null);
      }
    }
  }

  @Test
  void acceptsRepeatedLeadingSlashesAsTheJavaScriptSdkSendsWithABaseUrl() throws Exception {
    // @google/genai 3.1.0 given a baseUrl requests "//ws/google.ai...": the service accepts it.
    for (String slashes : new String[] {"/", "//", "///"}) {
      RawWebSocket ws =
          RawWebSocket.open(
                  live.server(),
                  slashes.substring(1) + path("v1beta", false),
                  "x-goog-api-key",
                  live.server().apiKey())
              .send(setup(MODEL_31));
      assertThat(ws.take()).as("upgrade to %sws/...", slashes).contains("setupComplete");
      ws.webSocket.close(1000, null);
    }
    assertThat(live.server().connections())
        .extracting(FakeConnection::path)
        .containsExactly(
            path("v1beta", false), "/" + path("v1beta", false), "//" + path("v1beta", false));
    assertThat(live.server().connections()).allMatch(c -> c.apiVersion().equals("v1beta"));
  }

  @Test
  void answers404ForAPathThatOnlyEndsLikeTheLivePath() throws Exception {
    RawWebSocket ws =
        RawWebSocket.open(
            live.server(), "/v1/x" + path("v1beta", false), "x-goog-api-key", "test-key");
    ws.awaitFailure();
    assertThat(ws.failureHttpStatus).isEqualTo(404);
  }

  @Test
  void closesWith1008ForAnUnknownModel() throws Exception {
    RawWebSocket ws = RawWebSocket.openWithKey(live.server()).send(setup("gemini-9-ultra"));
    assertThat(ws.awaitClose())
        .startsWith("1008 models/gemini-9-ultra is not found for API version v1beta");
  }

  @Test
  void closesWith1007ForTextModalityOnANativeAudioModel() throws Exception {
    RawWebSocket ws =
        RawWebSocket.openWithKey(live.server())
            .send(
                "{\"setup\":{\"model\":\"models/"
                    + MODEL_25
                    + "\",\"generationConfig\":{\"responseModalities\":[\"TEXT\"]}}}");
    assertThat(ws.awaitClose()).isEqualTo("1007 Cannot extract voices from a non-audio request.");
  }

  @Test
  void closesWith1007ForMediaChunksOn31() throws Exception {
    RawWebSocket ws = RawWebSocket.openWithKey(live.server()).send(setup(MODEL_31));
    ws.take();
    ws.send(
        "{\"realtimeInput\":{\"mediaChunks\":[{\"mimeType\":\"audio/pcm;rate=16000\","
            + "\"data\":\"AAA=\"}]}}");
    assertThat(ws.awaitClose()).isEqualTo("1007 Request contains an invalid argument.");
  }

  @Test
  void rejectsAudioStreamEndInManualActivityMode() throws Exception {
    RawWebSocket ws =
        RawWebSocket.openWithKey(live.server())
            .send(
                "{\"setup\":{\"model\":\"models/"
                    + MODEL_25
                    + "\",\"realtimeInputConfig\":"
                    + "{\"automaticActivityDetection\":{\"disabled\":true}}}}");
    ws.take();
    ws.send("{\"realtimeInput\":{\"audioStreamEnd\":true}}");
    assertThat(ws.awaitClose()).isEqualTo("1007 Request contains an invalid argument.");
  }

  @Test
  void endsAManualActivityTurnOnActivityEnd() throws Exception {
    FakeLiveServer server = live.server();
    server.script(s -> s.onAudio().reply((turn, r) -> r.say("got " + turn.audio().length)));
    RawWebSocket ws =
        RawWebSocket.openWithKey(server)
            .send(
                "{\"setup\":{\"model\":\"models/"
                    + MODEL_25
                    + "\",\"realtimeInputConfig\":"
                    + "{\"automaticActivityDetection\":{\"disabled\":true}}}}");
    ws.take();
    ws.send("{\"realtimeInput\":{\"activityStart\":{}}}");
    ws.send(
        "{\"realtimeInput\":{\"audio\":{\"mimeType\":\"audio/pcm;rate=16000\","
            + "\"data\":\"AAAAAA==\"}}}");
    ws.send("{\"realtimeInput\":{\"activityEnd\":{}}}");
    assertThat(ws.takeUntil("outputTranscription")).contains("got 4");
  }

  @Test
  void closesWith1008ForAnUnknownHandle() throws Exception {
    RawWebSocket ws =
        RawWebSocket.openWithKey(live.server())
            .send(
                "{\"setup\":{\"model\":\"models/"
                    + MODEL_31
                    + "\",\"sessionResumption\":{\"handle\":\"no-such-handle\"}}}");
    assertThat(ws.awaitClose()).isEqualTo("1008 BidiGenerateContent session not found");
  }

  @Test
  void closesWith1011WhenResumingWhileTheOldSocketIsOpen() throws Exception {
    FakeLiveServer server = live.server();
    RawWebSocket first = RawWebSocket.openWithKey(server).send(setup(MODEL_31));
    first.send("{\"realtimeInput\":{\"text\":\"hi\"}}");
    String handle = handleFrom(first);

    RawWebSocket second =
        RawWebSocket.openWithKey(server)
            .send(
                "{\"setup\":{\"model\":\"models/"
                    + MODEL_31
                    + "\",\"sessionResumption\":{\"handle\":\""
                    + handle
                    + "\"}}}");
    assertThat(second.awaitClose()).isEqualTo("1011 Internal error encountered.");

    first.webSocket.close(1000, null);
    assertThat(server.connections().get(0).awaitClosed(WAIT)).isTrue();
    RawWebSocket third =
        RawWebSocket.openWithKey(server)
            .send(
                "{\"setup\":{\"model\":\"models/"
                    + MODEL_31
                    + "\",\"sessionResumption\":{\"handle\":\""
                    + handle
                    + "\"}}}");
    assertThat(third.take()).contains("setupComplete");
  }

  @Test
  void refusesExpiredHandles() throws Exception {
    MutableClock clock = new MutableClock();
    try (FakeLiveServer server =
        FakeLiveServer.builder().clock(clock).handleTtl(Duration.ofMinutes(5)).build()) {
      RawWebSocket first = RawWebSocket.openWithKey(server).send(setup(MODEL_31));
      first.send("{\"realtimeInput\":{\"text\":\"hi\"}}");
      String handle = handleFrom(first);
      first.webSocket.close(1000, null);
      assertThat(server.connections().get(0).awaitClosed(WAIT)).isTrue();
      clock.now = clock.now.plus(Duration.ofMinutes(6));

      RawWebSocket second =
          RawWebSocket.openWithKey(server)
              .send(
                  "{\"setup\":{\"model\":\"models/"
                      + MODEL_31
                      + "\",\"sessionResumption\":{\"handle\":\""
                      + handle
                      + "\"}}}");
      assertThat(second.awaitClose()).isEqualTo("1008 BidiGenerateContent session not found");
    }
  }

  @Test
  void countsTheTransparentIndexPerConnectionFromZeroWithoutTheSetup() throws Exception {
    FakeLiveServer server = live.server();
    RawWebSocket ws =
        RawWebSocket.openWithKey(server)
            .send(
                "{\"setup\":{\"model\":\"models/"
                    + MODEL_25
                    + "\",\"sessionResumption\":{\"transparent\":true}}}");
    ws.take();
    ws.send("{\"realtimeInput\":{\"video\":{\"mimeType\":\"image/jpeg\",\"data\":\"AA==\"}}}");
    ws.send("{\"realtimeInput\":{\"text\":\"hi\"}}");
    JsonNode update = Json.parseObject(ws.takeUntil("newHandle"));
    assertThat(update.at("/sessionResumptionUpdate/lastConsumedClientMessageIndex").asText())
        .isEqualTo("1");
  }

  @Test
  void sendsNotResumableWhileGeneratingAndAHandleAfterTheTurn() throws Exception {
    RawWebSocket ws = RawWebSocket.openWithKey(live.server()).send(setup(MODEL_25));
    ws.take();
    ws.send("{\"realtimeInput\":{\"text\":\"hi\"}}");
    assertThat(ws.take()).isEqualTo("{\"sessionResumptionUpdate\":{\"resumable\":false}}");
    ws.takeUntil("turnComplete");
    assertThat(ws.take()).contains("\"resumable\":true").contains("newHandle");
  }

  @Test
  void answersUnknownPathsWith404() throws Exception {
    RawWebSocket ws = RawWebSocket.open(live.server(), "/ws/nothing?key=test-key");
    ws.awaitFailure();
    assertThat(ws.failureHttpStatus).isEqualTo(404);
  }

  @Test
  void consumesSeededHistoryWithoutAnsweringAndUsesItLater() throws Exception {
    FakeLiveServer server = live.server();
    server.script(s -> s.onText("recap").reply((turn, r) -> r.say(turn.history().get(1).text())));
    RawWebSocket ws =
        RawWebSocket.openWithKey(server)
            .send(
                "{\"setup\":{\"model\":\"models/"
                    + MODEL_31
                    + "\",\"historyConfig\":{\"initialHistoryInClientContent\":true}}}");
    ws.take();
    ws.send(
        "{\"clientContent\":{\"turns\":[{\"role\":\"user\",\"parts\":[{\"text\":\"I'm Ada\"}]},"
            + "{\"role\":\"model\",\"parts\":[{\"text\":\"Hi Ada\"}]}],\"turnComplete\":true}}");
    assertThat(server.takeClientMessage(WAIT).kind()).isEqualTo(MessageKind.SETUP);
    assertThat(server.takeClientMessage(WAIT).kind()).isEqualTo(MessageKind.CLIENT_CONTENT);
    ws.send("{\"realtimeInput\":{\"text\":\"recap\"}}");

    // The first transcript is the answer to "recap": the seed itself got no answer.
    assertThat(ws.takeUntil("outputTranscription")).contains("\"text\":\"Hi Ada\"");
    assertThat(server.sessions().get(0).history())
        .startsWith(new HistoryEntry("user", "I'm Ada"), new HistoryEntry("model", "Hi Ada"));
  }

  @Test
  void recordsMessagesTypedAndConcatenatesAudio() throws Exception {
    FakeLiveServer server = live.server();
    RawWebSocket ws = RawWebSocket.openWithKey(server).send(setup(MODEL_25));
    ws.take();
    ws.send(
        "{\"realtimeInput\":{\"audio\":{\"mimeType\":\"audio/pcm;rate=16000\",\"data\":\"AQI=\"}}}");
    ws.send(
        "{\"realtime_input\":{\"audio\":{\"mime_type\":\"audio/pcm;rate=16000\",\"data\":\"AwQ=\"}}}");
    ws.send("{\"realtimeInput\":{\"audioStreamEnd\":true}}");
    ws.send(
        "{\"toolResponse\":{\"functionResponses\":[{\"id\":\"x\",\"response\":{\"snake_key\":1}}]}}");
    for (int i = 0; i < 5; i++) {
      server.takeClientMessage(WAIT);
    }
    Recorder recorder = server.recorder();
    assertThat(recorder.all())
        .extracting(RecordedMessage::kind)
        .containsExactly(
            MessageKind.SETUP,
            MessageKind.REALTIME_AUDIO,
            MessageKind.REALTIME_AUDIO,
            MessageKind.AUDIO_STREAM_END,
            MessageKind.TOOL_RESPONSE);
    assertThat(recorder.audioBytes()).containsExactly(1, 2, 3, 4);
    assertThat(
            recorder
                .ofKind(MessageKind.TOOL_RESPONSE)
                .get(0)
                .functionResponses()
                .get(0)
                .path("response")
                .has("snake_key"))
        .isTrue();
    assertThat(recorder.all())
        .extracting(RecordedMessage::sequence)
        .containsExactly(0L, 1L, 2L, 3L, 4L);
    recorder.clear();
    assertThat(recorder.all()).isEmpty();
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    volatile Instant now = Instant.parse("2030-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
