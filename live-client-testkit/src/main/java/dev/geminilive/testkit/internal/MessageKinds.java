package dev.geminilive.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.testkit.MessageKind;

/** Tells which kind of client message a parsed frame is, by its top-level field. Stateless. */
final class MessageKinds {
  private MessageKinds() {}

  static MessageKind classify(JsonNode json) {
    if (json.has("setup")) {
      return MessageKind.SETUP;
    }
    if (json.has("clientContent")) {
      return MessageKind.CLIENT_CONTENT;
    }
    if (json.has("toolResponse")) {
      return MessageKind.TOOL_RESPONSE;
    }
    if (json.has("contextUpdate")) {
      return MessageKind.CONTEXT_UPDATE;
    }
    JsonNode rt = json.path("realtimeInput");
    if (rt.isObject()) {
      if (rt.has("audio")) {
        return MessageKind.REALTIME_AUDIO;
      }
      if (rt.has("text")) {
        return MessageKind.REALTIME_TEXT;
      }
      if (rt.has("video")) {
        return MessageKind.REALTIME_VIDEO;
      }
      if (rt.has("activityStart")) {
        return MessageKind.ACTIVITY_START;
      }
      if (rt.has("activityEnd")) {
        return MessageKind.ACTIVITY_END;
      }
      if (rt.has("audioStreamEnd")) {
        return MessageKind.AUDIO_STREAM_END;
      }
      if (rt.has("mediaChunks")) {
        return MessageKind.MEDIA_CHUNKS;
      }
    }
    return MessageKind.UNKNOWN;
  }
}
