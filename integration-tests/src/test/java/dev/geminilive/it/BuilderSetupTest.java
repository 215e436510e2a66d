package dev.geminilive.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.ActivityDetection;
import dev.geminilive.ActivityHandling;
import dev.geminilive.ModelProfile;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.ThinkingLevel;
import dev.geminilive.Turn;
import dev.geminilive.TurnCoverage;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolParam;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every builder option lands in the right field of the setup the service receives. */
class BuilderSetupTest {
  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  static class Tools {
    @LiveTool(
        name = "find_slot",
        description = "Finds a free slot.",
        invocationCondition = "Only after the user named a day.")
    public String findSlot(@ToolParam(description = "The day") String day) {
      return "10:00";
    }
  }

  @Test
  void everyOptionOf31LandsInTheSetup() throws Exception {
    FakeLiveServer server = live.server();
    try (ResilientLiveSession session =
        Fakes.builder(server)
            .model(ModelProfile.GEMINI_3_1_FLASH_LIVE)
            .voice("Peri")
            .language("en-US")
            .temperature(0.6)
            .topP(0.9)
            .topK(40)
            .maxOutputTokens(2048)
            .seed(7)
            .thinkingLevel(ThinkingLevel.LOW)
            .includeThoughts(false)
            .persona("You are Ada, a booking assistant.")
            .rule("When the user names a day, call `find_slot`.")
            .guardrail("Never book without confirmation.")
            .tools(new Tools())
            .activityDetection(
                ActivityDetection.automatic()
                    .withStartSensitivity(ActivityDetection.Sensitivity.LOW)
                    .withEndSensitivity(ActivityDetection.Sensitivity.HIGH)
                    .withPrefixPadding(Duration.ofMillis(40))
                    .withSilenceDuration(Duration.ofMillis(500)))
            .activityHandling(ActivityHandling.START_OF_ACTIVITY_INTERRUPTS)
            .turnCoverage(TurnCoverage.TURN_INCLUDES_ONLY_ACTIVITY)
            .inputTranscription(false)
            .contextCompression(100_000, 60_000)
            .connect()) {
      JsonNode setup = server.recorder().setups().get(0);
      assertThat(setup.path("model").asText()).isEqualTo("models/gemini-3.1-flash-live-preview");
      JsonNode gen = setup.path("generationConfig");
      assertThat(gen.at("/responseModalities/0").asText()).isEqualTo("AUDIO");
      assertThat(gen.path("temperature").floatValue()).isEqualTo(0.6f);
      assertThat(gen.path("topP").floatValue()).isEqualTo(0.9f);
      assertThat(gen.path("topK").floatValue()).isEqualTo(40f);
      assertThat(gen.path("maxOutputTokens").asInt()).isEqualTo(2048);
      assertThat(gen.path("seed").asInt()).isEqualTo(7);
      assertThat(gen.at("/speechConfig/voiceConfig/prebuiltVoiceConfig/voiceName").asText())
          .isEqualTo("Peri");
      assertThat(gen.at("/speechConfig/languageCode").asText()).isEqualTo("en-US");
      assertThat(gen.at("/thinkingConfig/thinkingLevel").asText()).isEqualTo("LOW");
      assertThat(gen.at("/thinkingConfig/includeThoughts").asBoolean(true)).isFalse();
      assertThat(gen.has("thinkingBudget")).isFalse();
      String instruction = setup.at("/systemInstruction/parts/0/text").asText();
      assertThat(instruction)
          .startsWith("**PERSONA:**\nYou are Ada")
          .contains("1. When the user names a day, call `find_slot`.")
          .contains("**GUARDRAILS:**")
          .endsWith("RESPOND IN ENGLISH. YOU MUST RESPOND UNMISTAKABLY IN ENGLISH.");
      JsonNode fn = setup.at("/tools/0/functionDeclarations/0");
      assertThat(fn.path("name").asText()).isEqualTo("find_slot");
      assertThat(fn.path("description").asText())
          .isEqualTo(
              "Finds a free slot. \n**Invocation Condition:** Only after the user named a day.");
      assertThat(fn.at("/parameters/properties/day/type").asText()).isEqualTo("STRING");
      JsonNode vad = setup.at("/realtimeInputConfig/automaticActivityDetection");
      assertThat(vad.path("disabled").asBoolean(true)).isFalse();
      assertThat(vad.path("startOfSpeechSensitivity").asText()).isEqualTo("START_SENSITIVITY_LOW");
      assertThat(vad.path("endOfSpeechSensitivity").asText()).isEqualTo("END_SENSITIVITY_HIGH");
      assertThat(vad.path("prefixPaddingMs").asInt()).isEqualTo(40);
      assertThat(vad.path("silenceDurationMs").asInt()).isEqualTo(500);
      assertThat(setup.at("/realtimeInputConfig/activityHandling").asText())
          .isEqualTo("START_OF_ACTIVITY_INTERRUPTS");
      assertThat(setup.at("/realtimeInputConfig/turnCoverage").asText())
          .isEqualTo("TURN_INCLUDES_ONLY_ACTIVITY");
      assertThat(setup.has("inputAudioTranscription")).isFalse();
      assertThat(setup.has("outputAudioTranscription")).isTrue();
      assertThat(setup.at("/contextWindowCompression/triggerTokens").asLong()).isEqualTo(100_000);
      assertThat(setup.at("/contextWindowCompression/slidingWindow/targetTokens").asLong())
          .isEqualTo(60_000);
      assertThat(setup.path("sessionResumption").isObject()).isTrue();
      assertThat(setup.has("historyConfig")).isFalse();
    }
  }

