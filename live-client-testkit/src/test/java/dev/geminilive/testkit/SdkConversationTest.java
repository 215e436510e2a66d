package dev.geminilive.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.genai.types.AudioTranscriptionConfig;
import com.google.genai.types.AutomaticActivityDetection;
import com.google.genai.types.Blob;
import com.google.genai.types.Content;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.FunctionResponse;
import com.google.genai.types.LiveConnectConfig;
import com.google.genai.types.LiveSendRealtimeInputParameters;
import com.google.genai.types.LiveSendToolResponseParameters;
import com.google.genai.types.LiveServerMessage;
import com.google.genai.types.Modality;
import com.google.genai.types.Part;
import com.google.genai.types.PrebuiltVoiceConfig;
import com.google.genai.types.RealtimeInputConfig;
import com.google.genai.types.Schema;
import com.google.genai.types.SessionResumptionConfig;
import com.google.genai.types.SpeechConfig;
import com.google.genai.types.Tool;
import com.google.genai.types.Type;
import com.google.genai.types.VoiceConfig;
import dev.geminilive.testkit.internal.Pcm;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The unmodified google-genai SDK holds a conversation with the fake server. */
class SdkConversationTest {
  static final String MODEL_31 = "gemini-3.1-flash-live-preview";
  static final String MODEL_25 = "gemini-2.5-flash-native-audio-preview-12-2025";
  static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension final FakeLiveServerExtension live = new FakeLiveServerExtension();

  static LiveConnectConfig richConfig() {
    return richConfig(null);
  }

  static LiveConnectConfig richConfig(String handle) {
    SessionResumptionConfig.Builder resumption = SessionResumptionConfig.builder();
    if (handle != null) {
      resumption.handle(handle);
    }
    return LiveConnectConfig.builder()
        .responseModalities(Modality.Known.AUDIO)
        .systemInstruction(Content.fromParts(Part.fromText("You are Laura, a career coach.")))
        .speechConfig(
            SpeechConfig.builder()
                .voiceConfig(
                    VoiceConfig.builder()
                        .prebuiltVoiceConfig(PrebuiltVoiceConfig.builder().voiceName("Peri")))
                .languageCode("en-US"))
        .tools(
            Tool.builder()
                .functionDeclarations(
                    FunctionDeclaration.builder()
                        .name("schedule_appointment")
                        .description("Books a slot.")
                        .parameters(
                            Schema.builder()
                                .type(Type.Known.OBJECT)
                                .properties(
                                    Map.of(
                                        "client_id",
                                        Schema.builder().type(Type.Known.STRING).build()))
                                .required("client_id"))))
        .realtimeInputConfig(
            RealtimeInputConfig.builder()
                .automaticActivityDetection(
                    AutomaticActivityDetection.builder().disabled(false).silenceDurationMs(300)))
        .sessionResumption(resumption)
        .inputAudioTranscription(AudioTranscriptionConfig.builder())
        .outputAudioTranscription(AudioTranscriptionConfig.builder())
        .build();
  }

  static LiveSendRealtimeInputParameters text(String text) {
    return LiveSendRealtimeInputParameters.builder().text(text).build();
  }

  static LiveSendRealtimeInputParameters audio(byte[] pcm) {
    return LiveSendRealtimeInputParameters.builder()
        .audio(Blob.builder().mimeType("audio/pcm;rate=16000").data(pcm))
        .build();
  }

  static boolean hasAudio(LiveServerMessage m) {
    return m.serverContent()
        .flatMap(c -> c.modelTurn())
        .flatMap(t -> t.parts())
        .map(ps -> ps.stream().anyMatch(p -> p.inlineData().isPresent()))
        .orElse(false);
  }

  static int partCount(LiveServerMessage m) {
    return m.serverContent()
        .flatMap(c -> c.modelTurn())
        .flatMap(t -> t.parts())
        .map(List::size)
        .orElse(0);
  }

