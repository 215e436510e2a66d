package dev.geminilive.testkit.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminilive.TurnComplete;
import dev.geminilive.testkit.HistoryEntry;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The messages that end a fake model turn: {@code serverContent} flags, the {@code turnComplete}
 * with the fields a script's {@code Reply.endWith} asks it to carry, and the estimated {@code
 * usageMetadata}. Stateless.
 */
final class TurnMessages {
  private TurnMessages() {}

  /** {@code {"serverContent": {flag: true}}}. */
  static ObjectNode serverContentFlag(String flag) {
    ObjectNode msg = Json.object();
    msg.putObject("serverContent").put(flag, true);
    return msg;
  }

  /** The message that opens a reply on gemini-3 models: empty content and the usage so far. */
  static ObjectNode usageBeforeReply(ObjectNode usage) {
    ObjectNode msg = Json.object();
    msg.set("serverContent", Json.object());
    msg.set("usageMetadata", usage);
    return msg;
  }

  /**
   * The {@code turnComplete} that ends a turn: the fields a script's {@code Reply.endWith} asked it
   * to carry ({@code end}), the fake's own {@code interactionStatus} ({@code status}) and the
   * turn's {@code usageMetadata}; each left out when null.
   */
  static ObjectNode turnComplete(
      @Nullable TurnComplete end, @Nullable String status, @Nullable ObjectNode usage) {
    ObjectNode done = serverContentFlag("turnComplete");
    ObjectNode content = (ObjectNode) done.path("serverContent");
    if (end != null) {
      if (end.reasonName() != null) {
        content.put("turnCompleteReason", end.reasonName());
      }
      if (end.waitingForInput()) {
        content.put("waitingForInput", true);
      }
      if (end.interactionStatus() != null) {
        content.put("interactionStatus", end.interactionStatus().name());
      }
    }
    if (status != null) {
      content.put("interactionStatus", status);
    }
    if (usage != null) {
      done.set("usageMetadata", usage);
    }
    return done;
  }

  /**
   * A {@code usageMetadata} object: {@code prompt} tokens (0: estimated from the history's text),
   * the user's audio on models that count it, and {@code response} tokens.
   */
  static ObjectNode usage(
      int prompt,
      int response,
      List<HistoryEntry> history,
      long audioInputMillis,
      ModelBehaviour behaviour) {
    int p = prompt;
    if (p == 0) {
      p = 20 + history.stream().mapToInt(h -> h.text().length()).sum() / 4;
    }
    // 3.8: the user's audio counts too, at 25 tokens a second, with its own modality entry.
    int audio = behaviour.interimTranscripts() ? (int) (audioInputMillis * 25 / 1000) : 0;
    int thoughts = behaviour.extendedThinking() && response > 0 ? 8 : 0;
    ObjectNode u = Json.object();
    u.put("promptTokenCount", p + audio);
    u.put("responseTokenCount", response);
    if (thoughts > 0) {
      u.put("thoughtsTokenCount", thoughts);
    }
    u.put("totalTokenCount", p + audio + response + thoughts);
    ArrayNode promptDetails = u.putArray("promptTokensDetails");
    promptDetails.addObject().put("modality", "TEXT").put("tokenCount", p);
    if (audio > 0) {
      promptDetails.addObject().put("modality", "AUDIO").put("tokenCount", audio);
    }
    if (response > 0) {
      u.putArray("responseTokensDetails")
          .addObject()
          .put("modality", "AUDIO")
          .put("tokenCount", response);
    }
    return u;
  }
}
