package dev.geminilive.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.AudioChunk;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ServerMessageReaderTest {
  /** Writes each call down as a line. */
  static final class Lines implements ServerMessageReader.Callback {
    final List<String> lines = new ArrayList<>();

    @Override
    public void onUsage(Usage u) {
      lines.add(
          "usage "
              + u.promptTokenCount()
              + "/"
              + u.responseTokenCount()
              + " "
              + u.responseTokensByModality());
    }

    @Override
    public void onInputTranscript(String text) {
      lines.add("input " + text);
    }

    @Override
    public void onModelTurn(boolean audio) {
      lines.add("modelTurn audio=" + audio);
    }

    @Override
    public void onAudio(AudioChunk chunk) {
      lines.add("audio " + chunk.pcm().length + " bytes at " + chunk.sampleRateHz());
    }

    @Override
    public void onText(String text) {
      lines.add("text " + text);
    }

    @Override
    public void onThought(String text) {
      lines.add("thought " + text);
    }

    @Override
    public void onOutputTranscript(String text) {
      lines.add("output " + text);
    }

    @Override
    public void onGenerationComplete() {
      lines.add("generationComplete");
    }

    @Override
    public void onInterrupted() {
      lines.add("interrupted");
    }

    @Override
    public void onTurnComplete(@Nullable String reason) {
      lines.add("turnComplete " + reason);
    }

    @Override
    public void onToolCall(List<ToolCallEvent> calls) {
      calls.forEach(c -> lines.add("toolCall " + c.id() + " " + c.name() + " " + c.args()));
    }

    @Override
    public void onToolCallCancellation(List<String> ids) {
      lines.add("cancel " + ids);
    }

    @Override
    public void onResumptionUpdate(@Nullable String newHandle, @Nullable Long lastConsumedIndex) {
      lines.add("handle " + newHandle + " index " + lastConsumedIndex);
    }

    @Override
    public void onEndOfSpeech() {
      lines.add("endOfSpeech");
    }

    @Override
    public void onGoAway(Duration timeLeft) {
      lines.add("goAway " + timeLeft);
    }
  }

  private static List<String> read(String json) throws Exception {
    Lines lines = new Lines();
    JsonNode message = Frames.readTree(json);
    ServerMessageReader.read(message, lines);
    return lines.lines;
  }

  @Test
  void everyPieceOfOneMessageIsReportedInTheDocumentedOrder() throws Exception {
    String json =
        "{\"goAway\":{\"timeLeft\":\"9.5s\"},"
            + "\"sessionResumptionUpdate\":{\"newHandle\":\"h1\",\"resumable\":true},"
            + "\"toolCallCancellation\":{\"ids\":[\"c0\"]},"
            + "\"toolCall\":{\"functionCalls\":[{\"id\":\"c1\",\"name\":\"find\",\"args\":{\"q\":1}}]},"
            + "\"serverContent\":{\"turnComplete\":true,\"turnCompleteReason\":\"NEED_MORE_INPUT\","
            + "\"interrupted\":true,\"generationComplete\":true,"
            + "\"outputTranscription\":{\"text\":\"said\"},"
            + "\"modelTurn\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"audio/pcm;rate=24000\","
            + "\"data\":\"AAABAA==\"}},{\"text\":\"hm\",\"thought\":true},{\"text\":\"hi\"}]},"
            + "\"inputTranscription\":{\"text\":\"heard\"}},"
            + "\"usageMetadata\":{\"promptTokenCount\":3,\"responseTokenCount\":4,"
            + "\"responseTokensDetails\":[{\"modality\":\"AUDIO\",\"tokenCount\":4}]},"
            + "\"voiceActivity\":{\"type\":\"ACTIVITY_END\"}}";

    assertThat(read(json))
        .containsExactly(
            "usage 3/4 {AUDIO=4}",
            "input heard",
            "modelTurn audio=true",
            "audio 4 bytes at 24000",
            "thought hm",
            "text hi",
            "output said",
            "generationComplete",
            "interrupted",
            "turnComplete NEED_MORE_INPUT",
            "toolCall c1 find {\"q\":1}",
            "cancel [c0]",
            "handle h1 index null",
            "endOfSpeech",
            "goAway PT9.5S");
  }

  @Test
  void snakeCaseKeysReadTheSameAsCamelCase() throws Exception {
    String camel =
        "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"mimeType\":"
            + "\"audio/pcm;rate=16000\",\"data\":\"AAA=\"}}]},\"turnComplete\":true,"
            + "\"outputTranscription\":{\"text\":\"x\"}},\"toolCall\":{\"functionCalls\":"
            + "[{\"id\":\"a\",\"name\":\"n\"}]},\"sessionResumptionUpdate\":{\"newHandle\":\"h\","
            + "\"resumable\":true,\"lastConsumedClientMessageIndex\":\"7\"},"
            + "\"goAway\":{\"timeLeft\":\"2s\"},\"usageMetadata\":{\"promptTokenCount\":5}}";
    String snake =
        "{\"server_content\":{\"model_turn\":{\"parts\":[{\"inline_data\":{\"mime_type\":"
            + "\"audio/pcm;rate=16000\",\"data\":\"AAA=\"}}]},\"turn_complete\":true,"
            + "\"output_transcription\":{\"text\":\"x\"}},\"tool_call\":{\"function_calls\":"
            + "[{\"id\":\"a\",\"name\":\"n\"}]},\"session_resumption_update\":{\"new_handle\":\"h\","
            + "\"resumable\":true,\"last_consumed_client_message_index\":\"7\"},"
            + "\"go_away\":{\"time_left\":\"2s\"},\"usage_metadata\":{\"prompt_token_count\":5}}";
    assertThat(read(snake)).isEqualTo(read(camel)).contains("handle h index 7", "goAway PT2S");
  }

  @Test
  void aHandleCountsOnlyWhenResumableAndNotEmpty() throws Exception {
    assertThat(read("{\"sessionResumptionUpdate\":{\"resumable\":false}}"))
        .containsExactly("handle null index null");
    assertThat(read("{\"sessionResumptionUpdate\":{\"newHandle\":\"\",\"resumable\":true}}"))
        .containsExactly("handle null index null");
    assertThat(read("{\"sessionResumptionUpdate\":{\"newHandle\":\"h\",\"resumable\":\"true\"}}"))
        .containsExactly("handle h index null");
  }

  @Test
  void vertexUsageNamesAndRepeatedModalitiesAreReadAsOne() throws Exception {
    assertThat(
            read(
                "{\"usageMetadata\":{\"promptTokenCount\":1,\"candidatesTokenCount\":6,"
                    + "\"candidatesTokensDetails\":[{\"modality\":\"AUDIO\",\"tokenCount\":2},"
                    + "{\"modality\":\"AUDIO\",\"tokenCount\":4}]}}"))
        .containsExactly("usage 1/6 {AUDIO=6}");
  }

  @Test
  void partsThatAreNotAudioTextOrThoughtAreSkipped() throws Exception {
    assertThat(
            read(
                "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"mimeType\":"
                    + "\"image/png\",\"data\":\"AA==\"}},{\"executableCode\":{\"code\":\"1\"}}]}}}"))
        .containsExactly("modelTurn audio=true");
    assertThat(read("{\"serverContent\":{\"modelTurn\":{\"parts\":[]}}}")).isEmpty();
    assertThat(read("{\"someFutureSignal\":{}}")).isEmpty();
  }

  @Test
  void theSpeechSignalsOfBothKindsMeanEndOfSpeech() throws Exception {
    assertThat(
            read("{\"voiceActivityDetectionSignal\":{\"vadSignalType\":\"VAD_SIGNAL_TYPE_EOS\"}}"))
        .containsExactly("endOfSpeech");
    assertThat(read("{\"voiceActivity\":{\"type\":\"ACTIVITY_START\"}}")).isEmpty();
  }

  @Test
  void aPieceOfTheWrongShapeThrows() {
    assertThatThrownBy(
            () ->
                read(
                    "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"mimeType\":"
                        + "\"audio/pcm;rate=24000\",\"data\":\"!!notbase64\"}}]}}}"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
