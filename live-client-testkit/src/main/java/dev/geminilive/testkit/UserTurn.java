package dev.geminilive.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the fake model is answering: a user turn (text, audio or client content) or the tool
 * responses to its own tool call.
 *
 * <p>Passed to {@link Script.When#reply(java.util.function.BiConsumer)} rules and to matchers.
 * Immutable.
 *
 * @param kind what ended the user's turn
 * @param text the text of a text or client-content turn; empty for audio and tool responses
 * @param audio the PCM16 bytes of an audio turn (input sample rate); empty otherwise
 * @param audioDuration length of {@link #audio()}
 * @param toolName the function name for {@link Kind#TOOL_RESPONSE} turns, else null
 * @param functionResponses the {@code functionResponses} of a tool response turn
 * @param history the conversation before this turn, oldest first
 * @param systemInstruction the text of the system instruction in force when the turn ended (after
 *     any {@code contextUpdate}); empty if none
 * @param toolNames the names of the functions declared in the tools in force when the turn ended
 * @since 0.1.0
 */
public record UserTurn(
    Kind kind,
    String text,
    byte[] audio,
    Duration audioDuration,
    @Nullable String toolName,
    List<JsonNode> functionResponses,
    List<HistoryEntry> history,
    String systemInstruction,
    List<String> toolNames) {

  /** What kind of input a {@link UserTurn} is. */
  public enum Kind {
    /** {@code realtimeInput.text}. */
    TEXT,
    /** {@code clientContent} with {@code turnComplete: true}. */
    CLIENT_CONTENT,
    /** Realtime audio ended by silence, {@code audioStreamEnd} or {@code activityEnd}. */
    AUDIO,
    /** The answer to the fake model's tool call. */
    TOOL_RESPONSE
  }

  /**
   * Copies the lists.
   *
   * @param kind what ended the user's turn
   * @param text the text of a text or client-content turn; empty for audio and tool responses
   * @param audio the PCM16 bytes of an audio turn (input sample rate); empty otherwise
   * @param audioDuration length of {@link #audio()}
   * @param toolName the function name for {@link Kind#TOOL_RESPONSE} turns, else null
   * @param functionResponses the {@code functionResponses} of a tool response turn
   * @param history the conversation before this turn, oldest first
   * @param systemInstruction the text of the system instruction in force; empty if none
   * @param toolNames the names of the functions declared in the tools in force
   */
  public UserTurn {
    functionResponses = List.copyOf(functionResponses);
    history = List.copyOf(history);
    toolNames = List.copyOf(toolNames);
  }

  /**
   * A turn without a system instruction or declared tools.
   *
   * @param kind what ended the user's turn
   * @param text the text of a text or client-content turn; empty for audio and tool responses
   * @param audio the PCM16 bytes of an audio turn (input sample rate); empty otherwise
   * @param audioDuration length of {@link #audio()}
   * @param toolName the function name for {@link Kind#TOOL_RESPONSE} turns, else null
   * @param functionResponses the {@code functionResponses} of a tool response turn
   * @param history the conversation before this turn, oldest first
   */
  public UserTurn(
      Kind kind,
      String text,
      byte[] audio,
      Duration audioDuration,
      @Nullable String toolName,
      List<JsonNode> functionResponses,
      List<HistoryEntry> history) {
    this(kind, text, audio, audioDuration, toolName, functionResponses, history, "", List.of());
  }

  /**
   * Returns the {@code response} object of the first function response, or a missing node.
   *
   * @return the tool result, or a missing node
   */
  public JsonNode toolResult() {
    return functionResponses.isEmpty()
        ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
        : functionResponses.get(0).path("response");
  }

  /**
   * The status of the first function response when it is an informative answer in the {@code
   * ToolStatus} shape: a handler's under {@code output} ({@code no_results}...), or the library's
   * own beside its {@code error} text ({@code unknown_tool}, {@code precondition_failed}, and a
   * flow's {@code wrong_stage} for a tool of another stage). A script can branch on it, for
   * instance to check that a later stage's tool was refused early.
   *
   * <pre>{@code
   * script.onToolResponse("schedule_appointment")
   *     .reply((turn, r) -> r.say(turn.toolStatus().orElse("ran")));
   * }</pre>
   *
   * @return the status, or empty when the answer is not a status (a plain result, an error text)
   */
  public java.util.Optional<String> toolStatus() {
    JsonNode result = toolResult();
    for (JsonNode answer : List.of(result.path("output"), result)) {
      if (answer.path("status").isTextual() && answer.path("retryable").isBoolean()) {
        return java.util.Optional.of(answer.path("status").asText());
      }
    }
    return java.util.Optional.empty();
  }
}
