package dev.geminilive.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.testkit.internal.Pcm;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Turn-taking of the fake model: voice activity, barge-in, pacing and scripted steps. */
class FakeModelTest {
  static final String MODEL_25 = "gemini-2.5-flash-native-audio-preview-12-2025";
  static final String MODEL_31 = "gemini-3.1-flash-live-preview";

  @RegisterExtension final FakeLiveServerExtension live = new FakeLiveServerExtension();

  static String audio(byte[] pcm) {
    return "{\"realtimeInput\":{\"audio\":{\"mimeType\":\"audio/pcm;rate=16000\",\"data\":\""
        + Base64.getEncoder().encodeToString(pcm)
        + "\"}}}";
  }

  RawWebSocket open(String setupJson) throws Exception {
    RawWebSocket ws = RawWebSocket.openWithKey(live.server()).send(setupJson);
    assertThat(ws.take()).contains("setupComplete");
    return ws;
  }

  @Test
  void userSpeechDuringAPacedReplyInterruptsIt() throws Exception {
    live.server()
        .script(
            s -> s.realTime().onText("story").reply(r -> r.say("Long", Duration.ofSeconds(30))));
    RawWebSocket ws = open(RawWebSocket.setup(MODEL_25));
    ws.send("{\"realtimeInput\":{\"text\":\"story\"}}");
    ws.takeUntil("inlineData");

    ws.send(audio(Pcm.speechLike(Duration.ofMillis(100), 16_000)));

    assertThat(ws.takeUntil("interrupted")).isEqualTo("{\"serverContent\":{\"interrupted\":true}}");
    assertThat(ws.take()).isEqualTo("{\"serverContent\":{\"turnComplete\":true}}");
  }

  @Test
  void endsAnAudioTurnAfterTheConfiguredSilenceCountedInSamples() throws Exception {
    live.server()
        .script(s -> s.onAudio().reply((t, r) -> r.say(t.audioDuration().toMillis() + "ms")));
    RawWebSocket ws =
        open(
            "{\"setup\":{\"model\":\"models/"
                + MODEL_25
                + "\",\"realtimeInputConfig\":"
                + "{\"automaticActivityDetection\":{\"silenceDurationMs\":200}}}}");
    ws.send(audio(Pcm.speechLike(Duration.ofMillis(300), 16_000)));
    ws.send(audio(Pcm.silence(Duration.ofMillis(150), 16_000)));
    ws.send(audio(Pcm.silence(Duration.ofMillis(100), 16_000)));
    // 300 ms of speech (its last quiet samples included) plus exactly 200 ms of trailing silence.
    assertThat(ws.takeUntil("outputTranscription")).matches(".*\"text\":\"(4|5)\\d\\dms\".*");
  }

  @Test
  void queuesTheTurnInsteadOfInterruptingWithNoInterruption() throws Exception {
    // The first reply goes on until the server has the second turn, however slow the test is.
    CompletableFuture<Void> secondArrived = new CompletableFuture<>();
    live.server()
        .script(
            s ->
                s.realTime()
                    .onText("first")
                    .reply(
                        r ->
                            r.say("one", Duration.ofMillis(200))
                                .pauseUntil(secondArrived)
                                .say("more", Duration.ofMillis(200)))
                    .onText("second")
                    .reply(r -> r.say("two")));
    RawWebSocket ws =
        open(
            "{\"setup\":{\"model\":\"models/"
                + MODEL_25
                + "\",\"realtimeInputConfig\":"
                + "{\"activityHandling\":\"NO_INTERRUPTION\"}}}");
    ws.send("{\"realtimeInput\":{\"text\":\"first\"}}");
    ws.takeUntil("inlineData");
    ws.send("{\"realtimeInput\":{\"text\":\"second\"}}");
    live.server()
        .recorder()
        .awaitUntil(
            "the second turn",
            RawWebSocket.TIMEOUT,
            r -> r.ofKind(MessageKind.REALTIME_TEXT).size() == 2);
    secondArrived.complete(null);
    String m;
    do {
      m = ws.take();
      assertThat(m).as("the first reply, to its end").doesNotContain("interrupted");
    } while (!m.contains("turnComplete"));
    assertThat(ws.takeUntil("outputTranscription")).contains("\"two\"");
    ws.takeUntil("turnComplete");
    assertThat(live.server().sessions().get(0).history())
        .extracting(HistoryEntry::text)
        .containsExactly("first", "one more", "second", "two");
  }

  @Test
  void emitsScriptedStepsInOrderWithChunkedAudio() throws Exception {
    live.server()
        .script(
            s ->
                s.audioChunk(Duration.ofMillis(100))
                    .onText("go")
                    .reply(
                        r ->
                            r.usage(7, 0)
                                .inputTranscript("go")
                                .say("Hi", Duration.ofMillis(250))
                                .outputTranscript(" there")
                                .goAway(Duration.ofSeconds(30))));
    RawWebSocket ws = open("{\"setup\":{\"model\":\"models/" + MODEL_25 + "\"}}");
    ws.send("{\"realtimeInput\":{\"text\":\"go\"}}");
    List<String> kinds = new java.util.ArrayList<>();
    String m;
    do {
      m = ws.take();
      kinds.add(
          m.substring(2, m.indexOf('"', 2))
              + (m.contains("inlineData") ? ":audio" : "")
              + (m.contains("inputTranscription") ? ":in" : "")
              + (m.contains("outputTranscription") ? ":out" : ""));
    } while (!m.contains("turnComplete"));
    assertThat(kinds)
        .containsExactly(
            "usageMetadata",
            "serverContent:in",
            "serverContent:audio",
            "serverContent:out",
            "serverContent:audio",
            "serverContent:audio",
            "serverContent:out",
            "goAway",
            "serverContent",
            "serverContent");
  }

  @Test
  void delaysPongsOfOneConnection() throws Exception {
    RawWebSocket ws =
        RawWebSocket.open(
            live.server().okHttpClient().newBuilder().pingInterval(Duration.ofMillis(200)).build(),
            live.server(),
            RawWebSocket.path("v1beta", false),
            "x-goog-api-key",
            "test-key");
    live.server()
        .awaitConnections(1, Duration.ofSeconds(5))
        .get(0)
        .pongDelay(Duration.ofSeconds(3));
    assertThat(ws.awaitFailure()).isInstanceOf(java.net.SocketTimeoutException.class);
  }
}
