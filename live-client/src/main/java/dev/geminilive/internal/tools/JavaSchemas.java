package dev.geminilive.internal.tools;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.google.genai.types.Schema;
import com.google.genai.types.Type;
import dev.geminilive.tools.ToolParam;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Derives genai {@link Schema}s from Java types. Not API.
 *
 * <p>Mapping: {@code String}/{@code char}/{@code UUID} → STRING; {@code int}, {@code long}, {@code
 * short}, {@code byte}, {@code BigInteger} → INTEGER; {@code float}, {@code double}, {@code
 * BigDecimal} → NUMBER; {@code boolean} → BOOLEAN; enums → STRING with {@code enum} (constant
 * names); {@code LocalDate} → STRING format {@code date}; {@code LocalDateTime}, {@code Instant},
 * {@code OffsetDateTime}, {@code ZonedDateTime} → STRING format {@code date-time}; {@code
 * LocalTime} → STRING format {@code time}; {@code Collection}s and arrays → ARRAY with {@code
 * items}; {@code Optional<T>} → T (not required); {@code Map<String, ?>} and {@code JsonNode} →
 * OBJECT without properties; records → OBJECT with one property per component (required unless
 * {@code Optional} or {@code @Nullable}); other classes → OBJECT with Jackson's deserialisable
 * properties (required only with {@code @JsonProperty(required = true)}).
 */
public final class JavaSchemas {
  private JavaSchemas() {}

