package dev.geminilive.tools;

import com.google.genai.types.FunctionDeclaration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The tools of a session: annotated handler objects and programmatic {@link ToolDefinition}s.
 *
 * <pre>{@code
 * ToolRegistry tools = ToolRegistry.of(new CareerCoachTools(store), lookupOrderTool);
 * List<FunctionDeclaration> declarations = tools.declarations();   // for LiveConnectConfig.tools
 * }</pre>
 *
 * <p>Registration fails fast with an {@link IllegalArgumentException} naming class, method and
 * parameter index for: a handler without {@link LiveTool} methods, an invalid or duplicate tool
 * name, missing parameter names (compile with {@code -parameters} or set {@code @ToolParam(name =
 * ...)}), an unsupported parameter type, an inaccessible method, or a {@code requires} naming a
 * tool that is not registered. Tools keep the order they were added in; the tools of one handler
 * object are ordered by name (reflection does not give source order).
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @since 0.1
 */
public final class ToolRegistry {
  private static final ToolRegistry EMPTY = new ToolRegistry(Map.of());

  private final Map<String, ToolDefinition> tools;

  private ToolRegistry(Map<String, ToolDefinition> tools) {
    this.tools = tools;
  }

  /**
   * A registry without tools.
   *
   * @return an empty registry
   */
  public static ToolRegistry empty() {
    return EMPTY;
  }

  /**
   * A registry of the given annotated handler objects, {@link ToolDefinition}s and registries, in
   * order.
   *
   * @param handlersOrDefinitions annotated handler objects, {@link ToolDefinition}s or {@link
   *     ToolRegistry}s
   * @return the registry
   * @throws IllegalArgumentException for any registration problem (see the class documentation)
   */
  public static ToolRegistry of(Object... handlersOrDefinitions) {
    Objects.requireNonNull(handlersOrDefinitions, "handlersOrDefinitions");
    Builder b = builder();
    for (Object o : handlersOrDefinitions) {
      b.add(o);
    }
    return b.build();
  }

  /**
   * Returns a new, empty builder.
   *
   * @return a new builder with no tools
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder holding these tools, to add more.
   *
   * @return a new builder; changing it does not change this registry
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.tools.putAll(tools);
    return b;
  }

  /**
   * A copy in which every tool declared {@link ToolBehavior#UNSPECIFIED} is declared {@code
   * behavior}, the others unchanged: what a session's model means by "unspecified", made explicit
   * (the builder does this with {@code ModelProfile.defaultToolBehavior()}).
   *
   * @param behavior the behavior of tools that declare none
   * @return the copy, or this registry when nothing changes
   */
  public ToolRegistry withDefaultBehavior(ToolBehavior behavior) {
    Objects.requireNonNull(behavior, "behavior");
    if (behavior == ToolBehavior.UNSPECIFIED) {
      return this;
    }
    Map<String, ToolDefinition> resolved = new LinkedHashMap<>();
    boolean changed = false;
    for (ToolDefinition t : tools.values()) {
      ToolDefinition r = t.behavior() == ToolBehavior.UNSPECIFIED ? t.withBehavior(behavior) : t;
      changed |= r != t;
      resolved.put(r.name(), r);
    }
    return changed ? new ToolRegistry(resolved) : this;
  }

  /**
   * All tools in registration order.
   *
   * @return the definitions, unmodifiable
   */
  public List<ToolDefinition> definitions() {
    return List.copyOf(tools.values());
  }

  /**
   * The function declarations for the session setup, in registration order.
   *
   * @return the declarations, unmodifiable
   */
  public List<FunctionDeclaration> declarations() {
    List<FunctionDeclaration> out = new ArrayList<>(tools.size());
    for (ToolDefinition t : tools.values()) {
      out.add(t.declaration());
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * The tool names in registration order.
   *
   * @return the names, unmodifiable
   */
  public Set<String> names() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(tools.keySet()));
  }

  /**
   * The tool named {@code name}, if registered.
   *
   * @param name the tool name
   * @return the definition, or empty if no tool has that name
   */
  public Optional<ToolDefinition> find(String name) {
    return Optional.ofNullable(tools.get(Objects.requireNonNull(name, "name")));
  }

  /**
   * Whether there are no tools.
   *
   * @return true if no tool is registered
   */
  public boolean isEmpty() {
    return tools.isEmpty();
  }

  @Override
  public String toString() {
    return "ToolRegistry" + tools.keySet();
  }

  /**
   * Builds a {@link ToolRegistry}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final Map<String, ToolDefinition> tools = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Adds a {@link ToolDefinition}, every tool of another {@link ToolRegistry}, or every {@link
     * LiveTool} method of a handler object.
     *
     * @param handlerOrDefinition a {@link ToolDefinition}, a {@link ToolRegistry} or an object with
     *     {@code @LiveTool} methods
     * @return this builder
     * @throws IllegalArgumentException if the handler has no tools, a name is taken, or a method
     *     cannot be used as a tool
     */
    public Builder add(Object handlerOrDefinition) {
      Objects.requireNonNull(handlerOrDefinition, "handlerOrDefinition");
      if (handlerOrDefinition instanceof ToolDefinition) {
        return add((ToolDefinition) handlerOrDefinition);
      }
      if (handlerOrDefinition instanceof ToolRegistry) {
        for (ToolDefinition t : ((ToolRegistry) handlerOrDefinition).tools.values()) {
          add(t);
        }
        return this;
      }
      if (handlerOrDefinition instanceof Class) {
        throw new IllegalArgumentException(
            "Pass a handler instance, not the class " + ((Class<?>) handlerOrDefinition).getName());
      }
      for (ToolDefinition t : AnnotatedTools.scan(handlerOrDefinition)) {
        add(t);
      }
      return this;
    }

    /**
     * Adds a tool.
     *
     * @param tool the tool; its name must not be taken
     * @return this builder
     * @throws IllegalArgumentException if a tool with the same name was added already
     */
    public Builder add(ToolDefinition tool) {
      Objects.requireNonNull(tool, "tool");
      if (tools.containsKey(tool.name())) {
        throw new IllegalArgumentException(
            "Duplicate tool name '"
                + tool.name()
                + "': each tool needs a unique name (set @LiveTool(name = ...) to rename one)");
      }
      tools.put(tool.name(), tool);
      return this;
    }

    /**
     * Builds the registry.
     *
     * @return the immutable registry
     * @throws IllegalStateException if a tool {@code requires} a tool that is not registered
     */
    public ToolRegistry build() {
      for (ToolDefinition t : tools.values()) {
        for (String r : t.requires()) {
          if (!tools.containsKey(r)) {
            throw new IllegalStateException(
                "Tool '"
                    + t.name()
                    + "' requires '"
                    + r
                    + "', which is not registered; register it or remove it from requires");
          }
        }
      }
      return tools.isEmpty() ? EMPTY : new ToolRegistry(new LinkedHashMap<>(tools));
    }
  }
}
