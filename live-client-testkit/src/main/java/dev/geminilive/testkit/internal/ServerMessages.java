package dev.geminilive.testkit.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminilive.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * Builds the server messages of the fields the 3.8 models send, for {@code Reply}'s steps and the
 * engine: each as the service writes it (camelCase, enum names as strings, durations as {@code
 * "1.2s"}). Stateless.
 */
public final class ServerMessages {
  private ServerMessages() {}

  public static ObjectNode interimInputTranscript(String text) {
    ObjectNode msg = Json.object();
    ObjectNode v = msg.putObject("serverContent").putObject("interimInputTranscription");
    v.put("text", text);
    return msg;
  }

  public static ObjectNode transcriptFinished(String field) {
    ObjectNode msg = Json.object();
    ObjectNode v = msg.putObject("serverContent").putObject(field);
    v.put("finished", true);
    return msg;
  }

  public static ObjectNode part(String kind, Map<String, String> fields) {
    ObjectNode msg = Json.object();
    ObjectNode part =
        msg.putObject("serverContent").putObject("modelTurn").putArray("parts").addObject();
    ObjectNode value = part.putObject(kind);
    fields.forEach(value::put);
    return msg;
  }

  public static ObjectNode webSearch(String query, String uri, String title) {
    ObjectNode msg = Json.object();
    ObjectNode v = msg.putObject("serverContent").putObject("groundingMetadata");
    v.putArray("webSearchQueries").add(query);
    ObjectNode web = v.putArray("groundingChunks").addObject().putObject("web");
    web.put("uri", uri);
    web.put("title", title);
    v.putObject("searchEntryPoint")
        .put("renderedContent", "<div class=\"search\">" + query + "</div>");
    return msg;
  }

  public static ObjectNode urlContext(String url, String status) {
    ObjectNode msg = Json.object();
    ObjectNode v = msg.putObject("serverContent").putObject("urlContextMetadata");
    ObjectNode entry = v.putArray("urlMetadata").addObject();
    entry.put("retrievedUrl", url);
    entry.put("urlRetrievalStatus", status);
    return msg;
  }

  public static ObjectNode interactionStatus(String status) {
    ObjectNode msg = Json.object();
    msg.putObject("serverContent").put("interactionStatus", status);
    return msg;
  }

  public static ObjectNode voiceActivity(String type) {
    ObjectNode msg = Json.object();
    msg.putObject("voiceActivity").put("voiceActivityType", type);
    return msg;
  }

  public static ObjectNode vadSignal(String type) {
    ObjectNode msg = Json.object();
    msg.putObject("voiceActivityDetectionSignal").put("vadSignalType", type);
    return msg;
  }

  /** {@code usageMetadata} with every count and breakdown of {@code usage}. */
  public static ObjectNode usage(Usage usage) {
    ObjectNode msg = Json.object();
    ObjectNode u = msg.putObject("usageMetadata");
    u.put("promptTokenCount", usage.promptTokenCount());
    u.put("responseTokenCount", usage.responseTokenCount());
    u.put("totalTokenCount", usage.totalTokenCount());
    u.put("thoughtsTokenCount", usage.thoughtsTokenCount());
    u.put("toolUsePromptTokenCount", usage.toolUsePromptTokenCount());
    u.put("cachedContentTokenCount", usage.cachedContentTokenCount());
    details(u, "promptTokensDetails", usage.promptTokensByModality());
    details(u, "responseTokensDetails", usage.responseTokensByModality());
    details(u, "cacheTokensDetails", usage.cacheTokensByModality());
    details(u, "toolUsePromptTokensDetails", usage.toolUsePromptTokensByModality());
    return msg;
  }

  /** {@code goAway} with {@code timeLeft}, as the service writes a duration ({@code "1.2s"}). */
  static ObjectNode goAway(Duration timeLeft) {
    ObjectNode msg = Json.object();
    msg.putObject("goAway").put("timeLeft", protoDuration(timeLeft));
    return msg;
  }

  static String protoDuration(Duration d) {
    BigDecimal seconds = BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9));
    return seconds.stripTrailingZeros().toPlainString() + "s";
  }

  private static void details(ObjectNode u, String field, Map<String, Integer> byModality) {
    if (byModality.isEmpty()) {
      return;
    }
    ArrayNode list = u.putArray(field);
    byModality.forEach((m, n) -> list.addObject().put("modality", m).put("tokenCount", n));
  }
}
