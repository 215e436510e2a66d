package dev.geminilive.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.geminilive.AudioChunk;
import dev.geminilive.CodeExecutionResult;
import dev.geminilive.ExecutableCode;
import dev.geminilive.GroundingMetadata;
import dev.geminilive.InteractionStatus;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.TurnComplete;
import dev.geminilive.UrlContextMetadata;
import dev.geminilive.Usage;
import dev.geminilive.VadSignal;
import dev.geminilive.VoiceActivity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads one server message (a parsed JSON object) and reports what it holds to a {@link Callback},
 * one typed call per piece, in a fixed order. This is the one place that knows the wire format of
 * server messages: camelCase and snake_case keys are both read here (the service accepts and may
 * send either), booleans sent as strings are read as booleans, and the session above never looks at
 * JSON. OkHttp's {@code WebSocketReader} has this shape.
 *
 * <p>The order within one message: usage (the service sends a turn's usage on the frame of its
 * {@code turnComplete}, and a listener totalling usage at the end of a turn must have it by then),
 * then {@code serverContent} (input transcription and its end, the interim input transcription, the
 * model turn's parts in order, output transcription and its end, grounding, URL context, {@code
 * generationComplete}, {@code interrupted}, {@code turnComplete} with its reason, {@code
 * waitingForInput} and status, then the interaction status on its own), then {@code toolCall},
 * {@code toolCallCancellation}, the resumption update (which describes the state after what came
 * before it), {@code voiceActivity}, {@code voiceActivityDetectionSignal}, the end-of-speech signal
 * and last {@code goAway}. Keys this reader does not know are skipped (they reach {@code
 * onRawMessage} with the whole message); values it does not know become an "unspecified" constant.
 *
 * <p>Stateless; not tied to a thread. A piece of the wrong shape throws, and the caller reports the
 * whole message as unreadable.
 */
final class ServerMessageReader {
  private ServerMessageReader() {}

  /** Receives the pieces of one message. Called on the reading thread, in the order above. */
  interface Callback {
    /** {@code usageMetadata}. */
    void onUsage(Usage usage);

    /** {@code serverContent.inputTranscription.text}: the service's transcript of the user. */
    void onInputTranscript(String text);

    /** A {@code modelTurn} with parts begins; {@code audio} if its first part is audio. */
    void onModelTurn(boolean audio);

    /** An audio part of the model turn. */
    void onAudio(AudioChunk chunk);

    /** A text part that is not a thought. */
    void onText(String text);

    /** A text part marked as a thought. */
    void onThought(String text);

    /** {@code serverContent.outputTranscription.text}: the transcript of the model's speech. */
    void onOutputTranscript(String text);

    /** {@code serverContent.generationComplete}. */
    void onGenerationComplete();

    /** {@code serverContent.interrupted}. */
    void onInterrupted();

    /**
     * {@code serverContent.turnComplete}, with {@code turnCompleteReason}, {@code waitingForInput}
     * and {@code interactionStatus} as sent on the same message.
     */
    void onTurnComplete(TurnComplete turn);

    /**
     * {@code serverContent.interactionStatus}, after {@link #onTurnComplete} when both are sent.
     */
    default void onInteractionStatus(InteractionStatus status) {}

    /** {@code serverContent.interimInputTranscription.text}: provisional text of the user. */
    default void onInterimInputTranscript(String text) {}

    /** {@code serverContent.inputTranscription.finished}. */
    default void onInputTranscriptFinished() {}

    /** {@code serverContent.outputTranscription.finished}. */
    default void onOutputTranscriptFinished() {}

    /** An {@code executableCode} part of the model turn. */
    default void onExecutableCode(ExecutableCode code) {}

    /** A {@code codeExecutionResult} part of the model turn. */
    default void onCodeExecutionResult(CodeExecutionResult result) {}

    /** {@code serverContent.groundingMetadata}. */
    default void onGroundingMetadata(GroundingMetadata grounding) {}

    /** {@code serverContent.urlContextMetadata}. */
    default void onUrlContextMetadata(UrlContextMetadata urlContext) {}

    /** Top-level {@code voiceActivity} with a known type. */
    default void onVoiceActivity(VoiceActivity activity) {}

    /** Top-level {@code voiceActivityDetectionSignal} with a known type. */
    default void onVadSignal(VadSignal signal) {}

    /** {@code toolCall.functionCalls}, in order. */
    void onToolCall(List<ToolCallEvent> calls);

    /** {@code toolCallCancellation.ids}. */
    void onToolCallCancellation(List<String> ids);

    /**
     * {@code sessionResumptionUpdate}.
     *
     * @param newHandle the handle when the update is resumable and carries one, else null
     * @param lastConsumedIndex {@code lastConsumedClientMessageIndex} when sent (transparent
     *     resumption), else null
     */
    void onResumptionUpdate(@Nullable String newHandle, @Nullable Long lastConsumedIndex);

