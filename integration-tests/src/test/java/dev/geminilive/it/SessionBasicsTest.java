package dev.geminilive.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.geminilive.LiveAuthException;
import dev.geminilive.LiveConnectException;
import dev.geminilive.LiveSessionClosedException;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionState;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SessionBasicsTest {
  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  @Test
  void holdsATextTurnAndDeliversAudioTranscriptAndTurnCompleteInOrder() throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = Fakes.builder(server).listener(events).connect()) {
      assertThat(session.state()).isEqualTo(SessionState.ACTIVE);
      session.sendText("hello");
      events.awaitTurnComplete();
      assertThat(events.outputTranscript()).contains("hello");
      assertThat(events.audioBytes()).isNotEmpty();
      assertThat(events.events().get(0).type()).isEqualTo(EventType.OPEN);
      assertThat(events.events()).allSatisfy(e -> assertThat(e.thread()).contains("-events"));
    }
    assertThat(events.awaitEnd(Duration.ofSeconds(5)).type()).isEqualTo(EventType.CLOSED);
    assertThat(server.recorder().ofKind(MessageKind.REALTIME_TEXT))
        .extracting(m -> m.text())
        .containsExactly("hello");
  }

  @Test
  void sendsTheSetupWithCompressionResumptionAndTranscriptionByDefault() {
    FakeLiveServer server = live.server();
    try (ResilientLiveSession session = Fakes.builder(server).voice("Kore").connect()) {
      var setup = server.recorder().setups().get(0);
      assertThat(setup.path("model").asText()).isEqualTo("models/gemini-3.1-flash-live-preview");
      assertThat(setup.at("/contextWindowCompression/triggerTokens").asLong()).isEqualTo(104857);
      assertThat(setup.at("/contextWindowCompression/slidingWindow/targetTokens").asLong())
          .isEqualTo(52428);
      assertThat(setup.has("sessionResumption")).isTrue();
      assertThat(setup.has("inputAudioTranscription")).isTrue();
      assertThat(setup.has("outputAudioTranscription")).isTrue();
      assertThat(setup.at("/generationConfig/responseModalities/0").asText()).isEqualTo("AUDIO");
      assertThat(
              setup
                  .at("/generationConfig/speechConfig/voiceConfig/prebuiltVoiceConfig/voiceName")
                  .asText())
          .isEqualTo("Kore");
    }
  }

  @Test
  void aWrongKeyFailsTheFirstConnectAtOnceWithAnAuthError() {
    FakeLiveServer server = live.server();
    assertThatThrownBy(() -> Fakes.builder(server).apiKey("wrong-key").connect())
        .isInstanceOf(LiveConnectException.class)
        .satisfies(
            e -> {
              assertThat(e).hasMessageNotContaining("wrong-key");
              assertThat(((LiveConnectException) e).isRetryable()).isFalse();
            });
    assertThat(server.connections()).hasSize(1);
  }

  @Test
  void sendsAfterCloseFailWithAClearException() {
    ResilientLiveSession session = Fakes.builder(live.server()).connect();
    session.close();
    session.close();
    assertThat(session.state()).isEqualTo(SessionState.CLOSED);
    assertThat(session.sendText("late"))
        .failsWithin(Duration.ofSeconds(1))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(LiveSessionClosedException.class);
  }

  @Test
  void vertexUsageFieldsAreReportedLikeGeminiApiOnes() throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = Fakes.builder(server).listener(events).connect()) {
      server
          .connections()
          .get(0)
          .sendRaw(
              "{\"usageMetadata\":{\"promptTokenCount\":812,\"candidatesTokenCount\":164,"
                  + "\"totalTokenCount\":976,\"trafficType\":\"ON_DEMAND\"}}");
      dev.geminilive.Usage usage = (dev.geminilive.Usage) events.await(EventType.USAGE).value();
      assertThat(usage.promptTokenCount()).isEqualTo(812);
      assertThat(usage.responseTokenCount()).isEqualTo(164);
      assertThat(usage.totalTokenCount()).isEqualTo(976);
    }
  }

  @Test
  void clientContentMidSessionIsRefusedOn31AndSentOn25() throws Exception {
    FakeLiveServer server = live.server();
    var turns = java.util.List.of(dev.geminilive.Turn.user("I prefer mornings."));
    try (ResilientLiveSession session = Fakes.builder(server).connect()) {
      assertThat(session.sendHistory(turns, false))
          .failsWithin(Duration.ofSeconds(1))
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .withCauseInstanceOf(dev.geminilive.LiveConfigException.class)
          .withMessageContaining("history(");
    }
    try (ResilientLiveSession session =
        Fakes.builder(server)
            .model(dev.geminilive.ModelProfile.GEMINI_2_5_FLASH_NATIVE_AUDIO)
            .connect()) {
      session.sendHistory(turns, false).get(5, java.util.concurrent.TimeUnit.SECONDS);
      Await.received(
          server.recorder(),
          "client content",
          Duration.ofSeconds(5),
          () -> !server.recorder().ofKind(MessageKind.CLIENT_CONTENT).isEmpty());
    }
  }

  @Test
  void authFailureIsAnAuthException() {
    FakeLiveServer server = live.server();
    assertThatThrownBy(() -> Fakes.builder(server).apiKey("nope").connect())
        .isInstanceOf(LiveAuthException.class);
  }
}
