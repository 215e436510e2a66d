package dev.geminilive.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.AudioChunk;
import dev.geminilive.CodeExecutionResult;
import dev.geminilive.ExecutableCode;
import dev.geminilive.GroundingMetadata;
import dev.geminilive.InteractionStatus;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.TurnComplete;
import dev.geminilive.TurnCompleteReason;
import dev.geminilive.UrlContextMetadata;
import dev.geminilive.Usage;
import dev.geminilive.VadSignal;
import dev.geminilive.VoiceActivity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ServerMessageReaderTest {
  /** Writes each call down as a line. */
  static final class Lines implements ServerMessageReader.Callback {
    final List<String> lines = new ArrayList<>();
    final List<TurnComplete> ends = new ArrayList<>();

    @Override
    public void onUsage(Usage u) {
      lines.add(
          "usage "
              + u.promptTokenCount()
              + "/"
              + u.responseTokenCount()
              + " "
              + u.responseTokensByModality()
              + (u.cacheTokensByModality().isEmpty() ? "" : " cache " + u.cacheTokensByModality())
              + (u.toolUsePromptTokensByModality().isEmpty()
                  ? ""
                  : " toolUse " + u.toolUsePromptTokensByModality())
              + (u.thoughtsTokenCount() == 0 ? "" : " thoughts " + u.thoughtsTokenCount()));
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
    public void onTurnComplete(TurnComplete turn) {
      ends.add(turn);
      lines.add(
          "turnComplete "
              + turn.reason()
              + (turn.waitingForInput() ? " waitingForInput" : "")
              + (turn.interactionStatus() == null ? "" : " " + turn.interactionStatus()));
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

    @Override
    public void onInteractionStatus(InteractionStatus status) {
      lines.add("status " + status);
    }

    @Override
    public void onInterimInputTranscript(String text) {
      lines.add("interim " + text);
    }

    @Override
    public void onInputTranscriptFinished() {
      lines.add("input finished");
    }

    @Override
    public void onOutputTranscriptFinished() {
      lines.add("output finished");
    }

    @Override
    public void onExecutableCode(ExecutableCode code) {
      lines.add("code " + code.language() + " " + code.code() + " id=" + code.id());
    }

    @Override
    public void onCodeExecutionResult(CodeExecutionResult result) {
      lines.add("result " + result.outcome() + " " + result.output() + " id=" + result.id());
    }

    @Override
    public void onGroundingMetadata(GroundingMetadata g) {
      lines.add(
          "grounding "
              + g.webSearchQueries()
              + " "
              + g.sources()
              + " html="
              + g.searchEntryPointHtml());
    }

    @Override
    public void onUrlContextMetadata(UrlContextMetadata u) {
      lines.add("urls " + u.urls());
    }

    @Override
    public void onVoiceActivity(VoiceActivity activity) {
      lines.add("voiceActivity " + activity.type() + " at " + activity.audioOffset());
    }

    @Override
    public void onVadSignal(VadSignal signal) {
      lines.add("vad " + signal);
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
            "voiceActivity ACTIVITY_END at null",
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
  void partsOfKindsThisReaderDoesNotKnowAreSkipped() throws Exception {
    assertThat(
            read(
                "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"mimeType\":"
                    + "\"image/png\",\"data\":\"AA==\"}},{\"fileData\":{\"fileUri\":\"x\"}}]}}}"))
        .containsExactly("modelTurn audio=true");
    assertThat(read("{\"serverContent\":{\"modelTurn\":{\"parts\":[]}}}")).isEmpty();
    assertThat(read("{\"someFutureSignal\":{}}")).isEmpty();
  }

  @Test
  void theSpeechSignalsOfBothKindsMeanEndOfSpeech() throws Exception {
    assertThat(
            read("{\"voiceActivityDetectionSignal\":{\"vadSignalType\":\"VAD_SIGNAL_TYPE_EOS\"}}"))
        .containsExactly("vad END_OF_SPEECH", "endOfSpeech");
    assertThat(read("{\"voiceActivity\":{\"type\":\"ACTIVITY_START\"}}"))
        .containsExactly("voiceActivity ACTIVITY_START at null");
  }

  @Test
  void everyThreePointEightFieldOfOneMessageIsReportedInTheDocumentedOrder() throws Exception {
    String json =
        "{\"voiceActivityDetectionSignal\":{\"vadSignalType\":\"VAD_SIGNAL_TYPE_SOS\"},"
            + "\"voiceActivity\":{\"voiceActivityType\":\"ACTIVITY_START\",\"audioOffset\":\"1.2s\"},"
            + "\"serverContent\":{\"interactionStatus\":\"IN_PROGRESS\",\"waitingForInput\":true,"
            + "\"turnCompleteReason\":\"GENERATED_AUDIO_SAFETY\",\"turnComplete\":true,"
            + "\"urlContextMetadata\":{\"urlMetadata\":[{\"retrievedUrl\":\"https://a.example\","
            + "\"urlRetrievalStatus\":\"URL_RETRIEVAL_STATUS_SUCCESS\"}]},"
            + "\"groundingMetadata\":{\"webSearchQueries\":[\"opening hours\"],"
            + "\"groundingChunks\":[{\"web\":{\"uri\":\"https://b.example\",\"title\":\"B\"}},"
            + "{\"retrievedContext\":{}}],\"searchEntryPoint\":{\"renderedContent\":\"<div/>\"}},"
            + "\"outputTranscription\":{\"text\":\"ok\",\"finished\":true},"
            + "\"modelTurn\":{\"parts\":[{\"executableCode\":{\"language\":\"PYTHON\","
            + "\"code\":\"print(1)\",\"id\":\"x1\"}},{\"codeExecutionResult\":"
            + "{\"outcome\":\"OUTCOME_OK\",\"output\":\"1\",\"id\":\"x1\"}}]},"
            + "\"interimInputTranscription\":{\"text\":\"what ti\"},"
            + "\"inputTranscription\":{\"text\":\"what time\",\"finished\":true}},"
            + "\"usageMetadata\":{\"promptTokenCount\":30,\"responseTokenCount\":4,"
            + "\"thoughtsTokenCount\":7,"
            + "\"cacheTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":20}],"
            + "\"toolUsePromptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":5}]}}";

    assertThat(read(json))
        .containsExactly(
            "usage 30/4 {} cache {TEXT=20} toolUse {TEXT=5} thoughts 7",
            "input what time",
            "input finished",
            "interim what ti",
            "modelTurn audio=false",
            "code PYTHON print(1) id=x1",
            "result OK 1 id=x1",
            "output ok",
            "output finished",
            "grounding [opening hours] [Source[uri=https://b.example, title=B]] html=<div/>",
            "urls [Url[retrievedUrl=https://a.example, status=URL_RETRIEVAL_STATUS_SUCCESS]]",
            "turnComplete GENERATED_AUDIO_SAFETY waitingForInput IN_PROGRESS",
            "status IN_PROGRESS",
            "voiceActivity ACTIVITY_START at PT1.2S",
            "vad START_OF_SPEECH");
  }

  @Test
  void theThreePointEightFieldsReadTheSameInSnakeCase() throws Exception {
    String camel =
        "{\"serverContent\":{\"interactionStatus\":\"IDLE\",\"waitingForInput\":true,"
            + "\"turnComplete\":true,\"turnCompleteReason\":\"MALFORMED_FUNCTION_CALL\","
            + "\"interimInputTranscription\":{\"text\":\"a\"},"
            + "\"urlContextMetadata\":{\"urlMetadata\":[{\"retrievedUrl\":\"u\","
            + "\"urlRetrievalStatus\":\"URL_RETRIEVAL_STATUS_ERROR\"}]},"
            + "\"groundingMetadata\":{\"webSearchQueries\":[\"q\"],"
            + "\"searchEntryPoint\":{\"renderedContent\":\"h\"}},"
            + "\"modelTurn\":{\"parts\":[{\"executableCode\":{\"code\":\"c\"}},"
            + "{\"codeExecutionResult\":{\"outcome\":\"OUTCOME_FAILED\"}}]}},"
            + "\"voiceActivity\":{\"voiceActivityType\":\"ACTIVITY_END\",\"audioOffset\":\"2s\"},"
            + "\"usageMetadata\":{\"cacheTokensDetails\":[{\"modality\":\"AUDIO\",\"tokenCount\":1}],"
            + "\"toolUsePromptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":2}]}}";
    String snake =
        "{\"server_content\":{\"interaction_status\":\"IDLE\",\"waiting_for_input\":true,"
            + "\"turn_complete\":true,\"turn_complete_reason\":\"MALFORMED_FUNCTION_CALL\","
            + "\"interim_input_transcription\":{\"text\":\"a\"},"
            + "\"url_context_metadata\":{\"url_metadata\":[{\"retrieved_url\":\"u\","
            + "\"url_retrieval_status\":\"URL_RETRIEVAL_STATUS_ERROR\"}]},"
            + "\"grounding_metadata\":{\"web_search_queries\":[\"q\"],"
            + "\"search_entry_point\":{\"rendered_content\":\"h\"}},"
            + "\"model_turn\":{\"parts\":[{\"executable_code\":{\"code\":\"c\"}},"
            + "{\"code_execution_result\":{\"outcome\":\"OUTCOME_FAILED\"}}]}},"
            + "\"voice_activity\":{\"voice_activity_type\":\"ACTIVITY_END\",\"audio_offset\":\"2s\"},"
            + "\"usage_metadata\":{\"cache_tokens_details\":[{\"modality\":\"AUDIO\",\"token_count\":1}],"
            + "\"tool_use_prompt_tokens_details\":[{\"modality\":\"TEXT\",\"token_count\":2}]}}";
    assertThat(read(snake))
        .isEqualTo(read(camel))
        .contains(
            "turnComplete MALFORMED_FUNCTION_CALL waitingForInput IDLE",
            "status IDLE",
            "code  c id=null",
            "result FAILED  id=null",
            "voiceActivity ACTIVITY_END at PT2S",
            "endOfSpeech",
            "usage 0/0 {} cache {AUDIO=1} toolUse {TEXT=2}");
  }

  @Test
  void valuesThisVersionDoesNotKnowAreReadAsUnspecifiedNotAsErrors() throws Exception {
    assertThat(
            read(
                "{\"serverContent\":{\"turnComplete\":true,\"turnCompleteReason\":\"NEW_REASON\","
                    + "\"interactionStatus\":\"SOMETHING_NEW\","
                    + "\"modelTurn\":{\"parts\":[{\"codeExecutionResult\":{\"outcome\":\"X\"}}]}},"
                    + "\"voiceActivity\":{\"voiceActivityType\":\"NEW\"},"
                    + "\"voiceActivityDetectionSignal\":{\"vadSignalType\":\"NEW\"}}"))
        .containsExactly(
            "modelTurn audio=false",
            "result UNSPECIFIED  id=null",
            "turnComplete OTHER UNSPECIFIED",
            "status UNSPECIFIED");
  }

  @Test
  void aTurnReasonKeepsItsWireNameAndSaysWhetherAFilterBlockedIt() throws Exception {
    Lines capture = new Lines();
    for (String reason :
        List.of("PROHIBITED_INPUT_CONTENT", "need_more_input", "BRAND_NEW_REASON")) {
      ServerMessageReader.read(
          Frames.readTree(
              "{\"serverContent\":{\"turnComplete\":true,\"turnCompleteReason\":\""
                  + reason
                  + "\"}}"),
          capture);
    }
    ServerMessageReader.read(
        Frames.readTree("{\"serverContent\":{\"turnComplete\":true}}"), capture);
    List<TurnComplete> ends = capture.ends;
    assertThat(ends)
        .extracting(t -> t.reason(), t -> t.reasonName())
        .containsExactly(
            tuple(TurnCompleteReason.PROHIBITED_INPUT_CONTENT, "PROHIBITED_INPUT_CONTENT"),
            tuple(TurnCompleteReason.NEED_MORE_INPUT, "need_more_input"),
            tuple(TurnCompleteReason.OTHER, "BRAND_NEW_REASON"),
            tuple(null, null));
    assertThat(ends.get(0).reason().isBlocked()).isTrue();
    assertThat(ends.get(1).reason().isBlocked()).isFalse();
    assertThat(ends.get(3)).isEqualTo(TurnComplete.NORMAL);
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
