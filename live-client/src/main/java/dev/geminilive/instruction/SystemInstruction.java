package dev.geminilive.instruction;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Placeholder until the instruction package lands. */
public final class SystemInstruction {
  private final String persona;
  private final List<String> rules;
  private final List<String> guidelines;
  private final List<String> guardrails;

  private SystemInstruction(Builder b) {
    persona = b.persona;
    rules = List.copyOf(b.rules);
    guidelines = List.copyOf(b.guidelines);
    guardrails = List.copyOf(b.guardrails);
  }

  /** Builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Renders. */
  public String render() {
    StringBuilder sb = new StringBuilder("**PERSONA:**\n").append(persona);
    for (int i = 0; i < rules.size(); i++) {
      sb.append(i + 1).append(". ").append(rules.get(i));
    }
    guidelines.forEach(sb::append);
    guardrails.forEach(sb::append);
    return sb.toString();
  }

  /** Lint. */
  public void lint(Set<String> tools) {}

  /** Builder. */
  public static final class Builder {
    private String persona = "";
    private final List<String> rules = new ArrayList<>();
    private final List<String> guidelines = new ArrayList<>();
    private final List<String> guardrails = new ArrayList<>();

    /** Persona. */
    public Builder persona(String p) {
      persona = p;
      return this;
    }

    /** Rule. */
    public Builder rule(String r) {
      rules.add(r);
      return this;
    }

    /** Guideline. */
    public Builder guideline(String g) {
      guidelines.add(g);
      return this;
    }

    /** Guardrail. */
    public Builder guardrail(String g) {
      guardrails.add(g);
      return this;
    }

    /** Build. */
    public SystemInstruction build() {
      return new SystemInstruction(this);
    }
  }
}
