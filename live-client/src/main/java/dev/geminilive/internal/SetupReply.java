package dev.geminilive.internal;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/** Reads the service's answer to a setup frame. */
final class SetupReply {
  private SetupReply() {}

  /**
   * The session id when {@code text} is a {@code setupComplete} message ("" when it carries no id,
   * which the service may do), or null when it is anything else.
   */
  static @Nullable String sessionIdIfSetupComplete(String text) {
    try {
      JsonNode root = Frames.readTree(text);
      JsonNode done =
          root.has("setupComplete") ? root.get("setupComplete") : root.get("setup_complete");
      if (done == null || !done.isObject()) {
        return null;
      }
      JsonNode id = done.has("sessionId") ? done.get("sessionId") : done.get("session_id");
      return id != null && id.isTextual() ? id.asText() : "";
    } catch (Exception e) {
      return null;
    }
  }
}
