package dev.geminilive.internal;

import static dev.geminilive.internal.ServerMessageReader.field;
import static dev.geminilive.internal.ServerMessageReader.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.CodeExecutionResult;
import dev.geminilive.ExecutableCode;
import dev.geminilive.GroundingMetadata;
import dev.geminilive.InteractionStatus;
import dev.geminilive.UrlContextMetadata;
import dev.geminilive.VadSignal;
import dev.geminilive.VoiceActivity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Turns the service's smaller objects (grounding, URL context, code parts, voice activity, enum
 * names) into the listener's value types, for {@link ServerMessageReader}. Both key spellings are
 * read, as there; values this version does not know become the types' "unspecified" constant or
 * null (the message still reaches {@code onRawMessage} whole), never an error.
 *
 * <p>Stateless.
 */
final class ServerValues {
  private ServerValues() {}

  /**
   * {@code interactionStatus}: any case; unknown names are {@link InteractionStatus#UNSPECIFIED}.
   */
  static InteractionStatus interactionStatus(JsonNode node) {
    String name = node.asText("").trim().toUpperCase(Locale.ROOT);
    for (InteractionStatus s : InteractionStatus.values()) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    return InteractionStatus.UNSPECIFIED;
  }

  /** {@code voiceActivity}, or null when its type is absent or unknown. */
  static @Nullable VoiceActivity voiceActivity(JsonNode activity) {
    // The SDK's type names the field voiceActivityType; the Python reference and PROTOCOL.md §4.7
    // show "type". Both are read.
    String type = text(activity, "voiceActivityType", "voice_activity_type");
    if (type.isEmpty()) {
      type = activity.path("type").asText("");
    }
    VoiceActivity.Type t =
        switch (type.trim().toUpperCase(Locale.ROOT)) {
          case "ACTIVITY_START" -> VoiceActivity.Type.ACTIVITY_START;
          case "ACTIVITY_END" -> VoiceActivity.Type.ACTIVITY_END;
          default -> null;
        };
    if (t == null) {
      return null;
    }
    JsonNode offset = field(activity, "audioOffset", "audio_offset");
    Duration at = offset == null ? null : Durations.parse(offset.asText(""));
    return new VoiceActivity(t, at);
  }

  /** {@code voiceActivityDetectionSignal}, or null when its type is absent or unknown. */
  static @Nullable VadSignal vadSignal(JsonNode signal) {
    return switch (text(signal, "vadSignalType", "vad_signal_type").toUpperCase(Locale.ROOT)) {
      case "VAD_SIGNAL_TYPE_SOS" -> VadSignal.START_OF_SPEECH;
      case "VAD_SIGNAL_TYPE_EOS" -> VadSignal.END_OF_SPEECH;
      default -> null;
    };
  }

  /** A part's {@code executableCode}. */
  static ExecutableCode executableCode(JsonNode code) {
    return new ExecutableCode(
        text(code, "language", "language"), text(code, "code", "code"), optionalText(code, "id"));
  }

  /** A part's {@code codeExecutionResult}. */
  static CodeExecutionResult codeExecutionResult(JsonNode result) {
    CodeExecutionResult.Outcome outcome =
        switch (text(result, "outcome", "outcome").toUpperCase(Locale.ROOT)) {
          case "OUTCOME_OK" -> CodeExecutionResult.Outcome.OK;
          case "OUTCOME_FAILED" -> CodeExecutionResult.Outcome.FAILED;
          case "OUTCOME_DEADLINE_EXCEEDED" -> CodeExecutionResult.Outcome.DEADLINE_EXCEEDED;
          default -> CodeExecutionResult.Outcome.UNSPECIFIED;
        };
    return new CodeExecutionResult(
        outcome, text(result, "output", "output"), optionalText(result, "id"));
  }

  /**
   * {@code groundingMetadata}: queries, web sources and the entry point typed, the rest as JSON.
   */
  static GroundingMetadata grounding(JsonNode grounding) {
    List<String> queries = new ArrayList<>();
    JsonNode q = field(grounding, "webSearchQueries", "web_search_queries");
    if (q != null) {
      q.forEach(v -> queries.add(v.asText()));
    }
    List<GroundingMetadata.Source> sources = new ArrayList<>();
    JsonNode chunks = field(grounding, "groundingChunks", "grounding_chunks");
    if (chunks != null) {
      for (JsonNode chunk : chunks) {
        JsonNode web = chunk.get("web");
        if (web != null && web.hasNonNull("uri")) {
          sources.add(
              new GroundingMetadata.Source(web.get("uri").asText(), text(web, "title", "title")));
        }
      }
    }
    JsonNode entry = field(grounding, "searchEntryPoint", "search_entry_point");
    String html = entry == null ? null : optionalText(entry, "renderedContent", "rendered_content");
    return new GroundingMetadata(queries, sources, html, grounding.deepCopy());
  }

  /** {@code urlContextMetadata}. */
  static UrlContextMetadata urlContext(JsonNode urlContext) {
    List<UrlContextMetadata.Url> urls = new ArrayList<>();
    JsonNode list = field(urlContext, "urlMetadata", "url_metadata");
    if (list != null) {
      for (JsonNode u : list) {
        urls.add(
            new UrlContextMetadata.Url(
                text(u, "retrievedUrl", "retrieved_url"),
                text(u, "urlRetrievalStatus", "url_retrieval_status")));
      }
    }
    return new UrlContextMetadata(urls);
  }

  private static @Nullable String optionalText(JsonNode node, String key) {
    return optionalText(node, key, key);
  }

  private static @Nullable String optionalText(JsonNode node, String camel, String snake) {
    JsonNode v = field(node, camel, snake);
    return v == null ? null : v.asText();
  }
}
