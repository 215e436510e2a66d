package dev.geminilive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.genai.types.HarmBlockThreshold;
import com.google.genai.types.HarmCategory;
import com.google.genai.types.SafetySetting;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The 3.8 generation's setup settings, as the builder takes them and the setup sends them. */
class NewSetupSettingsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode setup(SessionSpec spec) throws Exception {
    return JSON.readTree(spec.toLiveConnectConfig(null).toJson());
  }

  @Test
  void transcriptionSettingsReachBothTranscriptionConfigs() throws Exception {
    SessionSpec spec =
        ResilientLiveSession.builder()
            .apiKey("k-123")
            .inputTranscription(
                Transcription.defaults()
                    .customVocabulary("Laura", "SKU-4471")
                    .languageCodes("en-US", "es-US")
                    .mode(TranscriptionMode.VERBATIM))
            .outputTranscription(Transcription.defaults().mode(TranscriptionMode.SMART))
            .build();
    JsonNode input = setup(spec).path("inputAudioTranscription");
    assertThat(input.path("customVocabulary").toString()).isEqualTo("[\"Laura\",\"SKU-4471\"]");
    assertThat(input.path("languageCodes").toString()).isEqualTo("[\"en-US\",\"es-US\"]");
    assertThat(input.path("mode").asText()).isEqualTo("VERBATIM");
    assertThat(setup(spec).path("outputAudioTranscription").path("mode").asText())
        .isEqualTo("SMART");
    assertThat(spec.toBuilder().build()).isEqualTo(spec);
  }

  @Test
  void transcriptionOnWithoutSettingsSendsAnEmptyConfigAsBefore() throws Exception {
    JsonNode setup = setup(ResilientLiveSession.builder().apiKey("k-123").build());
    assertThat(setup.path("inputAudioTranscription").isObject()).isTrue();
    assertThat(setup.path("inputAudioTranscription").size()).isZero();
  }

  @Test
  void transcriptionSettingsCheckTheirArguments() {
    assertThatThrownBy(() -> Transcription.defaults().languageCodes("1234"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BCP-47");
    assertThatThrownBy(() -> Transcription.defaults().customVocabulary("ok", " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
  }

  @Test
  void mediaResolutionSafetySettingsAndLabelsAreSent() throws Exception {
    SafetySetting harassment =
        SafetySetting.builder()
            .category(HarmCategory.Known.HARM_CATEGORY_HARASSMENT)
            .threshold(HarmBlockThreshold.Known.BLOCK_LOW_AND_ABOVE)
            .build();
    SessionSpec spec =
        ResilientLiveSession.builder()
            .apiKey("k-123")
            .mediaResolution(MediaResolution.LOW)
            .safetySettings(harassment)
            .labels(Map.of("team", "coaching"))
            .build();
    JsonNode setup = setup(spec);
    assertThat(setup.path("mediaResolution").asText()).isEqualTo("MEDIA_RESOLUTION_LOW");
    assertThat(setup.path("safetySettings").get(0).path("category").asText())
        .isEqualTo("HARM_CATEGORY_HARASSMENT");
    assertThat(setup.path("safetySettings").get(0).path("threshold").asText())
        .isEqualTo("BLOCK_LOW_AND_ABOVE");
    assertThat(setup.path("labels").path("team").asText()).isEqualTo("coaching");
  }

  @Test
  void explicitVadSignalIsSentOnVertexAi() throws Exception {
    SessionSpec spec =
        ResilientLiveSession.builder()
            .auth(LiveAuth.vertexAi("my-project", "us-central1", null))
            .explicitVadSignal(true)
            .build();
    assertThat(setup(spec).path("explicitVadSignal").asBoolean()).isTrue();
  }

  @Test
  void settingsNotGivenAreNotSent() throws Exception {
    JsonNode setup = setup(ResilientLiveSession.builder().apiKey("k-123").build());
    assertThat(setup.has("mediaResolution")).isFalse();
    assertThat(setup.has("safetySettings")).isFalse();
    assertThat(setup.has("labels")).isFalse();
    assertThat(setup.has("explicitVadSignal")).isFalse();
    assertThat(setup.has("thinkingConfig")).isFalse();
  }
}
