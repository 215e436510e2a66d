package dev.geminilive.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One message a client sent to a {@link FakeLiveServer}, as received.
 *
 * <p>Get them from {@link FakeLiveServer#recorder()} or {@link
 * FakeLiveServer#takeClientMessage(java.time.Duration)}. Immutable and thread-safe. {@link #json()}
 * is normalised to lowerCamelCase keys at every level (except inside tool arguments, tool results
 * and schema properties, which are user data), so {@code realtime_input} and {@code realtimeInput}
 * read the same; {@link #raw()} keeps the exact text.
 *
 * <pre>{@code
 * RecordedMessage m = server.takeClientMessage(Duration.ofSeconds(5));
 * assertThat(m.kind()).isEqualTo(MessageKind.REALTIME_TEXT);
 * assertThat(m.text()).isEqualTo("hello");
 * }</pre>
 *
 * @param connectionIndex index of the connection it arrived on (see {@link FakeConnection#index()})
 * @param sequence arrival number across the whole server, from 0
 * @param kind what the message carries
 * @param raw the frame's text exactly as received
 * @param json the parsed message with camelCase keys; {@link MissingNode} when not a JSON object
 * @since 0.1.0
 */
public record RecordedMessage(
    int connectionIndex, long sequence, MessageKind kind, String raw, JsonNode json) {

  /**
   * Returns the {@code setup} object, or a missing node when this is not a setup message.
   *
   * @return the setup object, or a missing node
   */
  public JsonNode setup() {
    return json.path("setup");
  }

  /**
   * Returns the text of a {@code realtimeInput.text} message, or the concatenated text parts of a
   * {@code clientContent} message; {@code null} for other kinds.
   *
   * @return the text, or null if the message carries none
   */
  public @Nullable String text() {
    if (kind == MessageKind.REALTIME_TEXT) {
      return json.path("realtimeInput").path("text").asText();
    }
    if (kind == MessageKind.CLIENT_CONTENT) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode turn : json.path("clientContent").path("turns")) {
        for (JsonNode part : turn.path("parts")) {
          if (part.has("text")) {
            sb.append(part.path("text").asText());
          }
        }
      }
      return sb.toString();
    }
    return null;
  }

  /**
   * Returns the decoded audio of a {@code realtimeInput.audio} message (or of the audio blobs of a
   * {@code mediaChunks} message); empty for other kinds.
   *
   * @return the decoded audio; empty if the message carries none
   */
  public byte[] audioBytes() {
    if (kind == MessageKind.REALTIME_AUDIO) {
      return Base64.getDecoder()
          .decode(json.path("realtimeInput").path("audio").path("data").asText());
    }
    if (kind == MessageKind.MEDIA_CHUNKS) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      for (JsonNode blob : json.path("realtimeInput").path("mediaChunks")) {
        if (blob.path("mimeType").asText().startsWith("audio/")) {
          out.writeBytes(Base64.getDecoder().decode(blob.path("data").asText()));
        }
      }
      return out.toByteArray();
    }
    return new byte[0];
  }

  /**
   * Returns the {@code functionResponses} of a {@code toolResponse} message; empty otherwise.
   *
   * @return the function responses; empty if this is not a tool response
   */
  public List<JsonNode> functionResponses() {
    List<JsonNode> out = new ArrayList<>();
    json.path("toolResponse").path("functionResponses").forEach(out::add);
    return List.copyOf(out);
  }
}
