package dev.geminilive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.geminilive.instruction.InstructionCheck;
import dev.geminilive.instruction.SystemInstruction;
import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolBehavior;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LiveSessionBuilderTest {
  private static final String SECRET = "test-secret-key-that-must-never-leak-0123";

  private static LiveSessionBuilder builder() {
    return ResilientLiveSession.builder().apiKey(SECRET);
  }

  @Test
  void aKeyOrTokenThatCannotBeSentIsRefusedWithAMessageThatDoesNotShowIt() {
    String key = "test-key-BUILDER-SECRET-0123456789abcdef";
    assertThatThrownBy(() -> new LiveSessionBuilder().apiKey(key + "\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("apiKey has a line feed (U+000A) at its end")
        .hasMessageContaining("strip()")
        .hasMessageNotContaining(key.substring(0, 10))
        .hasMessageNotContaining(key.substring(key.length() - 10));
    assertThatThrownBy(() -> new LiveSessionBuilder().apiKey("test key" + key))
        .hasMessageContaining("a space (U+0020) at position 5 of");
    assertThatThrownBy(() -> new LiveSessionBuilder().apiKey("\u00a0" + key))
        .hasMessageContaining("a non-ASCII character (U+00A0) at its start");
    assertThatThrownBy(() -> new LiveSessionBuilder().ephemeralToken("auth_tokens/abc\r"))
        .hasMessageContaining("token has a carriage return (U+000D) at its end")
        .hasMessageNotContaining("auth_tokens/abc");
    assertThatThrownBy(() -> LiveAuth.apiKey(key + "\u0000"))
        .hasMessageContaining("a control character (U+0000)");
  }

  @Test
  void defaultsToThe31ModelWithAudioCompressionAndResumption() {
    SessionSpec spec = builder().build();
    assertThat(spec.model()).isEqualTo("gemini-3.1-flash-live-preview");
    assertThat(spec.responseModality()).isEqualTo(ResponseModality.AUDIO);
    assertThat(spec.compression()).isEqualTo(ContextCompression.defaults());
    assertThat(spec.sessionResumption()).isTrue();
    assertThat(spec.inputTranscription()).isTrue();
    assertThat(spec.outputTranscription()).isTrue();
    assertThat(spec.reconnectPolicy()).isEqualTo(ReconnectPolicy.defaults());
  }

  @Test
  void buildsEqualSpecsFromEqualSettingsAndDerivesVariants() {
    LiveListener listener = new LiveListener() {};
    SessionSpec a = builder().voice("Kore").temperature(0.6).listener(listener).build();
    SessionSpec b = builder().voice("Kore").temperature(0.6).listener(listener).build();
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    SessionSpec c = a.toBuilder().voice("Puck").build();
    assertThat(c.voice()).isEqualTo("Puck");
    assertThat(c.temperature()).isEqualTo(0.6f);
    assertThat(c).isNotEqualTo(a);
  }

  @Test
  void rejectsTextResponsesOnAudioOnlyModels() {
    assertThatThrownBy(() -> builder().responseModality(ResponseModality.TEXT).build())
        .isInstanceOfSatisfying(
            LiveConfigException.class, e -> assertThat(e.field()).isEqualTo("responseModality"))
        .hasMessageContaining("gemini-3.1-flash-live-preview")
        .hasMessageContaining("output transcription");
    assertThatThrownBy(
            () ->
                builder()
                    .model(ModelProfile.GEMINI_2_5_FLASH_NATIVE_AUDIO)
                    .responseModality(ResponseModality.TEXT)
                    .build())
        .isInstanceOf(LiveConfigException.class);
  }

  @Test
  void rejectsAThinkingBudgetOn31AndAThinkingLevelOn25() {
    assertThatThrownBy(() -> builder().thinkingBudget(1024).build())
        .isInstanceOfSatisfying(
            LiveConfigException.class, e -> assertThat(e.field()).isEqualTo("thinkingBudget"))
        .hasMessageContaining("thinkingLevel");
    assertThatThrownBy(
            () ->
                builder()
                    .model(ModelProfile.GEMINI_2_5_FLASH_NATIVE_AUDIO)
                    .thinkingLevel(ThinkingLevel.LOW)
                    .build())
        .isInstanceOfSatisfying(
            LiveConfigException.class, e -> assertThat(e.field()).isEqualTo("thinkingLevel"))
        .hasMessageContaining("thinkingBudget");
    assertThat(
            builder()
                .model(ModelProfile.GEMINI_2_5_FLASH_NATIVE_AUDIO)
                .thinkingBudget(0)
                .build()
                .thinkingBudget())
        .isZero();
  }

  @Test
  void rejectsAffectiveDialogAndProactiveAudioOn31() {
    assertThatThrownBy(() -> builder().affectiveDialog(true).build())
        .isInstanceOfSatisfying(
            LiveConfigException.class, e -> assertThat(e.field()).isEqualTo("affectiveDialog"));
    assertThatThrownBy(() -> builder().proactiveAudio(true).build())
        .isInstanceOfSatisfying(
            LiveConfigException.class, e -> assertThat(e.field()).isEqualTo("proactiveAudio"));
    SessionSpec ok =
        builder()
            .model(ModelProfile.GEMINI_2_5_FLASH_NATIVE_AUDIO)
            .affectiveDialog(true)
            .proactiveAudio(true)
            .build();
    assertThat(ok.affectiveDialog()).isTrue();
  }

  static class AsyncTools {
    @LiveTool(description = "Looks something up slowly.", behavior = ToolBehavior.NON_BLOCKING)
    public String lookup(String query) {
      return query;
    }
  }

  @Test
  void rejectsNonBlockingToolsWhereCallsAreSynchronous() {
    assertThatThrownBy(() -> builder().tools(new AsyncTools()).build())
        .isInstanceOfSatisfying(
            LiveConfigException.class, e -> assertThat(e.field()).isEqualTo("tools"))
        .hasMessageContaining("lookup")
        .hasMessageContaining("NON_BLOCKING");
    assertThat(
            builder()
                .model(ModelProfile.GEMINI_2_5_FLASH_NATIVE_AUDIO)
                .tools(new AsyncTools())
                .build()
                .tools()
                .names())
        .containsExactly("lookup");
  }

  @Test
  void rejectsACompressionTriggerAboveTheModelWindow() {
    assertThatThrownBy(() -> builder().contextCompression(200_000, 100_000).build())
        .isInstanceOfSatisfying(
            LiveConfigException.class, e -> assertThat(e.field()).isEqualTo("contextCompression"))
        .hasMessageContaining("131072");
    assertThatThrownBy(() -> builder().contextCompression(1000, 2000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("below triggerTokens");
  }

  @Test
  void rejectsTransparentResumptionOnTheGeminiApi() {
    assertThatThrownBy(() -> builder().transparentResumption(true).build())
        .isInstanceOfSatisfying(
            LiveConfigException.class,
            e -> assertThat(e.field()).isEqualTo("transparentResumption"))
        .hasMessageContaining("Vertex AI");
  }

  @Test
  void rejectsReconnectingWithoutResumption() {
    assertThatThrownBy(() -> builder().sessionResumption(false).build())
        .isInstanceOfSatisfying(
            LiveConfigException.class, e -> assertThat(e.field()).isEqualTo("sessionResumption"));
    assertThat(
            builder()
                .sessionResumption(false)
                .reconnectPolicy(ReconnectPolicy.none())
                .build()
                .sessionResumption())
        .isFalse();
  }

  @Test
  void rejectsARuleThatNamesAnUndeclaredTool() {
    assertThatThrownBy(
            () ->
                builder()
                    .persona("You are Laura, a career coach.")
                    .rule("Intake: call `create_client_profile` once you have the details.")
                    .build())
        .isInstanceOf(LiveConfigException.class)
        .hasMessageContaining("create_client_profile");
  }

  @Test
  void rendersTheStructuredInstructionWithTheLanguageDirective() {
    SessionSpec spec =
        builder()
            .language("en-US")
            .persona("You are Laura, a career coach from Brooklyn, NY.")
            .rule("Greet the client warmly.")
            .guideline("Keep answers short.")
            .guardrail("Never reinforce negativity.")
            .build();
    assertThat(spec.systemInstruction())
        .startsWith("**PERSONA:**")
        .contains("**CONVERSATIONAL RULES:**\n1. Greet the client warmly.")
        .contains("**GENERAL GUIDELINES:**")
        .contains("**GUARDRAILS:**")
        .contains("RESPOND IN ENGLISH. YOU MUST RESPOND UNMISTAKABLY IN ENGLISH.");
    assertThat(spec.languageCode()).isEqualTo("en-US");
  }

  @Test
  void aSpecRebuiltFromItsBuilderIsEqualWithoutDoublingTheLanguageDirective() {
    SessionSpec raw = builder().systemInstruction("Be terse.").language("en-US").build();
    assertThat(raw.toBuilder().build()).isEqualTo(raw);
    assertThat(raw.systemInstruction())
        .isEqualTo("Be terse.\n\nRESPOND IN ENGLISH. YOU MUST RESPOND UNMISTAKABLY IN ENGLISH.");
    SessionSpec structured =
        builder().persona("You are Ada, a booking assistant.").language("de-DE").build();
    assertThat(structured.toBuilder().build()).isEqualTo(structured);
    assertThat(structured.systemInstruction()).containsOnlyOnce("RESPOND IN GERMAN.");
  }

  static class LookupTools {
    @LiveTool(description = "Looks a word up.")
    public String lookup(String word) {
      return word;
    }
  }

  static class BookingTools {
    @LiveTool(name = "book_slot", description = "Books a slot.")
    public String book(String slot) {
      return slot;
    }
  }

  @Test
  void onlyTheBuilderMakesASpecSoEverySpecHasPassedItsChecks() {
    assertThat(SessionSpec.class.getConstructors()).isEmpty();
    assertThat(SessionSpec.class.isRecord()).isFalse();
    assertThat(java.lang.reflect.Modifier.isFinal(SessionSpec.class.getModifiers())).isTrue();
  }

  @Test
  void toBuilderKeepsAStructuredInstructionStructured() {
    SessionSpec spec =
        builder()
            .persona("You are Ada, a booking assistant.")
            .rule("Greet the caller.")
            .language("de-DE")
            .build();
    SessionSpec derived = spec.toBuilder().rule("Then ask for the date.").build();
    assertThat(derived.structuredInstruction()).isPresent();
    assertThat(derived.structuredInstruction().get().rules())
        .extracting(SystemInstruction.Rule::text)
        .containsExactly("Greet the caller.", "Then ask for the date.");
    assertThat(derived.systemInstruction())
        .startsWith("**PERSONA:**\nYou are Ada, a booking assistant.")
        .containsOnlyOnce("RESPOND IN GERMAN.");
    assertThat(spec.structuredInstruction().get().rules()).hasSize(1);
    SessionSpec given =
        builder()
            .systemInstruction(SystemInstruction.builder().persona("You are Ada.").build())
            .build();
    assertThat(given.toBuilder().build().structuredInstruction())
        .isEqualTo(given.structuredInstruction());
    assertThat(builder().systemInstruction("Be terse.").build().structuredInstruction()).isEmpty();
  }

  @Test
  void toBuilderKeepsTheToolsAndAddsNewOnes() {
    SessionSpec spec =
        builder()
            .tools(new LookupTools())
            .ignoreInstructionChecks(InstructionCheck.values())
            .build();
    assertThat(spec.toBuilder().build()).isEqualTo(spec);
    assertThat(spec.toBuilder().tools(new BookingTools()).build().tools().names())
        .containsExactly("lookup", "book_slot");
  }

  @Test
  void toBuilderRunsTheChecksAgainOnTheVariant() {
    SessionSpec spec =
        builder()
            .persona("You are Ada.")
            .rule("Call `lookup` for every word.")
            .tools(new LookupTools())
            .build();
    assertThatThrownBy(() -> spec.toBuilder().rule("Then call `book_slot`.").build())
        .isInstanceOfSatisfying(
            LiveConfigException.class, e -> assertThat(e.field()).isEqualTo("systemInstruction"))
        .hasMessageContaining("book_slot");
    assertThat(
            spec.toBuilder()
                .rule("Then call `book_slot`.")
                .tools(new BookingTools())
                .build()
                .tools()
                .names())
        .containsExactly("lookup", "book_slot");
    assertThatThrownBy(() -> spec.toBuilder().responseModality(ResponseModality.TEXT).build())
        .isInstanceOf(LiveConfigException.class);
  }

  @Test
  void toBuilderKeepsAProfileGivenForAKnownModel() {
    ModelProfile known = ModelProfile.of(ModelProfile.GEMINI_3_1_FLASH_LIVE);
    ModelProfile widened =
        new ModelProfile(
            known.model(),
            true,
            known.responseModalities(),
            known.thinking(),
            true,
            known.affectiveDialog(),
            known.proactiveAudio(),
            known.clientContentAnytime(),
            known.contextWindowTokens());
    SessionSpec spec = builder().modelProfile(widened).build();
    assertThat(spec.toBuilder().build().profile()).isEqualTo(widened);
  }

  @Test
  void credentialsMadeElsewhereAreUsedAsGiven() {
    LiveAuth auth = LiveAuth.vertexAi("my-project", "us-central1", null);
    SessionSpec spec = new LiveSessionBuilder().auth(auth).transparentResumption(true).build();
    assertThat(spec.auth()).isEqualTo(auth);
    assertThat(spec.toBuilder().build().auth()).isEqualTo(auth);
  }

  @Test
  void aWholeInstructionAndPartsOfOneAreNotSetTogether() {
    assertThatThrownBy(
            () -> builder().systemInstruction("Be terse.").persona("You are Ada.").build())
        .isInstanceOfSatisfying(
            LiveConfigException.class, e -> assertThat(e.field()).isEqualTo("systemInstruction"))
        .hasMessageContaining("would be dropped");
    SystemInstruction whole = SystemInstruction.builder().persona("You are Ada.").build();
    assertThatThrownBy(() -> builder().rule("Greet the caller.").systemInstruction(whole).build())
        .isInstanceOf(LiveConfigException.class);
  }

  @Test
  void checksEachSettingAsItIsSet() {
    assertThatThrownBy(() -> builder().temperature(3)).hasMessageContaining("temperature");
    assertThatThrownBy(() -> builder().topP(0)).hasMessageContaining("topP");
    assertThatThrownBy(() -> builder().baseUrl("ftp://x")).hasMessageContaining("baseUrl");
    assertThatThrownBy(() -> builder().connectTimeout(Duration.ZERO))
        .hasMessageContaining("timeout");
    assertThatThrownBy(() -> builder().language("")).hasMessageContaining("languageTag");
    assertThatThrownBy(() -> builder().apiKey(" ")).hasMessageContaining("apiKey");
    assertThatThrownBy(() -> builder().voice(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void warnsButPassesAnUnknownModelThrough() {
    SessionSpec spec = builder().model("models/gemini-9-live-experimental").build();
    assertThat(spec.model()).isEqualTo("gemini-9-live-experimental");
    assertThat(spec.profile().known()).isFalse();
  }

  @Test
  void neverShowsTheApiKeyOrTokenInToStringOrMessages() {
    SessionSpec spec = builder().build();
    assertThat(spec.toString()).doesNotContain(SECRET).contains("redacted");
    assertThat(spec.auth().toString()).doesNotContain(SECRET);
    SessionSpec token =
        ResilientLiveSession.builder().ephemeralToken("auth_tokens/secret-token-xyz").build();
    assertThat(token.toString()).doesNotContain("secret-token-xyz");
    assertThat(token.apiVersion()).isNull();
    assertThatThrownBy(() -> builder().responseModality(ResponseModality.TEXT).build())
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void reconnectPolicyComputesCappedExponentialDelaysWithJitter() {
    ReconnectPolicy p =
        ReconnectPolicy.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1))
            .withJitter(0.5);
    assertThat(p.baseDelay(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(p.baseDelay(3)).isEqualTo(Duration.ofMillis(400));
    assertThat(p.baseDelay(10)).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.delay(2, () -> 0.0)).isEqualTo(Duration.ofMillis(100));
    assertThat(p.delay(2, () -> 0.5)).isEqualTo(Duration.ofMillis(200));
    assertThat(p.delay(2, () -> 0.999)).isBetween(Duration.ofMillis(299), Duration.ofMillis(300));
    assertThat(ReconnectPolicy.none().enabled()).isFalse();
    assertThatThrownBy(() -> p.baseDelay(0)).hasMessageContaining("from 1");
  }
}