  /** Thrown for a type that cannot be described; the message says which type and why. */
  public static final class UnsupportedTypeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UnsupportedTypeException(String message) {
      super(message);
    }
  }

  /** Whether the type is {@code Optional}. */
  public static boolean isOptional(JavaType type) {
    return type.getRawClass() == Optional.class;
  }

  /** Whether an element carries an annotation named {@code Nullable} (any package). */
  public static boolean isNullable(AnnotatedElement element, AnnotatedType type) {
    return hasNullable(element.getAnnotations()) || hasNullable(type.getAnnotations());
  }

  private static boolean hasNullable(Annotation[] annotations) {
    for (Annotation a : annotations) {
      if (a.annotationType().getSimpleName().equals("Nullable")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The schema for {@code type}.
   *
   * @throws UnsupportedTypeException naming the type (and the path within it) if it cannot be
   *     described
   */
  public static Schema schema(java.lang.reflect.Type type) {
    return schema(ToolJson.constructType(type));
  }

  /** The schema for a Jackson type. */
  public static Schema schema(JavaType type) {
    return derive(type, new ArrayDeque<>()).build();
  }

  private static Schema.Builder derive(JavaType type, Deque<Class<?>> inProgress) {
    Class<?> raw = type.getRawClass();
    if (isOptional(type)) {
      return derive(type.containedTypeOrUnknown(0), inProgress);
    }
    if (raw == String.class || raw == char.class || raw == Character.class || raw == UUID.class) {
      return Schema.builder().type(Type.Known.STRING);
    }
    if (raw == int.class
        || raw == Integer.class
        || raw == long.class
        || raw == Long.class
        || raw == short.class
        || raw == Short.class
        || raw == byte.class
        || raw == Byte.class
        || raw == BigInteger.class) {
      return Schema.builder().type(Type.Known.INTEGER);
    }
    if (raw == float.class
        || raw == Float.class
        || raw == double.class
        || raw == Double.class
        || raw == BigDecimal.class) {
      return Schema.builder().type(Type.Known.NUMBER);
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return Schema.builder().type(Type.Known.BOOLEAN);
    }
    if (raw == LocalDate.class) {
      return Schema.builder().type(Type.Known.STRING).format("date");
    }
    if (raw == LocalDateTime.class
        || raw == Instant.class
        || raw == OffsetDateTime.class
        || raw == ZonedDateTime.class) {
      return Schema.builder().type(Type.Known.STRING).format("date-time");
    }
    if (raw == LocalTime.class) {
      return Schema.builder().type(Type.Known.STRING).format("time");
    }
    if (type.isEnumType()) {
      List<String> values = new ArrayList<>();
      for (Object c : raw.getEnumConstants()) {
        values.add(((Enum<?>) c).name());
      }
      return Schema.builder().type(Type.Known.STRING).enum_(values);
    }
    if (JsonNode.class.isAssignableFrom(raw)) {
      return Schema.builder().type(Type.Known.OBJECT).properties(Map.of());
    }
    if (type.isArrayType() || type.isCollectionLikeType()) {
      JavaType content = type.getContentType();
      if (content == null || content.getRawClass() == Object.class) {
        throw new UnsupportedTypeException(
            "unsupported type "
                + type.toCanonical()
                + ": give the element type (e.g. List<String>)");
      }
      return Schema.builder().type(Type.Known.ARRAY).items(derive(content, inProgress).build());
    }
    if (type.isMapLikeType()) {
      if (type.getKeyType().getRawClass() != String.class) {
        throw new UnsupportedTypeException(
            "unsupported type " + type.toCanonical() + ": map keys must be String");
      }
      return Schema.builder().type(Type.Known.OBJECT).properties(Map.of());
    }
    if (raw.isPrimitive()
        || raw == Object.class
        || raw.isInterface()
        || java.lang.reflect.Modifier.isAbstract(raw.getModifiers())
        || raw.getName().startsWith("java.")) {
      throw new UnsupportedTypeException(
          "unsupported type "
              + type.toCanonical()
              + ": use String, a number, boolean, an enum, a date/time, a List, Set, array,"
              + " Optional, Map<String, ?>, a record or a class with Jackson properties");
    }
    if (inProgress.contains(raw)) {
      throw new UnsupportedTypeException(
          "unsupported recursive type " + raw.getName() + ": a tool schema cannot refer to itself");
    }
    inProgress.push(raw);
    try {
      return raw.isRecord() ? record(raw, inProgress) : bean(type, inProgress);
    } finally {
      inProgress.pop();
    }
  }

  private static Schema.Builder record(Class<?> raw, Deque<Class<?>> inProgress) {
    RecordComponent[] components = raw.getRecordComponents();
    Parameter[] ctorParams = canonicalConstructorParameters(raw, components);
    Map<String, Schema> properties = new LinkedHashMap<>();
    List<String> required = new ArrayList<>();
    for (int i = 0; i < components.length; i++) {
      RecordComponent rc = components[i];
      Field field = field(raw, rc.getName());
      String name = rc.getName();
      String description = null;
      boolean optional = false;
      if (field != null) {
        JsonProperty jp = field.getAnnotation(JsonProperty.class);
        if (jp != null && !jp.value().isEmpty()) {
          name = jp.value();
        }
        JsonPropertyDescription jd = field.getAnnotation(JsonPropertyDescription.class);
        if (jd != null) {
          description = jd.value();
        }
      }
      if (ctorParams != null) {
        ToolParam tp = ctorParams[i].getAnnotation(ToolParam.class);
        if (tp != null) {
          if (!tp.description().isEmpty()) {
            description = tp.description();
          }
          optional = !tp.required();
        }
      }
      JavaType componentType = ToolJson.constructType(rc.getGenericType());
      optional |= isOptional(componentType) || isNullable(rc, rc.getAnnotatedType());
      Schema.Builder b;
      try {
        b = derive(componentType, inProgress);
      } catch (UnsupportedTypeException e) {
        throw new UnsupportedTypeException(
            e.getMessage() + " (in component '" + rc.getName() + "' of " + raw.getName() + ")");
      }
      if (description != null) {
        b.description(description);
      }
      properties.put(name, b.build());
      if (!optional) {
        required.add(name);
      }
    }
    Schema.Builder b = Schema.builder().type(Type.Known.OBJECT).properties(properties);
    if (!required.isEmpty()) {
      b.required(required);
    }
    return b;
  }

  private static Parameter @org.jspecify.annotations.Nullable [] canonicalConstructorParameters(
      Class<?> raw, RecordComponent[] components) {
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
    }
    try {
      Constructor<?> c = raw.getDeclaredConstructor(types);
      return c.getParameters();
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  private static @org.jspecify.annotations.Nullable Field field(Class<?> raw, String name) {
    try {
      return raw.getDeclaredField(name);
    } catch (NoSuchFieldException e) {
      return null;
    }
  }

  private static Schema.Builder bean(JavaType type, Deque<Class<?>> inProgress) {
    BeanDescription desc = ToolJson.introspect(type);
    Map<String, Schema> properties = new LinkedHashMap<>();
    List<String> required = new ArrayList<>();
    for (BeanPropertyDefinition p : desc.findProperties()) {
      if (!p.couldDeserialize()) {
        continue;
      }
      JavaType pt = p.getPrimaryType();
      Schema.Builder b;
      try {
        b = derive(pt, inProgress);
      } catch (UnsupportedTypeException e) {
        throw new UnsupportedTypeException(
            e.getMessage() + " (in property '" + p.getName() + "' of " + type.toCanonical() + ")");
      }
      String d = p.getMetadata().getDescription();
      if (d != null && !d.isEmpty()) {
        b.description(d);
      }
      properties.put(p.getName(), b.build());
      if (p.isRequired()) {
        required.add(p.getName());
      }
    }
    if (properties.isEmpty()) {
      throw new UnsupportedTypeException(
          "unsupported type "
              + type.toCanonical()
              + ": it has no properties Jackson can set (add setters, public fields or a"
              + " @JsonCreator, or use a record)");
    }
    Schema.Builder b = Schema.builder().type(Type.Known.OBJECT).properties(properties);
    if (!required.isEmpty()) {
      b.required(required);
    }
    return b;
  }
}