  @Test
  void everyOptionOf25LandsInTheSetup() throws Exception {
    FakeLiveServer server = live.server();
    try (ResilientLiveSession session =
        Fakes.builder(server)
            .model(ModelProfile.GEMINI_2_5_FLASH_NATIVE_AUDIO)
            .voice("Kore")
            .thinkingBudget(0)
            .affectiveDialog(true)
            .proactiveAudio(true)
            .activityDetection(ActivityDetection.manual())
            .activityHandling(ActivityHandling.NO_INTERRUPTION)
            .outputTranscription(false)
            .systemInstruction("Be terse.")
            .connect()) {
      JsonNode setup = server.recorder().setups().get(0);
      assertThat(setup.path("model").asText())
          .isEqualTo("models/gemini-2.5-flash-native-audio-preview-12-2025");
      assertThat(setup.at("/generationConfig/thinkingConfig/thinkingBudget").asInt()).isZero();
      assertThat(setup.at("/generationConfig/enableAffectiveDialog").asBoolean()).isTrue();
      assertThat(setup.at("/proactivity/proactiveAudio").asBoolean()).isTrue();
      assertThat(setup.at("/realtimeInputConfig/automaticActivityDetection/disabled").asBoolean())
          .isTrue();
      assertThat(setup.at("/realtimeInputConfig/activityHandling").asText())
          .isEqualTo("NO_INTERRUPTION");
      assertThat(setup.has("outputAudioTranscription")).isFalse();
      assertThat(setup.at("/systemInstruction/parts/0/text").asText()).isEqualTo("Be terse.");
    }
  }

  @Test
  void aStartingHandleResumesAndSeededHistoryOn31UsesHistoryConfig() throws Exception {
    FakeLiveServer server = live.server();
    try (ResilientLiveSession session =
        Fakes.builder(server)
            .history(List.of(Turn.user("I'm Ada."), Turn.model("Hi Ada!")))
            .connect()) {
      JsonNode setup = server.recorder().setups().get(0);
      assertThat(setup.at("/historyConfig/initialHistoryInClientContent").asBoolean()).isTrue();
      Await.received(
          server.recorder(),
          "seeded history",
          Duration.ofSeconds(5),
          () -> !server.recorder().ofKind(MessageKind.CLIENT_CONTENT).isEmpty());
      JsonNode content = server.recorder().ofKind(MessageKind.CLIENT_CONTENT).get(0).json();
      assertThat(content.at("/clientContent/turns/0/role").asText()).isEqualTo("user");
      assertThat(content.at("/clientContent/turns/1/role").asText()).isEqualTo("model");
      assertThat(content.at("/clientContent/turnComplete").asBoolean()).isTrue();
    }
  }

  @Test
  void theAgentSpeaksFirstWhenAGreetingIsSet() throws Exception {
    FakeLiveServer server = live.server();
    var events = new dev.geminilive.testkit.RecordingLiveListener();
    try (ResilientLiveSession session =
        Fakes.builder(server)
            .greeting("Greet the user and introduce yourself.")
            .listener(events)
            .connect()) {
      events.awaitTurnComplete();
      assertThat(events.outputTranscript()).isNotEmpty();
      assertThat(server.recorder().ofKind(MessageKind.REALTIME_TEXT).get(0).text())
          .isEqualTo("Greet the user and introduce yourself.");
    }
  }
}
