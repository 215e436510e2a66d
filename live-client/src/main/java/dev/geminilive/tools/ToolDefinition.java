package dev.geminilive.tools;

import com.google.genai.types.Behavior;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.Schema;
import com.google.genai.types.Type;
import dev.geminilive.Experimental;
import dev.geminilive.internal.tools.ToolJson;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One tool: its declaration for the model and the handler that runs it.
 *
 * <p>{@link ToolRegistry} builds these from {@link LiveTool} methods; build one yourself for tools
 * known only at run time:
 *
 * <pre>{@code
 * ToolDefinition lookup = ToolDefinition.builder("lookup_order")
 *     .description("Finds an order by number.")
 *     .invocationCondition("Invoke only after the user read out the order number.")
 *     .parameters(Map.of("type", "object",
 *         "properties", Map.of("order_number", Map.of("type", "string")),
 *         "required", List.of("order_number")))
 *     .handler((args, ctx) -> orders.find(args.get("order_number").asText()))
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @since 0.1
 */
public final class ToolDefinition {
  /**
   * Valid tool names: a letter or underscore, then letters, digits, underscores, dots, colons or
   * dashes, at most 64 characters in all (the Gemini API's rule for function names).
   */
  public static final Pattern NAME_PATTERN = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}");

  /** The separator between description and invocation condition, as in the Live API guides. */
  static final String INVOCATION_CONDITION_SEPARATOR = " \n**Invocation Condition:** ";

  private static final Schema EMPTY_OBJECT =
      Schema.builder().type(Type.Known.OBJECT).properties(Map.of()).build();

  private final String name;
  private final String description;
  private final String invocationCondition;
  private final Schema parameters;
  private final ToolBehavior behavior;
  private final ToolScheduling scheduling;
  private final List<String> requires;
  private final @Nullable Duration timeout;
  private final boolean inline;
  private final ToolHandler handler;

  private ToolDefinition(Builder b) {
    this.name = b.name;
    this.description = Objects.requireNonNull(b.description, "description");
    this.invocationCondition = b.invocationCondition;
    this.parameters = b.parameters;
    this.behavior = b.behavior;
    this.scheduling = b.scheduling;
    this.requires = List.copyOf(b.requires);
    this.timeout = b.timeout;
    this.inline = b.inline;
    this.handler = Objects.requireNonNull(b.handler, "handler");
  }

  /**
   * Returns a builder for a tool named {@code name}.
   *
   * @param name the tool name the model sees; letters, digits, underscores and dashes
   * @return a new builder; a description and a handler are required
   * @throws IllegalArgumentException if the name does not match {@link #NAME_PATTERN}
   */
  public static Builder builder(String name) {
    return new Builder(ToolNames.check(name, "tool name"));
  }

  /**
   * The tool name.
   *
   * @return the tool name
   */
  public String name() {
    return name;
  }

  /**
   * The description without the invocation condition.
   *
   * @return the description
   */
  public String description() {
    return description;
  }

  /**
   * The invocation condition, empty for none.
   *
   * @return the invocation condition, or an empty string
   */
  public String invocationCondition() {
    return invocationCondition;
  }

  /**
   * The description the model sees: {@code <description> \n**Invocation Condition:** <condition>},
   * or just the description when there is no condition.
   *
   * @return the full description, with the invocation condition appended if there is one
   */
  public String fullDescription() {
    return invocationCondition.isEmpty()
        ? description
        : description + INVOCATION_CONDITION_SEPARATOR + invocationCondition;
  }

  /**
   * The parameters schema (an OBJECT schema, possibly with no properties).
   *
   * @return the parameters schema
   */
  public Schema parameters() {
    return parameters;
  }

  /**
   * Whether the model waits for the result.
   *
   * @return the behavior
   */
  public ToolBehavior behavior() {
    return behavior;
  }

  /**
   * The default scheduling of answers (non-blocking tools only).
   *
   * @return the default scheduling
   */
  public ToolScheduling scheduling() {
    return scheduling;
  }

  /**
   * Tools that must have succeeded earlier in the session before this one may run.
   *
   * @return the names of the prerequisite tools, unmodifiable; empty for none
   */
  public List<String> requires() {
    return requires;
  }

  /**
   * This tool's time limit, if it overrides the session default.
   *
   * @return the time limit, or empty to use the session default
   */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /**
   * Whether the handler runs on the session's queue ({@link Builder#inline}).
   *
   * @return true for an inline tool
   */
  @Experimental
  public boolean inline() {
    return inline;
  }

  /**
   * The handler that runs the tool.
   *
   * @return the handler
   */
  public ToolHandler handler() {
    return handler;
  }

  /**
   * A copy declared with another behavior; everything else, the handler included, is shared.
   *
   * @param behavior the behavior to declare
   * @return the copy, or this definition when the behavior is the same
   * @throws IllegalStateException when {@code behavior} is BLOCKING and this tool sets scheduling
   */
  public ToolDefinition withBehavior(ToolBehavior behavior) {
    Objects.requireNonNull(behavior, "behavior");
    if (behavior == this.behavior) {
      return this;
    }
    Builder b = builder(name).description(description).parameters(parameters).handler(handler);
    b.invocationCondition = invocationCondition;
    b.behavior = behavior;
    b.scheduling = scheduling;
    b.requires = requires;
    b.timeout = timeout;
    b.inline = inline;
    return b.build();
  }

  /**
   * The declaration sent in the session setup ({@code tools[].functionDeclarations[]}).
   *
   * @return the function declaration
   */
  public FunctionDeclaration declaration() {
    FunctionDeclaration.Builder b =
        FunctionDeclaration.builder()
            .name(name)
            .description(fullDescription())
            .parameters(parameters);
    if (behavior != ToolBehavior.UNSPECIFIED) {
      b.behavior(Behavior.Known.valueOf(behavior.name()));
    }
    return b.build();
  }

  @Override
  public String toString() {
    return "ToolDefinition{" + name + "}";
  }

  /**
   * Builds a {@link ToolDefinition}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final String name;
    private @Nullable String description;
    private String invocationCondition = "";
    private Schema parameters = EMPTY_OBJECT;
    private ToolBehavior behavior = ToolBehavior.UNSPECIFIED;
    private ToolScheduling scheduling = ToolScheduling.UNSPECIFIED;
    private List<String> requires = List.of();
    private @Nullable Duration timeout;
    private boolean inline;
    private @Nullable ToolHandler handler;

    private Builder(String name) {
      this.name = name;
    }

    /**
     * What the tool does and returns (required).
     *
     * @param description what the tool does and returns; not blank
     * @return this builder
     */
    public Builder description(String description) {
      Objects.requireNonNull(description, "description");
      if (description.isBlank()) {
        throw new IllegalArgumentException("description must not be blank (tool " + name + ")");
      }
      this.description = description;
      return this;
    }

    /**
     * When the model may call the tool; empty for none.
     *
     * @param invocationCondition when the model may call it; empty for none
     * @return this builder
     */
    public Builder invocationCondition(String invocationCondition) {
      this.invocationCondition =
          Objects.requireNonNull(invocationCondition, "invocationCondition").trim();
      return this;
    }

    /**
     * The parameters schema; must be of type OBJECT. Defaults to an OBJECT schema with no
     * properties (a tool without arguments).
     *
     * @param parameters an OBJECT schema
     * @return this builder
     */
    public Builder parameters(Schema parameters) {
      Objects.requireNonNull(parameters, "parameters");
      if (parameters.type().map(t -> t.knownEnum() != Type.Known.OBJECT).orElse(true)) {
        throw new IllegalArgumentException(
            "parameters of tool " + name + " must be a schema of type OBJECT");
      }
      this.parameters = parameters;
      return this;
    }

    /**
     * The parameters as a JSON-schema-like map (OpenAPI subset: {@code type}, {@code properties},
     * {@code items}, {@code enum}, {@code format}, {@code required}, {@code description}); type
     * names may be lower case.
     *
     * @param jsonSchema the schema as nested maps and lists
     * @return this builder
     */
    public Builder parameters(Map<String, ?> jsonSchema) {
      Objects.requireNonNull(jsonSchema, "jsonSchema");
      return parameters(ToolJson.schemaFromMap(jsonSchema));
    }

    /**
     * Whether the model waits for the result.
     *
     * @param behavior the behavior
     * @return this builder
     */
    public Builder behavior(ToolBehavior behavior) {
      this.behavior = Objects.requireNonNull(behavior, "behavior");
      return this;
    }

    /**
     * Default scheduling of answers; only meaningful for non-blocking tools.
     *
     * @param scheduling the scheduling
     * @return this builder
     */
    public Builder scheduling(ToolScheduling scheduling) {
      this.scheduling = Objects.requireNonNull(scheduling, "scheduling");
      return this;
    }

    /**
     * Tools that must have succeeded earlier in the session before this one may run.
     *
     * @param toolNames the names of the prerequisite tools
     * @return this builder
     */
    public Builder requires(String... toolNames) {
      Objects.requireNonNull(toolNames, "toolNames");
      for (String t : toolNames) {
        ToolNames.check(t, "required tool name");
      }
      this.requires = Arrays.asList(toolNames.clone());
      return this;
    }

    /**
     * This tool's time limit, overriding the session default; counted from the call's dispatch (see
     * {@link LiveTool#timeoutMillis()}).
     *
     * @param timeout the time limit; positive
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, got " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Runs the handler on the session's event queue, in the {@code toolCall} frame's task, instead
     * of the tool executor: one thread hand-off fewer. Only for a handler that returns at once and
     * never blocks, as a listener must; it is never interrupted (see docs/tools.md).
     *
     * @param inline true to run the handler on the session's queue
     * @return this builder
     */
    @Experimental
    public Builder inline(boolean inline) {
      this.inline = inline;
      return this;
    }

    /**
     * The code that runs the tool (required).
     *
     * @param handler the handler
     * @return this builder
     */
    public Builder handler(ToolHandler handler) {
      this.handler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Builds the definition.
     *
     * @return the immutable definition
     * @throws IllegalStateException if the description or handler is missing, or scheduling is set
     *     on a BLOCKING tool (with behavior left UNSPECIFIED, the session's model decides: {@code
     *     build()} refuses scheduling where the model declares such tools blocking)
     */
    public ToolDefinition build() {
      if (description == null) {
        throw new IllegalStateException("tool " + name + " needs a description");
      }
      if (handler == null) {
        throw new IllegalStateException("tool " + name + " needs a handler");
      }
      if (scheduling != ToolScheduling.UNSPECIFIED && behavior == ToolBehavior.BLOCKING) {
        throw new IllegalStateException(
            "tool "
                + name
                + " sets scheduling "
                + scheduling
                + " but is BLOCKING; scheduling applies only to non-blocking tools");
      }
      if (requires.contains(name)) {
        throw new IllegalStateException("tool " + name + " cannot require itself");
      }
      return new ToolDefinition(this);
    }
  }
}
