package dev.geminilive.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.genai.types.LiveClientContextUpdate;
import com.google.genai.types.LiveClientContextUpdateTools;
import com.google.genai.types.LiveConnectConfig;
import dev.geminilive.Turn;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Builds the client's frames. The setup frame is the SDK's {@link LiveConnectConfig} JSON mapped
 * the way the SDK's own converter maps it (generation fields under {@code generationConfig}, the
 * rest at the top of {@code setup}); golden tests compare it with what the SDK sends.
 */
public final class Frames {
  /**
   * The library's one mapper. Private so that nothing can reconfigure it after it is shared: others
   * read with {@link #readTree} and build with {@link #object()}.
   */
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The SDK converter's order of generation fields moved under {@code generationConfig}. */
  private static final List<String> GENERATION_FIELDS =
      List.of(
          "responseModalities",
          "temperature",
          "topP",
          "topK",
          "maxOutputTokens",
          "mediaResolution",
          "seed",
          "speechConfig",
          "thinkingConfig",
          "enableAffectiveDialog",
          "translationConfig");

  /** The SDK converter's order of the fields that stay at the top of {@code setup}. */
  private static final List<String> SETUP_FIELDS =
      List.of(
          "systemInstruction",
          "tools",
          "sessionResumption",
          "inputAudioTranscription",
          "outputAudioTranscription",
          "realtimeInputConfig",
          "contextWindowCompression",
          "proactivity",
          "explicitVadSignal",
          "avatarConfig",
          "safetySettings",
          "labels");

  /**
   * Fields the Gemini API refuses. (google-genai 2.0.0 refuses {@code explicitVadSignal} in its
   * Gemini API converter and {@code labels} in its Vertex AI one; {@code build()} refuses both on
   * the wrong endpoint, so this only keeps a frame clean.)
   */
  private static final Set<String> VERTEX_ONLY = Set.of("explicitVadSignal");

  private static final String AUDIO_PREFIX = "{\"realtimeInput\":{\"audio\":{\"data\":\"";
  private static final String AUDIO_SUFFIX = "\",\"mimeType\":\"audio/pcm;rate=16000\"}}}";
  private static final byte[] AUDIO_PREFIX_BYTES = AUDIO_PREFIX.getBytes(StandardCharsets.US_ASCII);
  private static final byte[] AUDIO_SUFFIX_BYTES = AUDIO_SUFFIX.getBytes(StandardCharsets.US_ASCII);
  private static final Base64.Encoder BASE64 = Base64.getEncoder();

  private Frames() {}

  /**
   * Parses one JSON text, such as a server frame.
   *
   * @throws JsonProcessingException when the text is not JSON
   */
  public static JsonNode readTree(String json) throws JsonProcessingException {
    return MAPPER.readTree(json);
  }

  /** A new, empty JSON object. */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /**
   * The setup frame.
   *
   * @param modelPath {@code models/...} or the Vertex resource path
   * @param config the connection's configuration
   * @param vertex whether the target is Vertex AI
   * @param initialHistoryInClientContent whether seeded history follows as client content (adds
   *     {@code historyConfig}, which the SDK's config type does not have)
   */
  public static String setup(
      String modelPath,
      LiveConnectConfig config,
      boolean vertex,
      boolean initialHistoryInClientContent) {
    JsonNode cfg;
    try {
      cfg = MAPPER.readTree(config.toJson());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("The SDK produced invalid JSON for a LiveConnectConfig", e);
    }
    ObjectNode setup = MAPPER.createObjectNode();
    setup.put("model", modelPath);
    ObjectNode generation = MAPPER.createObjectNode();
    for (String f : GENERATION_FIELDS) {
      if (cfg.hasNonNull(f)) {
        generation.set(f, cfg.get(f));
      }
    }
    if (!generation.isEmpty()) {
      setup.set("generationConfig", generation);
    }
    for (String f : SETUP_FIELDS) {
      if (cfg.hasNonNull(f) && (vertex || !VERTEX_ONLY.contains(f))) {
        setup.set(f, cfg.get(f));
      }
    }
    if (initialHistoryInClientContent) {
      setup.putObject("historyConfig").put("initialHistoryInClientContent", true);
    }
    ObjectNode root = MAPPER.createObjectNode();
    root.set("setup", setup);
    return root.toString();
  }

