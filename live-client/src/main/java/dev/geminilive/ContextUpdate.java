package dev.geminilive;

import dev.geminilive.instruction.SystemInstruction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A new system instruction and/or a new set of tools for a session that is already running ({@code
 * contextUpdate}). {@link SessionSpec#withContext(ContextUpdate)} checks it exactly as {@link
 * LiveSessionBuilder#build()} checks a new session (the instruction rendered with the session's
 * language and linted against the tools, the tools against the model's profile) and returns the
 * spec every later resume or rebuild opens with.
 *
 * <pre>{@code
 * ContextUpdate update = ContextUpdate.builder()
 *     .systemInstruction(instruction.toBuilder().rule("Now collect the billing address.").build())
 *     .tools(new CoachTools(), new BillingTools())
 *     .build();
 * SessionSpec next = spec.withContext(update); // throws LiveConfigException, like build()
 * }</pre>
 *
 * <p>What is not given stays: an update with tools only keeps the instruction, one with an
 * instruction only keeps the tools. Tools given replace the session's tools (give the old ones
 * again to keep them). Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ContextUpdate {
  private final @Nullable SystemInstruction instruction;
  private final @Nullable String instructionText;
  private final @Nullable List<Object> tools;

  private ContextUpdate(Builder b) {
    this.instruction = b.instruction;
    this.instructionText = b.instructionText;
    this.tools = b.tools == null ? null : List.copyOf(b.tools);
  }

  /** {@return a new builder of an update that changes nothing until told} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the new structured instruction, if one was given} */
  public Optional<SystemInstruction> systemInstruction() {
    return Optional.ofNullable(instruction);
  }

  /** {@return the new plain-text instruction, if one was given} */
  public Optional<String> systemInstructionText() {
    return Optional.ofNullable(instructionText);
  }

  /**
   * {@return the tool handlers that replace the session's, if given: annotated objects, {@code
   * ToolDefinition}s or {@code ToolRegistry}s (empty to remove every tool)}
   */
  public Optional<List<Object>> tools() {
    return Optional.ofNullable(tools);
  }

  /** Writes this update into {@code settings}: what it gives replaces, what it leaves stays. */
  void applyTo(SessionSettings settings) {
    if (instruction != null || instructionText != null) {
      settings.instruction = instruction;
      settings.rawInstruction = instructionText;
      settings.instructionParts = null;
    }
    if (tools != null) {
      settings.toolHandlers.clear();
      settings.toolHandlers.addAll(tools);
    }
  }

  @Override
  public String toString() {
    return "ContextUpdate[instruction="
        + (instruction != null ? "structured" : instructionText != null ? "text" : "unchanged")
        + ", tools="
        + (tools == null ? "unchanged" : tools.size() + " handler(s)")
        + "]";
  }

  /**
   * Builds a {@link ContextUpdate}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private @Nullable SystemInstruction instruction;
    private @Nullable String instructionText;
    private @Nullable List<Object> tools;

    private Builder() {}

    /**
     * A new structured instruction (replaces a plain-text one given before).
     *
     * @param instruction the instruction
     * @return this builder
     */
    public Builder systemInstruction(SystemInstruction instruction) {
      this.instruction = Objects.requireNonNull(instruction, "instruction");
      this.instructionText = null;
      return this;
    }

    /**
     * A new instruction as plain text, used as it is (replaces a structured one given before).
     *
     * @param text the instruction text; not blank
     * @return this builder
     */
    public Builder systemInstruction(String text) {
      this.instructionText = LiveAuth.requireText(text, "text");
      this.instruction = null;
      return this;
    }

    /**
     * The tools the session has from now on, replacing its tools.
     *
     * @param handlers annotated handler objects, {@code ToolDefinition}s or {@code ToolRegistry}s;
     *     none to remove every tool
     * @return this builder
     */
    public Builder tools(Object... handlers) {
      List<Object> list = new ArrayList<>();
      for (Object h : handlers) {
        list.add(Objects.requireNonNull(h, "handler"));
      }
      this.tools = list;
      return this;
    }

    /**
     * {@return the update}
     *
     * @throws IllegalStateException when neither an instruction nor tools were given
     */
    public ContextUpdate build() {
      if (instruction == null && instructionText == null && tools == null) {
        throw new IllegalStateException(
            "A context update needs a system instruction, tools or both: call"
                + " systemInstruction(...) or tools(...).");
      }
      return new ContextUpdate(this);
    }
  }
}
