package dev.geminilive.testkit.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** JSON helpers shared by the fake server: one mapper, key normalisation, small builders. */
public final class Json {
  /** The shared mapper; private, so that nothing reconfigures it once it is shared. */
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Keys whose values hold user data (tool arguments, tool results, schema property names): their
   * contents are left as sent when keys are normalised.
   */
  private static final Set<String> OPAQUE_KEYS =
      Set.of(
          "args",
          "response",
          "properties",
          "parametersJsonSchema",
          "responseJsonSchema",
          "output",
          "error");

  private Json() {}

  /** Parses {@code text} as a JSON object into a map (of maps, lists, strings, numbers). */
  public static Map<String, Object> readMap(String text) throws JsonProcessingException {
    return MAPPER.readValue(text, new TypeReference<Map<String, Object>>() {});
  }

  /** Parses {@code text}; throws {@link JsonProcessingException} for anything but an object. */
  public static ObjectNode parseObject(String text) throws JsonProcessingException {
    JsonNode node = MAPPER.readTree(text);
    if (node == null || !node.isObject()) {
      throw new JsonProcessingException("Expected a JSON object") {
        private static final long serialVersionUID = 1L;
      };
    }
    return (ObjectNode) node;
  }

  /** Returns a deep copy of {@code node} with every snake_case key rewritten to lowerCamelCase. */
  public static JsonNode camelCase(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = MAPPER.createObjectNode();
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String key = toCamel(e.getKey());
        out.set(key, OPAQUE_KEYS.contains(key) ? e.getValue().deepCopy() : camelCase(e.getValue()));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = MAPPER.createArrayNode();
      node.forEach(n -> out.add(camelCase(n)));
      return out;
    }
    return node;
  }

  /** Converts {@code snake_case} to {@code snakeCase}; other keys are returned unchanged. */
  public static String toCamel(String key) {
    if (key.indexOf('_') < 0) {
      return key;
    }
    StringBuilder sb = new StringBuilder(key.length());
    boolean upper = false;
    for (char c : key.toCharArray()) {
      if (c == '_') {
        upper = sb.length() > 0;
      } else {
        sb.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return sb.toString();
  }

  /** Serialises {@code node} compactly. */
  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise JSON node", e);
    }
  }

  /** Creates an empty object node. */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** Converts any Jackson-serialisable value (maps, lists, records) to a tree. */
  public static JsonNode tree(Object value) {
    return MAPPER.valueToTree(value);
  }

  /** Reads a boolean that may arrive as a JSON boolean or as the string "true". */
  public static boolean bool(JsonNode node) {
    return node.isBoolean() ? node.booleanValue() : "true".equalsIgnoreCase(node.asText());
  }
}