  /**
   * A 16 kHz PCM16 audio chunk as realtime input: the same text as the prefix, the chunk's base64
   * and the suffix concatenated, built in one array of the frame's exact size (the encoder writes
   * at the array's start, and the base64 is moved into place) and copied once into the string,
   * where concatenating would copy the base64 twice more. Sending audio is the per-message hot
   * path.
   */
  public static String audio(byte[] pcm, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, pcm.length);
    byte[] src =
        offset == 0 && length == pcm.length
            ? pcm
            : Arrays.copyOfRange(pcm, offset, offset + length);
    int prefix = AUDIO_PREFIX_BYTES.length;
    byte[] frame = new byte[prefix + 4 * ((length + 2) / 3) + AUDIO_SUFFIX_BYTES.length];
    int b64 = BASE64.encode(src, frame);
    System.arraycopy(frame, 0, frame, prefix, b64);
    System.arraycopy(AUDIO_PREFIX_BYTES, 0, frame, 0, prefix);
    System.arraycopy(AUDIO_SUFFIX_BYTES, 0, frame, prefix + b64, AUDIO_SUFFIX_BYTES.length);
    return new String(frame, StandardCharsets.ISO_8859_1);
  }

  /** User text as realtime input. */
  public static String text(String text) {
    ObjectNode root = MAPPER.createObjectNode();
    root.putObject("realtimeInput").put("text", text);
    return root.toString();
  }

  /** A JPEG video frame as realtime input. */
  public static String video(byte[] jpeg) {
    ObjectNode root = MAPPER.createObjectNode();
    ObjectNode video = root.putObject("realtimeInput").putObject("video");
    video.put("data", Base64.getEncoder().encodeToString(jpeg));
    video.put("mimeType", "image/jpeg");
    return root.toString();
  }

  /** {@code audioStreamEnd}. */
  public static String audioStreamEnd() {
    return "{\"realtimeInput\":{\"audioStreamEnd\":true}}";
  }

  /** {@code activityStart}. */
  public static String activityStart() {
    return "{\"realtimeInput\":{\"activityStart\":{}}}";
  }

  /** {@code activityEnd}. */
  public static String activityEnd() {
    return "{\"realtimeInput\":{\"activityEnd\":{}}}";
  }

  /** Client content turns. */
  public static String clientContent(List<Turn> turns, boolean turnComplete) {
    ObjectNode root = MAPPER.createObjectNode();
    ObjectNode content = root.putObject("clientContent");
    ArrayNode array = content.putArray("turns");
    for (Turn t : turns) {
      ObjectNode turn = array.addObject();
      turn.putArray("parts").addObject().put("text", t.text());
      turn.put("role", t.role() == Turn.Role.USER ? "user" : "model");
    }
    content.put("turnComplete", turnComplete);
    return root.toString();
  }

  /**
   * A {@code contextUpdate}: the system instruction and/or the tools of {@code config}, each only
   * when {@code instruction} or {@code tools} says the update changes it. The tools go in the SDK's
   * wrapper object ({@code "tools": {"tools": [...]}}), whose presence tells "replace the tools"
   * (an empty list removes them all) from "keep them".
   */
  public static String contextUpdate(LiveConnectConfig config, boolean instruction, boolean tools) {
    LiveClientContextUpdate.Builder b = LiveClientContextUpdate.builder();
    if (instruction) {
      config.systemInstruction().ifPresent(b::systemInstruction);
    }
    if (tools) {
      b.tools(
          LiveClientContextUpdateTools.builder().tools(config.tools().orElse(List.of())).build());
    }
    try {
      ObjectNode root = MAPPER.createObjectNode();
      root.set("contextUpdate", MAPPER.readTree(b.build().toJson()));
      return root.toString();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("The SDK produced invalid JSON for a context update", e);
    }
  }

  /** A tool response whose body is {@code {"functionResponses": [...]}}. */
  public static String toolResponse(ObjectNode body) {
    ObjectNode root = MAPPER.createObjectNode();
    root.set("toolResponse", body);
    return root.toString();
  }
}
