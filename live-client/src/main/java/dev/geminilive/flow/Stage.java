package dev.geminilive.flow;

import dev.geminilive.instruction.SystemInstruction;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One step of a {@link Flow}: its conversational rules, the tools the model may call in it (by
 * name, from the flow's tools) and its {@link Transition}s to other stages. The persona, general
 * guidelines and guardrails are the flow's, shared by every stage; a stage gives only what is
 * particular to its step.
 *
 * <pre>{@code
 * Stage intake = Stage.named("intake")
 *     .rule("Intake", "Ask for full name, date of birth and state. Call `create_client_profile`.")
 *     .tools("create_client_profile")
 *     .transition(Transition.to("discussion").afterTool("create_client_profile"))
 *     .build();
 * }</pre>
 *
 * <p>Name tools in backticks in the rules, as in a single instruction: the session checks every
 * stage's instruction against the stage's tools when it is built. Immutable and thread-safe; the
 * builder is not thread-safe.
 *
 * @since 0.1
 */
public final class Stage {
  /** Valid stage names: a letter, then letters, digits, underscores or dashes, 64 at most. */
  public static final Pattern NAME_PATTERN = Pattern.compile("[a-zA-Z][a-zA-Z0-9_-]{0,63}");

  private final String name;
  private final List<SystemInstruction.Rule> rules;
  private final List<String> toolOrder;
  private final List<Transition> transitions;

  private Stage(Builder b) {
    this.name = b.name;
    this.rules = List.copyOf(b.rules);
    this.toolOrder = List.copyOf(b.tools);
    this.transitions = List.copyOf(b.transitions);
  }

  /**
   * {@return a builder of the stage called {@code name}}
   *
   * @param name the stage's name, as the application and the listener see it; matches {@link
   *     #NAME_PATTERN}
   */
  public static Builder named(String name) {
    return new Builder(requireName(name, "name"));
  }

  static String requireName(String name, String what) {
    Objects.requireNonNull(name, what);
    if (!NAME_PATTERN.matcher(name).matches()) {
      throw new IllegalArgumentException(
          what
              + " must be a letter followed by letters, digits, '_' or '-' (64 at most), such as"
              + " 'intake': "
              + name);
    }
    return name;
  }

  /** {@return the stage's name} */
  public String name() {
    return name;
  }

  /** {@return the stage's conversational rules, in order} */
  public List<SystemInstruction.Rule> rules() {
    return rules;
  }

  /** {@return the names of the tools the model may call in this stage, in the order given} */
  public List<String> tools() {
    return toolOrder;
  }

  /**
   * {@return whether the model may call {@code tool} in this stage (the built-in {@value
   * Flow#NEXT_STEP_TOOL} included when the stage has a next-step transition)}
   *
   * @param tool a tool name
   */
  public boolean allows(String tool) {
    return toolOrder.contains(tool) || (tool.equals(Flow.NEXT_STEP_TOOL) && hasNextStep());
  }

  /** {@return the ways out of this stage, in the order given; empty for the last stage} */
  public List<Transition> transitions() {
    return transitions;
  }

  /** {@return the transitions the model takes with {@value Flow#NEXT_STEP_TOOL}, in order} */
  public List<Transition> nextSteps() {
    List<Transition> out = new ArrayList<>();
    for (Transition t : transitions) {
      if (t.trigger() instanceof Trigger.NextStep) {
        out.add(t);
      }
    }
    return out;
  }

  /** {@return whether the stage declares {@value Flow#NEXT_STEP_TOOL}} */
  public boolean hasNextStep() {
    return !nextSteps().isEmpty();
  }

  /**
   * {@return the first transition to {@code stage}, if there is one}
   *
   * @param stage the target stage's name
   */
  public Optional<Transition> transitionTo(String stage) {
    for (Transition t : transitions) {
      if (t.target().equals(stage)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Stage s
        && s.name.equals(name)
        && s.rules.equals(rules)
        && s.toolOrder.equals(toolOrder)
        && s.transitions.equals(transitions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, rules, toolOrder, transitions);
  }

  @Override
  public String toString() {
    return "Stage[" + name + ", tools=" + toolOrder + ", transitions=" + transitions + "]";
  }

  /**
   * Builds a {@link Stage}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final String name;
    private final List<SystemInstruction.Rule> rules = new ArrayList<>();
    private final Set<String> tools = new LinkedHashSet<>();
    private final List<Transition> transitions = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    /**
     * Adds the stage's next conversational rule. Name tools in backticks: {@code `tool_name`}.
     *
     * @param text the rule; not blank
     * @return this builder
     */
    public Builder rule(String text) {
      rules.add(new SystemInstruction.Rule(null, text));
      return this;
    }

    /**
     * Adds the stage's next conversational rule with a bold title, as in the guides' examples.
     *
     * @param title the rule's title; not blank
     * @param text the rule; not blank
     * @return this builder
     */
    public Builder rule(String title, String text) {
      Objects.requireNonNull(title, "title");
      if (title.isBlank()) {
        throw new IllegalArgumentException("title must not be blank");
      }
      rules.add(new SystemInstruction.Rule(title, text));
      return this;
    }

    /**
     * Names tools of the flow ({@link Flow.Builder#tools}) the model may call in this stage.
     *
     * @param names tool names
     * @return this builder
     */
    public Builder tools(String... names) {
      for (String n : names) {
        Objects.requireNonNull(n, "name");
        if (n.equals(Flow.NEXT_STEP_TOOL)) {
          throw new IllegalArgumentException(
              Flow.NEXT_STEP_TOOL
                  + " is declared by the flow itself: add a Transition.to(..).onNextStep(..)"
                  + " instead of naming it");
        }
        tools.add(n);
      }
      return this;
    }

    /**
     * Adds a way out of this stage.
     *
     * @param transition where to, when and what to carry
     * @return this builder
     */
    public Builder transition(Transition transition) {
      Objects.requireNonNull(transition, "transition");
      if (transition.target().equals(name)) {
        throw new IllegalArgumentException("stage " + name + " cannot have a transition to itself");
      }
      transitions.add(transition);
      return this;
    }

    /**
     * {@return the stage}
     *
     * @throws IllegalStateException when the stage has no rule, or a tool trigger names a tool the
     *     stage does not have
     */
    public Stage build() {
      if (rules.isEmpty()) {
        throw new IllegalStateException(
            "stage " + name + " needs at least one rule(...) saying what to do in it");
      }
      for (Transition t : transitions) {
        if (t.trigger() instanceof Trigger.ToolSucceeded ts && !tools.contains(ts.tool())) {
          throw new IllegalStateException(
              "stage "
                  + name
                  + ": the transition to "
                  + t.target()
                  + " waits for tool "
                  + ts.tool()
                  + ", which the stage does not have; add it with tools(\""
                  + ts.tool()
                  + "\")");
        }
      }
      return new Stage(this);
    }
  }
}
