package dev.geminilive.tools;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.genai.types.Schema;
import com.google.genai.types.Type;
import dev.geminilive.internal.tools.ArgumentValidator;
import dev.geminilive.internal.tools.JavaSchemas;
import dev.geminilive.internal.tools.ToolJson;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/** Turns the {@link LiveTool} methods of a handler object into {@link ToolDefinition}s. */
final class AnnotatedTools {
  /** What a {@code void} tool answers: {@code {"status": "ok"}} under {@code output}. */
  static final Map<String, String> ACKNOWLEDGEMENT = Map.of("status", "ok");

  private AnnotatedTools() {}

  /**
   * The tools of {@code handler} (its class and superclasses), sorted by tool name.
   *
   * @throws IllegalArgumentException naming class, method and parameter for any problem
   */
  static List<ToolDefinition> scan(Object handler) {
    Class<?> cls = handler.getClass();
    List<Method> methods = new ArrayList<>();
    Set<String> seenSignatures = new HashSet<>();
    for (Class<?> c = cls; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.isAnnotationPresent(LiveTool.class)
            && !m.isBridge()
            && !m.isSynthetic()
            && seenSignatures.add(m.getName() + List.of(m.getParameterTypes()))) {
          methods.add(m);
        }
      }
    }
    if (methods.isEmpty()) {
      throw new IllegalArgumentException(
          "No @LiveTool methods in "
              + cls.getName()
              + ": annotate the methods the model may call with @LiveTool, or pass a"
              + " ToolDefinition");
    }
    List<ToolDefinition> tools = new ArrayList<>();
    for (Method m : methods) {
      tools.add(definition(handler, m));
    }
    tools.sort(Comparator.comparing(ToolDefinition::name));
    return tools;
  }

  static IllegalArgumentException methodError(Method m, String message) {
    return new IllegalArgumentException(
        message + "\n    for method " + m.getDeclaringClass().getName() + "." + m.getName());
  }

  static IllegalArgumentException parameterError(Method m, int index, String message) {
    return methodError(m, message + " (parameter #" + (index + 1) + ")");
  }

  private static ToolDefinition definition(Object handler, Method m) {
    LiveTool tool = m.getAnnotation(LiveTool.class);
    String name = tool.name().isEmpty() ? m.getName() : tool.name();
    if (!ToolDefinition.NAME_PATTERN.matcher(name).matches()) {
      throw methodError(
          m,
          "Invalid tool name '"
              + name
              + "': must start with a letter or underscore and contain only letters, digits,"
              + " '_', '.', ':' or '-', at most 64 characters");
    }
    if (tool.description().isBlank()) {
      throw methodError(m, "@LiveTool description must not be blank");
    }
    try {
      m.setAccessible(true);
    } catch (RuntimeException e) { // InaccessibleObjectException or SecurityException
      throw methodError(
          m,
          "Cannot access the method ("
              + e.getClass().getSimpleName()
              + "); make it public or open its package to dev.geminilive");
    }
    Parameter[] params = m.getParameters();
    java.lang.reflect.Type[] generic = m.getGenericParameterTypes();
    List<Binding> bindings = new ArrayList<>();
    Map<String, Schema> properties = new LinkedHashMap<>();
    List<String> required = new ArrayList<>();
    for (int i = 0; i < params.length; i++) {
      Parameter p = params[i];
      if (p.getType() == ToolContext.class) {
        bindings.add(Binding.CONTEXT);
        continue;
      }
      ToolParam tp = p.getAnnotation(ToolParam.class);
      String argName;
      if (tp != null && !tp.name().isEmpty()) {
        argName = tp.name();
      } else if (p.isNamePresent()) {
        argName = p.getName();
      } else {
        throw parameterError(
            m,
            i,
            "Parameter names are not available (found '"
                + p.getName()
                + "'): compile with -parameters (maven-compiler-plugin <parameters>true</parameters>)"
                + " or set @ToolParam(name = \"...\")");
      }
      if (!ToolDefinition.NAME_PATTERN.matcher(argName).matches()) {
        throw parameterError(m, i, "Invalid argument name '" + argName + "'");
      }
      if (properties.containsKey(argName)) {
        throw parameterError(m, i, "Duplicate argument name '" + argName + "'");
      }
      JavaType type = ToolJson.constructType(generic[i]);
      Schema.Builder schema;
      try {
        schema = JavaSchemas.schema(type).toBuilder();
      } catch (JavaSchemas.UnsupportedTypeException e) {
        throw parameterError(m, i, "Cannot describe argument '" + argName + "': " + e.getMessage());
      }
      if (tp != null && !tp.description().isEmpty()) {
        schema.description(tp.description());
      }
      if (tp != null && !tp.format().isEmpty()) {
        schema.format(tp.format());
      }
      boolean optional =
          (tp != null && !tp.required())
              || JavaSchemas.isOptional(type)
              || JavaSchemas.isNullable(p, p.getAnnotatedType());
      properties.put(argName, schema.build());
      if (!optional) {
        required.add(argName);
      }
      bindings.add(new Binding(argName, type));
    }
    Schema.Builder parameters = Schema.builder().type(Type.Known.OBJECT).properties(properties);
    if (!required.isEmpty()) {
      parameters.required(required);
    }
    boolean isStatic = Modifier.isStatic(m.getModifiers());
    boolean returnsVoid = returnsVoid(m);
    ToolHandler invoker =
        (args, ctx) -> invoke(m, isStatic ? null : handler, bindings, args, ctx, returnsVoid);
    ToolDefinition.Builder b =
        ToolDefinition.builder(name)
            .description(tool.description())
            .invocationCondition(tool.invocationCondition())
            .parameters(parameters.build())
            .behavior(tool.behavior())
            .scheduling(tool.scheduling())
            .inline(tool.inline())
            .requires(tool.requires())
            .handler(invoker);
    if (tool.timeoutMillis() < 0) {
      throw methodError(m, "@LiveTool timeoutMillis must not be negative");
    }
    if (tool.timeoutMillis() > 0) {
      b.timeout(Duration.ofMillis(tool.timeoutMillis()));
    }
    try {
      return b.build();
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw methodError(m, e.getMessage());
    }
  }

  private static boolean returnsVoid(Method m) {
    Class<?> r = m.getReturnType();
    if (r == void.class || r == Void.class) {
      return true;
    }
    if (CompletionStage.class.isAssignableFrom(r)
        && m.getGenericReturnType() instanceof ParameterizedType) {
      java.lang.reflect.Type arg =
          ((ParameterizedType) m.getGenericReturnType()).getActualTypeArguments()[0];
      return arg == Void.class;
    }
    return false;
  }

  private static @Nullable Object invoke(
      Method m,
      @Nullable Object target,
      List<Binding> bindings,
      JsonNode args,
      ToolContext ctx,
      boolean returnsVoid)
      throws Exception {
    Object[] values = new Object[bindings.size()];
    for (int i = 0; i < values.length; i++) {
      Binding b = bindings.get(i);
      values[i] = b == Binding.CONTEXT ? ctx : b.convert(args);
    }
    Object result;
    try {
      result = m.invoke(target, values);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception) {
        throw (Exception) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw e;
    }
    if (!returnsVoid) {
      return result;
    }
    if (result instanceof CompletionStage) {
      return ((CompletionStage<?>) result).thenApply(ignored -> ACKNOWLEDGEMENT);
    }
    return ACKNOWLEDGEMENT;
  }

  /** How one Java parameter gets its value. */
  private static final class Binding {
    static final Binding CONTEXT = new Binding("", ToolJson.constructType(Object.class));

    final String argName;
    final JavaType type;

    Binding(String argName, JavaType type) {
      this.argName = argName;
      this.type = type;
    }

    @Nullable Object convert(JsonNode args) {
      JsonNode node = args.get(argName);
      boolean optional = JavaSchemas.isOptional(type);
      if (node == null || node.isNull()) {
        if (optional) {
          return Optional.empty();
        }
        return defaultValue(type.getRawClass());
      }
      try {
        return ToolJson.convertValue(node, type);
      } catch (IllegalArgumentException e) {
        Schema s = JavaSchemas.schema(optional ? type.containedTypeOrUnknown(0) : type);
        throw new ToolException(
            "Invalid argument '"
                + argName
                + "': expected "
                + ArgumentValidator.describe(s)
                + ", got "
                + abbreviate(node.toString()),
            e);
      }
    }

    private static @Nullable Object defaultValue(Class<?> raw) {
      if (!raw.isPrimitive()) {
        return null;
      }
      if (raw == boolean.class) {
        return false;
      }
      if (raw == char.class) {
        return '\0';
      }
      return ToolJson.convertValue(0, raw);
    }

    private static String abbreviate(String s) {
      return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
  }
}