  @Test
  void recordsTheRichSetupAndAnswersATextTurnWithMultiPartMessagesOn31() throws Exception {
    FakeLiveServer server = live.server();
    SdkInbox.Connected c = SdkInbox.connect(server.sdkClient(), MODEL_31, richConfig());

    assertThat(c.session().setupComplete().sessionId()).isPresent();
    JsonNode setup = server.takeClientMessage(WAIT).setup();
    assertThat(setup.path("model").asText()).isEqualTo("models/" + MODEL_31);
    assertThat(setup.at("/systemInstruction/parts/0/text").asText())
        .isEqualTo("You are Laura, a career coach.");
    assertThat(
            setup
                .at("/generationConfig/speechConfig/voiceConfig/prebuiltVoiceConfig/voiceName")
                .asText())
        .isEqualTo("Peri");
    assertThat(setup.at("/tools/0/functionDeclarations/0/name").asText())
        .isEqualTo("schedule_appointment");
    assertThat(
            setup.at("/realtimeInputConfig/automaticActivityDetection/silenceDurationMs").asInt())
        .isEqualTo(300);

    c.session().sendRealtimeInput(text("hello")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    RecordedMessage sent = server.takeClientMessage(WAIT);
    assertThat(sent.kind()).isEqualTo(MessageKind.REALTIME_TEXT);
    assertThat(sent.raw()).startsWith("{\"realtime_input\"");
    assertThat(sent.text()).isEqualTo("hello");

    List<LiveServerMessage> turn = c.inbox().untilTurnComplete();
    LiveServerMessage first = turn.stream().filter(SdkConversationTest::hasAudio).findFirst().get();
    assertThat(partCount(first)).isEqualTo(2);
    assertThat(first.serverContent().get().outputTranscription().get().text())
        .contains("You said: hello");
    assertThat(turn)
        .anyMatch(m -> m.serverContent().flatMap(s -> s.generationComplete()).orElse(false));
    assertThat(turn.get(turn.size() - 1).usageMetadata()).isPresent();
    assertThat(SdkInbox.handle(c.inbox().take())).isNotBlank();
    c.session().close().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void answersAnAudioTurnEndedBySilenceWithOnePartPerMessageOn25() throws Exception {
    FakeLiveServer server = live.server();
    server.script(s -> s.onAudio().reply(r -> r.inputTranscript("hello there").say("Hello!")));
    SdkInbox.Connected c = SdkInbox.connect(server.sdkClient(), MODEL_25, richConfig());

    byte[] speech = Pcm.speechLike(Duration.ofMillis(300), 16_000);
    byte[] silence = Pcm.silence(Duration.ofMillis(100), 16_000);
    c.session().sendRealtimeInput(audio(speech)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    for (int i = 0; i < 4; i++) {
      c.session().sendRealtimeInput(audio(silence)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    List<LiveServerMessage> turn = c.inbox().untilTurnComplete();
    assertThat(turn)
        .anyMatch(m -> m.serverContent().flatMap(s -> s.inputTranscription()).isPresent());
    assertThat(turn).filteredOn(SdkConversationTest::hasAudio).isNotEmpty();
    assertThat(turn).allMatch(m -> partCount(m) <= 1);
    assertThat(turn)
        .noneMatch(m -> hasAudio(m) && m.serverContent().get().outputTranscription().isPresent());
    // The turn can end before the last silence chunk is recorded: wait for it.
    assertThat(server.recorder().awaitOfKind(MessageKind.REALTIME_AUDIO, 5, WAIT)).hasSize(5);
    assertThat(server.sessions().get(0).history())
        .contains(new HistoryEntry("user", "hello there"), new HistoryEntry("model", "Hello!"));
  }

  @Test
  void callsAToolAndContinuesWithTheResponseSentBySendToolResponse() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText(t -> t.contains("book"))
                .callTool("schedule_appointment", Map.of("client_id", "c1"))
                .onToolResponse("schedule_appointment")
                .reply((turn, r) -> r.say("Booked " + turn.toolResult().path("slot").asText())));
    SdkInbox.Connected c = SdkInbox.connect(server.sdkClient(), MODEL_31, richConfig());

    c.session().sendRealtimeInput(text("please book me")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    List<LiveServerMessage> upToCall = c.inbox().until(m -> m.toolCall().isPresent());
    LiveServerMessage call = upToCall.get(upToCall.size() - 1);
    FunctionCall fc = call.toolCall().get().functionCalls().get().get(0);
    assertThat(fc.name()).contains("schedule_appointment");
    assertThat(fc.args().get()).containsEntry("client_id", "c1");
    assertThat(server.sessions().get(0).pendingToolCallIds()).containsExactly(fc.id().get());

    c.session()
        .sendToolResponse(
            LiveSendToolResponseParameters.builder()
                .functionResponses(
                    FunctionResponse.builder()
                        .id(fc.id().get())
                        .name("schedule_appointment")
                        .response(Map.of("slot", "Friday 10:00")))
                .build())
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);

    List<LiveServerMessage> rest = c.inbox().untilTurnComplete();
    assertThat(rest)
        .anyMatch(
            m ->
                m.serverContent()
                    .flatMap(s -> s.outputTranscription())
                    .flatMap(t -> t.text())
                    .orElse("")
                    .equals("Booked Friday 10:00"));
    assertThat(server.recorder().ofKind(MessageKind.TOOL_RESPONSE).get(0).functionResponses())
        .singleElement()
        .satisfies(
            r -> assertThat(r.path("response").path("slot").asText()).isEqualTo("Friday 10:00"));
  }

  @Test
  void interruptsAPacedReplyWhenTheUserSpeaks() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.realTime()
                .onText("tell me a story")
                .reply(r -> r.say("Once upon a time", Duration.ofSeconds(20)))
                .onText("wait")
                .reply(r -> r.say("Sure.")));
    SdkInbox.Connected c = SdkInbox.connect(server.sdkClient(), MODEL_25, richConfig());

    c.session().sendRealtimeInput(text("tell me a story")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    c.inbox().until(SdkConversationTest::hasAudio);
    c.session().sendRealtimeInput(text("wait")).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    List<LiveServerMessage> cut = c.inbox().untilTurnComplete();
    assertThat(cut).anyMatch(m -> m.serverContent().flatMap(s -> s.interrupted()).orElse(false));
    assertThat(cut)
        .noneMatch(m -> m.serverContent().flatMap(s -> s.generationComplete()).orElse(false));
    List<LiveServerMessage> next = c.inbox().untilTurnComplete();
    assertThat(next)
        .anyMatch(
            m ->
                m.serverContent()
                    .flatMap(s -> s.outputTranscription())
                    .flatMap(t -> t.text())
                    .orElse("")
                    .equals("Sure."));
    assertThat(server.sessions().get(0).history())
        .contains(new HistoryEntry("model", "Once upon a time [interrupted]"));
  }

  @Test
  void sendsGoAwayAndClosesWhenTheTimeIsUp() throws Exception {
    FakeLiveServer server = live.server();
    SdkInbox.Connected c = SdkInbox.connect(server.sdkClient(), MODEL_31, richConfig());
    FakeConnection conn = server.awaitConnections(1, WAIT).get(0);

    conn.goAway(Duration.ofMillis(300));

    List<LiveServerMessage> upToGoAway = c.inbox().until(m -> m.goAway().isPresent());
    LiveServerMessage goAway = upToGoAway.get(upToGoAway.size() - 1);
    assertThat(goAway.goAway().get().timeLeft()).contains(Duration.ofMillis(300));
    assertThat(conn.awaitClosed(Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void resumesTheConversationOnASecondConnectionWithTheHandle() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText("what did I say?")
                .reply((turn, r) -> r.say("You said " + turn.history().get(0).text())));
    SdkInbox.Connected first = SdkInbox.connect(server.sdkClient(), MODEL_31, richConfig());
    first
        .session()
        .sendRealtimeInput(text("my name is Ada"))
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    first.inbox().untilTurnComplete();
    String handle = SdkInbox.handle(first.inbox().untilHandle().stream().reduce((a, b) -> b).get());
    first.session().close().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(server.connections().get(0).awaitClosed(WAIT)).isTrue();

    SdkInbox.Connected second = SdkInbox.connect(server.sdkClient(), MODEL_31, richConfig(handle));
    second
        .session()
        .sendRealtimeInput(text("what did I say?"))
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    List<LiveServerMessage> turn = second.inbox().untilTurnComplete();

    assertThat(second.session().setupComplete().sessionId())
        .isEqualTo(first.session().setupComplete().sessionId());
    assertThat(turn)
        .anyMatch(
            m ->
                m.serverContent()
                    .flatMap(s -> s.outputTranscription())
                    .flatMap(t -> t.text())
                    .orElse("")
                    .equals("You said my name is Ada"));
    assertThat(server.sessions()).hasSize(1);
    assertThat(server.sessions().get(0).connections()).hasSize(2);
    assertThat(server.recorder().setups().get(1).at("/sessionResumption/handle").asText())
        .isEqualTo(handle);
  }
}
