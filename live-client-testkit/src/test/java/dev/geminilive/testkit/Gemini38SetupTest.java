package dev.geminilive.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.MediaResolution;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.Transcription;
import dev.geminilive.TranscriptionMode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The 3.8 generation's setup settings as the service receives them in the setup frame. */
class Gemini38SetupTest {
  @RegisterExtension final FakeLiveServerExtension live = new FakeLiveServerExtension();

  @Test
  void theNewSettingsReachTheSetupFrameOnTheGeminiApi() {
    try (ResilientLiveSession session =
        live.server()
            .sessionBuilder()
            .inputTranscription(
                Transcription.defaults()
                    .customVocabulary("Laura", "SKU-4471")
                    .languageCodes("en-US")
                    .mode(TranscriptionMode.VERBATIM))
            .mediaResolution(MediaResolution.LOW)
            .labels(Map.of("team", "coaching"))
            .connect()) {
      JsonNode setup = live.server().recorder().setups().get(0);
      assertThat(setup.path("model").asText()).isEqualTo("models/gemini-3.8-live");
      assertThat(setup.at("/inputAudioTranscription/customVocabulary/1").asText())
          .isEqualTo("SKU-4471");
      assertThat(setup.at("/inputAudioTranscription/languageCodes/0").asText()).isEqualTo("en-US");
      assertThat(setup.at("/inputAudioTranscription/mode").asText()).isEqualTo("VERBATIM");
      assertThat(setup.at("/generationConfig/mediaResolution").asText())
          .isEqualTo("MEDIA_RESOLUTION_LOW");
      assertThat(setup.at("/labels/team").asText()).isEqualTo("coaching");
      assertThat(
              setup.has("generationConfig")
                  && setup.at("/generationConfig/thinkingConfig").isMissingNode())
          .isTrue();
    }
  }
}
