package dev.geminilive.flow;

import dev.geminilive.ContextUpdate;
import dev.geminilive.instruction.SystemInstruction;
import dev.geminilive.tools.ToolDefinition;
import dev.geminilive.tools.ToolRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A conversation given to the model one step at a time: named {@link Stage}s, each with its own
 * rules and tools, sharing one persona, general guidelines and guardrails, joined by {@link
 * Transition}s. The Live API guides advise it for any workflow of several steps: the model follows
 * a short instruction for the step at hand better than one long instruction for all of them, and it
 * cannot call a tool of a step it has not reached.
 *
 * <pre>{@code
 * Flow coach = Flow.builder()
 *     .persona("You are Laura, a career coach from Brooklyn, NY. ...")
 *     .guardrail("If the client is being hard on themselves, never encourage that.")
 *     .tools(new CoachTools(openings))
 *     .stage(Stage.named("intake")
 *         .rule("Intake", "Ask for full name, date of birth and state. Call `create_client_profile`.")
 *         .tools("create_client_profile")
 *         .transition(Transition.to("discussion")
 *             .afterTool("create_client_profile")
 *             .carrying(CarryOver.toolResult("create_client_profile", "client_id"))))
 *     .stage(Stage.named("discussion")
 *         .rule("Discuss", "Give data-driven insights on the client's concern. No platitudes.")
 *         .transition(Transition.to("scheduling")
 *             .onNextStep("the client has what they came for")
 *             .carrying(CarryOver.summary())))
 *     .stage(Stage.named("scheduling")
 *         .rule("Next appointment", "Call `get_available_appointments`, then `schedule_appointment`.")
 *         .tools("get_available_appointments", "schedule_appointment"))
 *     .build();
 *
 * ResilientLiveSession session = ResilientLiveSession.builder().flow(coach).listener(ui).connect();
 * }</pre>
 *
 * <p>The session opens in the {@linkplain #start() first stage}; each stage's instruction is the
 * shared persona (with what transitions carried, as known facts), the shared rules, the stage's
 * rules and, where the stage has a next-step transition, a rule saying when to call {@value
 * #NEXT_STEP_TOOL}; then the shared guidelines and guardrails. Its tools are the stage's tools and
 * {@value #NEXT_STEP_TOOL}. The {@code requires} of the flow's tools hold across stages: the
 * session checks them against every tool that succeeded in the conversation.
 *
 * <p>Immutable and thread-safe: one flow serves any number of sessions, each with its own position
 * ({@link FlowPosition}). The builder is not thread-safe.
 *
 * @since 0.1
 */
public final class Flow {
  /** The name of the tool a stage declares for its next-step transitions. */
  public static final String NEXT_STEP_TOOL = "next_step";

  /**
   * The name a carried summary is rendered under; a gathered field of this name would be replaced
   * by it.
   */
  public static final String SUMMARY = "summary";

  private final SystemInstruction shared;
  private final ToolRegistry tools;
  private final Map<String, Stage> stages;
  private final String start;
  private final Map<String, List<ToolDefinition>> stageTools;

  private Flow(Builder b, SystemInstruction shared, ToolRegistry tools) {
    this.shared = shared;
    this.tools = tools;
    this.stages = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.stages));
    this.start = b.start != null ? b.start : b.stages.keySet().iterator().next();
    Map<String, List<ToolDefinition>> byStage = new LinkedHashMap<>();
    for (Stage s : stages.values()) {
      List<ToolDefinition> defs = new ArrayList<>();
      for (String name : s.tools()) {
        defs.add(withoutRequires(tools.find(name).orElseThrow()));
      }
      if (s.hasNextStep()) {
        defs.add(NextStepTool.declaration(s));
      }
      byStage.put(s.name(), List.copyOf(defs));
    }
    this.stageTools = java.util.Collections.unmodifiableMap(byStage);
  }

  /** {@return a new builder} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the stage the conversation opens in} */
  public Stage start() {
    return stages.get(start);
  }

  /** {@return every stage, in the order declared} */
  public List<Stage> stages() {
    return List.copyOf(stages.values());
  }

  /**
   * {@return the stage called {@code name}, if the flow has one}
   *
   * @param name a stage name
   */
  public Optional<Stage> stage(String name) {
    return Optional.ofNullable(stages.get(Objects.requireNonNull(name, "name")));
  }

  /** {@return every tool the stages draw on, with their {@code requires} as declared} */
  public ToolRegistry tools() {
    return tools;
  }

  /**
   * {@return the persona, shared rules, guidelines and guardrails every stage's instruction has}
   */
  public SystemInstruction sharedInstruction() {
    return shared;
  }

  /**
   * {@return the names of the stages in which the model may call {@code tool}, in order; empty for
   * a tool the flow does not have}
   *
   * @param tool a tool name
   */
  public List<String> stagesOf(String tool) {
    List<String> out = new ArrayList<>();
    for (Stage s : stages.values()) {
      if (s.allows(tool)) {
        out.add(s.name());
      }
    }
    return out;
  }

  /**
   * The system instruction of {@code stage} with what the conversation carried so far: the shared
   * persona with the carried fields as known facts, the shared rules, the carried summary, the
   * stage's rules, the next-step rule; then the shared guidelines and guardrails.
   *
   * @param stage the stage's name
   * @param carried the carried values by name ({@value #SUMMARY} for the summary), in order
   * @return the instruction
   * @throws IllegalArgumentException for a stage the flow does not have
   */
  public SystemInstruction instruction(String stage, Map<String, String> carried) {
    Stage s = requireStage(stage);
    SystemInstruction.Builder b = shared.toBuilder();
    String summary = null;
    for (Map.Entry<String, String> e : carried.entrySet()) {
      if (e.getKey().equals(SUMMARY)) {
        summary = e.getValue();
      } else {
        b.personalData(e.getKey(), e.getValue());
      }
    }
    if (summary != null) {
      b.rule("So far in this conversation", summary);
    }
    for (SystemInstruction.Rule r : s.rules()) {
      if (r.title() != null) {
        b.rule(r.title(), r.text());
      } else {
        b.rule(r.text());
      }
    }
    if (s.hasNextStep()) {
      b.rule("Next step", NextStepTool.rule(s));
    }
    return b.build();
  }

  /**
   * {@return the tools declared in {@code stage}: its tools (their {@code requires}, which the
   * session checks across stages, left out of the declaration) and {@value #NEXT_STEP_TOOL} when
   * the stage has a next-step transition}
   *
   * @param stage the stage's name
   * @throws IllegalArgumentException for a stage the flow does not have
   */
  public List<ToolDefinition> toolsOf(String stage) {
    requireStage(stage);
    return stageTools.get(stage);
  }

  /**
   * {@return the context update that enters {@code stage}: its {@linkplain #instruction
   * instruction} and {@linkplain #toolsOf tools}}
   *
   * @param stage the stage's name
   * @param carried the carried values by name, in order
   * @throws IllegalArgumentException for a stage the flow does not have
   */
  public ContextUpdate contextOf(String stage, Map<String, String> carried) {
    return ContextUpdate.builder()
        .systemInstruction(instruction(stage, carried))
        .tools(toolsOf(stage).toArray())
        .build();
  }

  private Stage requireStage(String stage) {
    Stage s = stages.get(Objects.requireNonNull(stage, "stage"));
    if (s == null) {
      throw new IllegalArgumentException(
          "The flow has no stage '" + stage + "'; its stages are " + stages.keySet());
    }
    return s;
  }

  private static ToolDefinition withoutRequires(ToolDefinition d) {
    if (d.requires().isEmpty()) {
      return d;
    }
    ToolDefinition.Builder b =
        ToolDefinition.builder(d.name())
            .description(d.description())
            .parameters(d.parameters())
            .behavior(d.behavior())
            .scheduling(d.scheduling())
            .handler(d.handler());
    if (!d.invocationCondition().isEmpty()) {
      b.invocationCondition(d.invocationCondition());
    }
    d.timeout().ifPresent(b::timeout);
    return b.build();
  }

  @Override
  public String toString() {
    return "Flow[start=" + start + ", stages=" + stages.keySet() + "]";
  }

  /**
   * Builds a {@link Flow}; written like {@link dev.geminilive.LiveSessionBuilder} writes a single
   * agent, with stages in place of one list of rules. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final SystemInstruction.Builder shared = SystemInstruction.builder();
    private final List<Object> handlers = new ArrayList<>();
    private final Map<String, Stage> stages = new LinkedHashMap<>();
    private @Nullable String start;

    private Builder() {}

    /**
     * The persona every stage shares (50 to 100 words work best).
     *
     * @param persona the persona text; not blank
     * @return this builder
     */
    public Builder persona(String persona) {
      shared.persona(persona);
      return this;
    }

    /**
     * A fact about the user every stage knows, rendered in the persona.
     *
     * @param label what it is, such as {@code "name"}
     * @param value the fact
     * @return this builder
     */
    public Builder personalData(String label, String value) {
      shared.personalData(label, value);
      return this;
    }

    /**
     * A rule every stage has, before the stage's own (such as how to greet). It may not name a tool
     * that some stage lacks.
     *
     * @param title the rule's title, shown in bold; not blank
     * @param text the rule; not blank
     * @return this builder
     */
    public Builder rule(String title, String text) {
      shared.rule(title, text);
      return this;
    }

    /**
     * A general guideline every stage shares.
     *
     * @param guideline the guideline; not blank
     * @return this builder
     */
    public Builder guideline(String guideline) {
      shared.guideline(guideline);
      return this;
    }

    /**
     * A guardrail every stage shares.
     *
     * @param guardrail the guardrail; not blank
     * @return this builder
     */
    public Builder guardrail(String guardrail) {
      shared.guardrail(guardrail);
      return this;
    }

    /**
     * Adds the tools the stages name: annotated handler objects, {@link ToolDefinition}s or {@link
     * ToolRegistry}s. Each must belong to at least one stage.
     *
     * @param handlers the tool handlers
     * @return this builder
     */
    public Builder tools(Object... handlers) {
      for (Object h : handlers) {
        this.handlers.add(Objects.requireNonNull(h, "handler"));
      }
      return this;
    }

    /**
     * Adds a stage; the first added is where the conversation starts unless {@link #start(String)}
     * says otherwise.
     *
     * @param stage the stage
     * @return this builder
     */
    public Builder stage(Stage stage) {
      Objects.requireNonNull(stage, "stage");
      if (stages.putIfAbsent(stage.name(), stage) != null) {
        throw new IllegalArgumentException("the flow already has a stage named " + stage.name());
      }
      return this;
    }

    /**
     * Adds the stage this builder builds.
     *
     * @param stage the stage's builder
     * @return this builder
     */
    public Builder stage(Stage.Builder stage) {
      return stage(Objects.requireNonNull(stage, "stage").build());
    }

    /**
     * The stage the conversation opens in (by default the first added), for instance to continue a
     * conversation an earlier process began.
     *
     * @param stage the stage's name
     * @return this builder
     */
    public Builder start(String stage) {
      this.start = Stage.requireName(stage, "stage");
      return this;
    }

    /**
     * {@return the flow}
     *
     * @throws IllegalStateException when the flow has no stage, a stage names a tool the flow does
     *     not have, a transition leads to a stage it does not have, a flow tool is in no stage, or
     *     a rule names a tool of another stage
     * @throws IllegalArgumentException for a tool registration problem (see {@link ToolRegistry})
     */
    public Flow build() {
      if (stages.isEmpty()) {
        throw new IllegalStateException("A flow needs at least one stage: call stage(...)");
      }
      if (start != null && !stages.containsKey(start)) {
        throw new IllegalStateException(
            "start(\"" + start + "\") names no stage; the stages are " + stages.keySet());
      }
      ToolRegistry registry = ToolRegistry.of(handlers.toArray());
      if (registry.find(NEXT_STEP_TOOL).isPresent()) {
        throw new IllegalStateException(
            "A flow tool is named " + NEXT_STEP_TOOL + ", the name the flow declares itself");
      }
      SystemInstruction sharedInstruction = shared.build();
      new FlowReferences(stages, registry).check(sharedInstruction);
      return new Flow(this, sharedInstruction, registry);
    }
  }
}
