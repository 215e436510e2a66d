package dev.geminilive.internal.tools;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.google.genai.types.Schema;
import java.lang.reflect.Type;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The JSON mapper for tool arguments and results, and schema conversions. Not API. */
public final class ToolJson {
  /**
   * Converts arguments to Java types and results to JSON: ISO-8601 dates, no timestamps, unknown
   * properties in nested objects rejected (the model should only send declared ones), no coercion
   * of scalars (a string "42" for an int is left to the validator, which rejects it first).
   */
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(new Jdk8Module())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private ToolJson() {}

  /** A value as a JSON tree, the way results are sent to the model. */
  public static JsonNode valueToTree(@Nullable Object value) {
    return MAPPER.valueToTree(value);
  }

  /**
   * Converts a value (a JSON tree, a map, a number) to {@code type}.
   *
   * @throws IllegalArgumentException when the value does not fit the type
   */
  public static <T> T convertValue(@Nullable Object value, JavaType type) {
    return MAPPER.convertValue(value, type);
  }

  /**
   * Converts a value (a JSON tree, a map, a number) to {@code type}.
   *
   * @throws IllegalArgumentException when the value does not fit the type
   */
  public static <T> T convertValue(@Nullable Object value, Class<T> type) {
    return MAPPER.convertValue(value, type);
  }

  /** The mapper's view of a Java type. */
  public static JavaType constructType(Type type) {
    return MAPPER.constructType(type);
  }

  /** How the mapper reads a bean type (its properties), for schema derivation. */
  public static BeanDescription introspect(JavaType type) {
    return MAPPER.getDeserializationConfig().introspect(type);
  }

  /** A new, empty JSON object. */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** Converts a JSON-schema-like map (lower- or upper-case type names) to a genai schema. */
  public static Schema schemaFromMap(Map<String, ?> jsonSchema) {
    JsonNode node = MAPPER.valueToTree(jsonSchema);
    upperCaseTypes(node);
    return Schema.fromJson(node.toString());
  }

  /** The schema as JSON. */
  public static JsonNode toTree(Schema schema) {
    try {
      return MAPPER.readTree(schema.toJson());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(
          "Schema did not serialise to JSON: " + e.getOriginalMessage());
    }
  }

  /** Upper-cases every {@code type} value in a schema tree, recursively, in place. */
  public static void upperCaseTypes(JsonNode node) {
    if (node.isObject()) {
      ObjectNode obj = (ObjectNode) node;
      JsonNode type = obj.get("type");
      if (type != null && type.isTextual()) {
        obj.put("type", type.asText().toUpperCase(Locale.ROOT));
      }
      JsonNode props = obj.get("properties");
      if (props != null && props.isObject()) {
        for (Iterator<JsonNode> it = props.elements(); it.hasNext(); ) {
          upperCaseTypes(it.next());
        }
      }
      JsonNode items = obj.get("items");
      if (items != null) {
        upperCaseTypes(items);
      }
      JsonNode anyOf = obj.get("anyOf");
      if (anyOf != null && anyOf.isArray()) {
        anyOf.forEach(ToolJson::upperCaseTypes);
      }
    }
  }
}
