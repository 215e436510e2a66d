package dev.geminilive.internal.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.genai.types.Schema;
import com.google.genai.types.Type;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Checks a function call's arguments against the tool's declared schema and words each problem for
 * the model (argument path, what was expected, what arrived). Not API.
 */
public final class ArgumentValidator {
  private static final int MAX_SHOWN_VALUE_CHARS = 60;

  private ArgumentValidator() {}

  /**
   * The values the first top-level argument outside its {@code enum} may take, for the model's
   * {@code valid_options}; empty when every argument with an enum has a valid value.
   */
  static List<String> validOptions(Schema parameters, @Nullable JsonNode arguments) {
    if (arguments == null || !arguments.isObject()) {
      return List.of();
    }
    for (var e : parameters.properties().orElse(java.util.Map.of()).entrySet()) {
      JsonNode value = arguments.get(e.getKey());
      List<String> options = e.getValue().enum_().orElse(List.of());
      if (value != null && !options.isEmpty() && !options.contains(value.asText())) {
        return options;
      }
    }
    return List.of();
  }

  /**
   * Validates {@code arguments} (null counts as no arguments) against an OBJECT schema.
   *
   * @return the problems, empty when the arguments are valid
   */
  public static List<String> validate(Schema parameters, @Nullable JsonNode arguments) {
    List<String> problems = new ArrayList<>();
    if (arguments == null || arguments.isNull() || arguments.isMissingNode()) {
      arguments = ToolJson.object();
    }
    if (!arguments.isObject()) {
      problems.add("the arguments must be a JSON object, got " + show(arguments));
      return problems;
    }
    validateObject(parameters, arguments, "", problems);
    return problems;
  }

  private static void validateObject(
      Schema schema, JsonNode obj, String prefix, List<String> problems) {
    Map<String, Schema> props = schema.properties().orElse(Map.of());
    for (String req : schema.required().orElse(List.of())) {
      JsonNode v = obj.get(req);
      if (v == null || v.isNull()) {
        Schema ps = props.get(req);
        problems.add(
            "missing required argument '"
                + prefix
                + req
                + "'"
                + (ps == null ? "" : " (expected " + describe(ps) + ")"));
      }
    }
    // A Map<String, ?> parameter declares no properties and accepts any; the top level of a tool
    // without parameters accepts none.
    if (!props.isEmpty() || prefix.isEmpty()) {
      for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!props.containsKey(name)) {
          problems.add(
              "unknown argument '"
                  + prefix
                  + name
                  + "'"
                  + (props.isEmpty()
                      ? "; this takes no arguments"
                      : "; expected only: " + String.join(", ", new TreeSet<>(props.keySet()))));
        }
      }
    }
    for (Map.Entry<String, Schema> e : props.entrySet()) {
      JsonNode v = obj.get(e.getKey());
      if (v != null && !v.isNull()) {
        validateValue(e.getValue(), v, prefix + e.getKey(), problems);
      }
    }
  }

  private static void validateValue(
      Schema schema, JsonNode value, String path, List<String> problems) {
    Type.Known type = schema.type().map(Type::knownEnum).orElse(Type.Known.TYPE_UNSPECIFIED);
    boolean ok;
    switch (type) {
      case STRING:
        ok = value.isTextual() && formatOk(schema.format(), value.asText());
        if (ok && schema.enum_().isPresent() && !schema.enum_().get().contains(value.asText())) {
          problems.add(
              "unknown value "
                  + show(value)
                  + " for argument '"
                  + path
                  + "'; expected one of: "
                  + String.join(", ", schema.enum_().get()));
          return;
        }
        break;
      case INTEGER:
        ok = value.isIntegralNumber() || (value.isNumber() && value.canConvertToExactIntegral());
        break;
      case NUMBER:
        ok = value.isNumber();
        break;
      case BOOLEAN:
        ok = value.isBoolean();
        break;
      case ARRAY:
        ok = value.isArray();
        if (ok && schema.items().isPresent()) {
          for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (item.isNull()) {
              problems.add(
                  "null item in argument '"
                      + path
                      + "["
                      + i
                      + "]'; expected "
                      + describe(schema.items().get()));
            } else {
              validateValue(schema.items().get(), item, path + "[" + i + "]", problems);
            }
          }
        }
        break;
      case OBJECT:
        ok = value.isObject();
        if (ok) {
          validateObject(schema, value, path + ".", problems);
        }
        break;
      default:
        ok = true;
    }
    if (!ok) {
      problems.add("argument '" + path + "' must be " + describe(schema) + ", got " + show(value));
    }
  }

  private static boolean formatOk(Optional<String> format, String text) {
    if (format.isEmpty()) {
      return true;
    }
    try {
      switch (format.get()) {
        case "date":
          LocalDate.parse(text);
          return true;
        case "date-time":
          return parsesAsDateTime(text);
        case "time":
          LocalTime.parse(text);
          return true;
        default:
          return true;
      }
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static boolean parsesAsDateTime(String text) {
    try {
      LocalDateTime.parse(text);
      return true;
    } catch (DateTimeParseException e) {
      // fall through: an offset or instant form is fine too
    }
    try {
      OffsetDateTime.parse(text);
      return true;
    } catch (DateTimeParseException e) {
      Instant.parse(text);
      return true;
    }
  }

  /** Words what a schema accepts, for the model: "a string in date format (YYYY-MM-DD)". */
  public static String describe(Schema schema) {
    Type.Known type = schema.type().map(Type::knownEnum).orElse(Type.Known.TYPE_UNSPECIFIED);
    switch (type) {
      case STRING:
        if (schema.enum_().isPresent()) {
          return "one of: " + String.join(", ", schema.enum_().get());
        }
        String format = schema.format().orElse("");
        switch (format) {
          case "date":
            return "a date string (YYYY-MM-DD)";
          case "date-time":
            return "a date-time string (ISO 8601, e.g. 2025-10-30T14:30:00)";
          case "time":
            return "a time string (HH:MM or HH:MM:SS)";
          default:
            return "a string";
        }
      case INTEGER:
        return "an integer";
      case NUMBER:
        return "a number";
      case BOOLEAN:
        return "true or false";
      case ARRAY:
        return schema
            .items()
            .map(i -> "an array whose items are each " + describe(i))
            .orElse("an array");
      case OBJECT:
        return "an object";
      default:
        return "a value";
    }
  }

  private static String show(JsonNode value) {
    String s = value.toString();
    return s.length() <= MAX_SHOWN_VALUE_CHARS ? s : s.substring(0, MAX_SHOWN_VALUE_CHARS) + "...";
  }
}
