package dev.geminilive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.genai.types.Behavior;
import com.google.genai.types.HarmBlockMethod;
import com.google.genai.types.HarmBlockThreshold;
import com.google.genai.types.HarmCategory;
import com.google.genai.types.SafetySetting;
import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolBehavior;
import dev.geminilive.tools.ToolScheduling;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The rules of the 3.8 generation's profiles at {@code build()}, one test each. */
class Gemini38RulesTest {
  private static LiveSessionBuilder live38() {
    return ResilientLiveSession.builder().apiKey("k-123");
  }

  private static LiveSessionBuilder extended() {
    return live38().model(ModelProfile.GEMINI_3_8_LIVE_EXTENDED_THINKING);
  }

  private static LiveSessionBuilder vertex38() {
    return ResilientLiveSession.builder()
        .auth(LiveAuth.vertexAi("my-project", "us-central1", null));
  }

  private static void refused(ThrowingCallable build, String field, String... says) {
    Consumer<LiveConfigException> check =
        e -> {
          assertThat(e.field()).isEqualTo(field);
          for (String s : says) {
            assertThat(e.getMessage()).contains(s);
          }
        };
    assertThatThrownBy(build).isInstanceOfSatisfying(LiveConfigException.class, check);
  }

  static class Lookup {
    @LiveTool(description = "Looks an order up.")
    public String lookup(String order) {
      return order;
    }
  }

  static class Payment {
    @LiveTool(description = "Takes a payment.", behavior = ToolBehavior.BLOCKING)
    public String pay(String amount) {
      return amount;
    }
  }

  static class Notify {
    @LiveTool(description = "Sends a note.", scheduling = ToolScheduling.SILENT)
    public String note(String text) {
      return text;
    }
  }

  @Test
  void theDefaultModelIs38LiveFromTheTable() {
    SessionSpec spec = live38().build();
    assertThat(spec.model()).isEqualTo(ModelProfile.GEMINI_3_8_LIVE);
    assertThat(spec.profile().known()).isTrue();
    assertThat(spec.profile().contextUpdates()).isTrue();
    assertThat(spec.profile().defaultTurnCoverage())
        .isEqualTo(TurnCoverage.TURN_INCLUDES_AUDIO_ACTIVITY_AND_ALL_VIDEO);
  }

  @Test
  void live38TakesNoThinkingLevel() {
    refused(
        () -> live38().thinkingLevel(ThinkingLevel.LOW).build(),
        "thinkingLevel",
        "remove thinkingLevel(...)",
        ModelProfile.GEMINI_3_8_LIVE_EXTENDED_THINKING);
  }

  @Test
  void live38TakesNoThinkingBudget() {
    refused(() -> live38().thinkingBudget(0).build(), "thinkingBudget", "remove thinkingBudget");
  }

  @Test
  void live38TakesNoIncludeThoughts() {
    refused(
        () -> live38().includeThoughts(true).build(), "includeThoughts", "remove includeThoughts");
  }

  @Test
  void extendedThinkingTakesLowMediumOrHigh() {
    assertThat(extended().thinkingLevel(ThinkingLevel.HIGH).build().thinkingLevel())
        .isEqualTo(ThinkingLevel.HIGH);
    refused(
        () -> extended().thinkingLevel(ThinkingLevel.MINIMAL).build(),
        "thinkingLevel",
        "MINIMAL",
        "ThinkingLevel.LOW|MEDIUM|HIGH");
  }

  @Test
  void extendedThinkingTakesNoThinkingBudget() {
    refused(
        () -> extended().thinkingBudget(1024).build(),
        "thinkingBudget",
        "thinkingLevel(ThinkingLevel.LOW|MEDIUM|HIGH)");
  }

  @Test
  void proactiveAudioIsAlwaysOnSoFalseIsRefused() {
    refused(
        () -> live38().proactiveAudio(false).build(),
        "proactiveAudio",
        "always has proactive audio on",
        "Remove proactiveAudio(false)");
    assertThat(live38().proactiveAudio(true).build().proactiveAudio()).isTrue();
  }

  @Test
  void affectiveDialogIsRemovedFromTheGeminiApi() {
    refused(
        () -> live38().affectiveDialog(true).build(),
        "affectiveDialog",
        "on the Gemini API",
        "Remove affectiveDialog(true)");
    refused(
        () -> live38().affectiveDialog(false).build(),
        "affectiveDialog",
        "Remove affectiveDialog(false)");
  }

  @Test
  void affectiveDialogFollowsTheEndpointOnVertexAi() {
    assertThat(vertex38().affectiveDialog(false).build().affectiveDialog()).isFalse();
    assertThat(vertex38().affectiveDialog(true).build().affectiveDialog()).isTrue();
  }

  @Test
  void live38AnswersWithAudioOnly() {
    refused(
        () -> live38().responseModality(ResponseModality.TEXT).build(),
        "responseModality",
        "output transcription");
  }