    /** The service reported that the user stopped speaking (the VAD signals, where sent). */
    void onEndOfSpeech();

    /** {@code goAway.timeLeft}. */
    void onGoAway(Duration timeLeft);
  }

  /** Reads {@code message} (a JSON object) into {@code callback}. */
  static void read(JsonNode message, Callback callback) {
    JsonNode usage = field(message, "usageMetadata", "usage_metadata");
    if (usage != null) {
      callback.onUsage(usage(usage));
    }
    JsonNode content = field(message, "serverContent", "server_content");
    if (content != null) {
      serverContent(content, callback);
    }
    JsonNode toolCall = field(message, "toolCall", "tool_call");
    if (toolCall != null) {
      callback.onToolCall(calls(toolCall));
    }
    JsonNode cancellation = field(message, "toolCallCancellation", "tool_call_cancellation");
    if (cancellation != null) {
      List<String> ids = new ArrayList<>();
      cancellation.path("ids").forEach(id -> ids.add(id.asText()));
      callback.onToolCallCancellation(List.copyOf(ids));
    }
    JsonNode update = field(message, "sessionResumptionUpdate", "session_resumption_update");
    if (update != null) {
      resumptionUpdate(update, callback);
    }
    JsonNode activity = field(message, "voiceActivity", "voice_activity");
    VoiceActivity voiceActivity = activity == null ? null : ServerValues.voiceActivity(activity);
    if (voiceActivity != null) {
      callback.onVoiceActivity(voiceActivity);
    }
    JsonNode signal =
        field(message, "voiceActivityDetectionSignal", "voice_activity_detection_signal");
    VadSignal vadSignal = signal == null ? null : ServerValues.vadSignal(signal);
    if (vadSignal != null) {
      callback.onVadSignal(vadSignal);
    }
    if ((voiceActivity != null && voiceActivity.type() == VoiceActivity.Type.ACTIVITY_END)
        || vadSignal == VadSignal.END_OF_SPEECH) {
      callback.onEndOfSpeech();
    }
    JsonNode goAway = field(message, "goAway", "go_away");
    if (goAway != null) {
      callback.onGoAway(Durations.parse(text(goAway, "timeLeft", "time_left")));
    }
  }

  private static void serverContent(JsonNode content, Callback callback) {
    JsonNode input = field(content, "inputTranscription", "input_transcription");
    if (input != null && input.hasNonNull("text")) {
      callback.onInputTranscript(input.get("text").asText());
    }
    if (input != null && bool(input.get("finished"))) {
      callback.onInputTranscriptFinished();
    }
    JsonNode interim = field(content, "interimInputTranscription", "interim_input_transcription");
    if (interim != null && interim.hasNonNull("text")) {
      callback.onInterimInputTranscript(interim.get("text").asText());
    }
    JsonNode turn = field(content, "modelTurn", "model_turn");
    if (turn != null) {
      JsonNode parts = turn.path("parts");
      if (parts.size() > 0) {
        callback.onModelTurn(field(parts.get(0), "inlineData", "inline_data") != null);
      }
      for (JsonNode part : parts) {
        JsonNode inline = field(part, "inlineData", "inline_data");
        if (inline != null) {
          String mime = text(inline, "mimeType", "mime_type");
          if (mime.startsWith("audio/")) {
            byte[] pcm = Base64.getDecoder().decode(inline.path("data").asText(""));
            callback.onAudio(new AudioChunk(pcm, Durations.sampleRate(mime)));
          }
        }
        if (part.hasNonNull("text")) {
          String text = part.get("text").asText();
          if (part.path("thought").asBoolean(false)) {
            callback.onThought(text);
          } else {
            callback.onText(text);
          }
        }
        JsonNode code = field(part, "executableCode", "executable_code");
        if (code != null) {
          callback.onExecutableCode(ServerValues.executableCode(code));
        }
        JsonNode result = field(part, "codeExecutionResult", "code_execution_result");
        if (result != null) {
          callback.onCodeExecutionResult(ServerValues.codeExecutionResult(result));
        }
      }
    }
    JsonNode output = field(content, "outputTranscription", "output_transcription");
    if (output != null && output.hasNonNull("text")) {
      callback.onOutputTranscript(output.get("text").asText());
    }
    if (output != null && bool(output.get("finished"))) {
      callback.onOutputTranscriptFinished();
    }
    JsonNode grounding = field(content, "groundingMetadata", "grounding_metadata");
    if (grounding != null) {
      callback.onGroundingMetadata(ServerValues.grounding(grounding));
    }
    JsonNode urlContext = field(content, "urlContextMetadata", "url_context_metadata");
    if (urlContext != null) {
      callback.onUrlContextMetadata(ServerValues.urlContext(urlContext));
    }
    if (bool(field(content, "generationComplete", "generation_complete"))) {
      callback.onGenerationComplete();
    }
    if (bool(content.get("interrupted"))) {
      callback.onInterrupted();
    }
    JsonNode statusNode = field(content, "interactionStatus", "interaction_status");
    InteractionStatus status =
        statusNode == null ? null : ServerValues.interactionStatus(statusNode);
    if (bool(field(content, "turnComplete", "turn_complete"))) {
      JsonNode reason = field(content, "turnCompleteReason", "turn_complete_reason");
      callback.onTurnComplete(
          TurnComplete.of(
              reason == null ? null : reason.asText(),
              bool(field(content, "waitingForInput", "waiting_for_input")),
              status));
    }
    if (status != null) {
      callback.onInteractionStatus(status);
    }
  }