  @Test
  void toolsAreNonBlockingByDefaultOn38AndDeclaredSo() {
    SessionSpec spec = live38().tools(new Lookup()).build();
    assertThat(spec.tools().definitions().get(0).behavior()).isEqualTo(ToolBehavior.NON_BLOCKING);
    assertThat(spec.tools().declarations().get(0).behavior())
        .hasValue(new Behavior(Behavior.Known.NON_BLOCKING));
    // 3.1's setup is unchanged: no behavior is sent.
    SessionSpec on31 =
        live38().model(ModelProfile.GEMINI_3_1_FLASH_LIVE).tools(new Lookup()).build();
    assertThat(on31.tools().declarations().get(0).behavior()).isEmpty();
  }

  @Test
  void blockingIsOptInPerToolOn38() {
    SessionSpec spec = live38().tools(new Lookup(), new Payment()).build();
    assertThat(spec.tools().find("pay").orElseThrow().behavior()).isEqualTo(ToolBehavior.BLOCKING);
    assertThat(spec.tools().find("lookup").orElseThrow().behavior())
        .isEqualTo(ToolBehavior.NON_BLOCKING);
  }

  @Test
  void extendedThinkingRefusesBlockingTools() {
    refused(
        () -> extended().tools(new Payment()).build(),
        "tools",
        "'pay' is BLOCKING",
        "asynchronously only",
        "Remove behavior = BLOCKING");
  }

  @Test
  void schedulingOnAToolWithoutBehaviorIsFineOn38AndRefusedWhereToolsBlockByDefault() {
    assertThat(live38().tools(new Notify()).build().tools().definitions().get(0).scheduling())
        .isEqualTo(ToolScheduling.SILENT);
    refused(
        () ->
            live38().model(ModelProfile.GEMINI_2_5_FLASH_NATIVE_AUDIO).tools(new Notify()).build(),
        "tools",
        "'note' sets scheduling SILENT",
        "Declare it behavior = NON_BLOCKING");
  }

  @Test
  void labelsAreRefusedOnVertexAi() {
    refused(
        () -> vertex38().labels(java.util.Map.of("team", "coaching")).build(),
        "labels",
        "Gemini API only");
    assertThat(live38().labels(java.util.Map.of("team", "coaching")).build().labels())
        .containsEntry("team", "coaching");
    assertThatThrownBy(() -> live38().labels(java.util.Map.of("Team", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label keys");
  }

  @Test
  void explicitVadSignalIsRefusedOnTheGeminiApi() {
    refused(
        () -> live38().explicitVadSignal(true).build(),
        "explicitVadSignal",
        "Vertex AI only",
        "vertexAi(...)");
    assertThat(vertex38().explicitVadSignal(true).build().explicitVadSignal()).isTrue();
  }

  @Test
  void aSafetySettingsMethodIsRefusedOnTheGeminiApi() {
    SafetySetting bySeverity =
        SafetySetting.builder()
            .category(HarmCategory.Known.HARM_CATEGORY_HARASSMENT)
            .threshold(HarmBlockThreshold.Known.BLOCK_LOW_AND_ABOVE)
            .method(HarmBlockMethod.Known.SEVERITY)
            .build();
    refused(
        () -> live38().safetySettings(bySeverity).build(), "safetySettings", "Remove method(...)");
    assertThat(vertex38().safetySettings(bySeverity).build().safetySettings())
        .containsExactly(bySeverity);
    assertThatThrownBy(() -> live38().safetySettings(SafetySetting.builder().build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a category and a threshold");
  }

  @Test
  void theProfilesOf31And25AreUnchanged() {
    ModelProfile p31 = ModelProfile.of(ModelProfile.GEMINI_3_1_FLASH_LIVE);
    assertThat(p31.thinking()).isEqualTo(ModelProfile.Thinking.LEVEL);
    assertThat(p31.asyncFunctionCalling()).isFalse();
    assertThat(p31.clientContentAnytime()).isFalse();
    assertThat(p31.affectiveDialog()).isEqualTo(ModelProfile.Support.UNSUPPORTED);
    assertThat(p31.proactiveAudio()).isEqualTo(ModelProfile.Support.UNSUPPORTED);
    assertThat(p31.defaultToolBehavior()).isEqualTo(ToolBehavior.UNSPECIFIED);
    ModelProfile p25 = ModelProfile.of(ModelProfile.GEMINI_2_5_FLASH_NATIVE_AUDIO);
    assertThat(p25.thinking()).isEqualTo(ModelProfile.Thinking.BUDGET);
    assertThat(p25.asyncFunctionCalling()).isTrue();
    assertThat(p25.affectiveDialog()).isEqualTo(ModelProfile.Support.OPTIONAL);
    assertThat(p25.proactiveAudio()).isEqualTo(ModelProfile.Support.OPTIONAL);
    assertThat(p25.defaultToolBehavior()).isEqualTo(ToolBehavior.UNSPECIFIED);
  }
}