  private static List<ToolCallEvent> calls(JsonNode toolCall) {
    List<ToolCallEvent> calls = new ArrayList<>();
    JsonNode functionCalls = field(toolCall, "functionCalls", "function_calls");
    for (JsonNode call : functionCalls == null ? List.<JsonNode>of() : functionCalls) {
      calls.add(
          new ToolCallEvent(
              call.path("id").asText(),
              call.path("name").asText(),
              call.has("args") ? call.get("args") : JsonNodeFactory.instance.objectNode()));
    }
    return List.copyOf(calls);
  }

  private static void resumptionUpdate(JsonNode update, Callback callback) {
    String handle = text(update, "newHandle", "new_handle");
    boolean resumable = bool(update.get("resumable")) && !handle.isEmpty();
    JsonNode consumed =
        field(update, "lastConsumedClientMessageIndex", "last_consumed_client_message_index");
    Long index = null;
    if (consumed != null && consumed.asText().matches("-?\\d+")) {
      index = Long.parseLong(consumed.asText());
    }
    callback.onResumptionUpdate(resumable ? handle : null, index);
  }

  /** {@code usageMetadata} (Vertex AI names responses "candidates"). */
  static Usage usage(JsonNode u) {
    return new Usage(
        number(u, "promptTokenCount", "prompt_token_count"),
        has(u, "responseTokenCount", "response_token_count")
            ? number(u, "responseTokenCount", "response_token_count")
            : number(u, "candidatesTokenCount", "candidates_token_count"),
        number(u, "totalTokenCount", "total_token_count"),
        number(u, "thoughtsTokenCount", "thoughts_token_count"),
        number(u, "toolUsePromptTokenCount", "tool_use_prompt_token_count"),
        number(u, "cachedContentTokenCount", "cached_content_token_count"),
        byModality(field(u, "promptTokensDetails", "prompt_tokens_details")),
        byModality(
            has(u, "responseTokensDetails", "response_tokens_details")
                ? field(u, "responseTokensDetails", "response_tokens_details")
                : field(u, "candidatesTokensDetails", "candidates_tokens_details")),
        byModality(field(u, "cacheTokensDetails", "cache_tokens_details")),
        byModality(field(u, "toolUsePromptTokensDetails", "tool_use_prompt_tokens_details")));
  }

  /** {@code [{modality, tokenCount}, ...]} as a map; repeated modalities are added up. */
  private static Map<String, Integer> byModality(@Nullable JsonNode details) {
    if (details == null || !details.isArray() || details.isEmpty()) {
      return Map.of();
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (JsonNode d : details) {
      String modality = d.path("modality").asText("MODALITY_UNSPECIFIED");
      counts.merge(modality, number(d, "tokenCount", "token_count"), Integer::sum);
    }
    return counts;
  }

  /** The field under either spelling, or null when absent or JSON null. */
  static @Nullable JsonNode field(JsonNode node, String camel, String snake) {
    JsonNode v = node.get(camel);
    if (v == null || v.isNull()) {
      v = node.get(snake);
    }
    return v == null || v.isNull() ? null : v;
  }

  private static boolean has(JsonNode node, String camel, String snake) {
    return field(node, camel, snake) != null;
  }

  static String text(JsonNode node, String camel, String snake) {
    JsonNode v = field(node, camel, snake);
    return v == null ? "" : v.asText("");
  }

  private static int number(JsonNode node, String camel, String snake) {
    JsonNode v = field(node, camel, snake);
    return v == null ? 0 : v.asInt();
  }

  /** A JSON boolean, or the string {@code "true"} (the SDK's fixtures send both). */
  static boolean bool(@Nullable JsonNode node) {
    return node != null && (node.asBoolean(false) || "true".equals(node.asText()));
  }
}
