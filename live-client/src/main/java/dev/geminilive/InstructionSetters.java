package dev.geminilive;

import dev.geminilive.flow.Flow;
import dev.geminilive.instruction.InstructionCheck;
import dev.geminilive.instruction.SystemInstruction;
import dev.geminilive.tools.ToolRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The settings of {@link LiveSessionBuilder} that tell the model what it is and what it can do: the
 * system instruction (in parts or whole) with its checks, and the tools with where and how long
 * they run.
 *
 * <p>A part of {@link LiveSessionBuilder}, its only public subclass, which documents these methods
 * as its own: every setter here checks its own argument and returns that builder. Not thread-safe.
 */
abstract sealed class InstructionSetters extends GenerationSetters permits InputSetters {
  InstructionSetters(SessionSettings settings) {
    super(settings);
  }

  /**
   * The persona section (50 to 100 words work best). Personal data the app knows goes here.
   *
   * @param persona the persona text; not blank
   * @return this builder
   */
  public LiveSessionBuilder persona(String persona) {
    parts().persona(LiveAuth.requireText(persona, "persona"));
    return self();
  }

  /**
   * Adds the next numbered conversational rule. Name tools in backticks: {@code `tool_name`}.
   *
   * @param rule the rule text; not blank
   * @return this builder
   */
  public LiveSessionBuilder rule(String rule) {
    parts().rule(LiveAuth.requireText(rule, "rule"));
    return self();
  }

  /**
   * Adds the next numbered conversational rule with a bold title, rendered as {@code N. **Title:**
   * text}, as in the guides' examples.
   *
   * @param title the rule's title, shown in bold; not blank
   * @param text the rule itself; name tools in backticks; not blank
   * @return this builder
   */
  public LiveSessionBuilder rule(String title, String text) {
    parts().rule(LiveAuth.requireText(title, "title"), LiveAuth.requireText(text, "text"));
    return self();
  }

  /**
   * Adds a general guideline.
   *
   * @param guideline the guideline text; not blank
   * @return this builder
   */
  public LiveSessionBuilder guideline(String guideline) {
    parts().guideline(LiveAuth.requireText(guideline, "guideline"));
    return self();
  }

  /**
   * Adds a guardrail.
   *
   * @param guardrail the guardrail text; not blank
   * @return this builder
   */
  public LiveSessionBuilder guardrail(String guardrail) {
    parts().guardrail(LiveAuth.requireText(guardrail, "guardrail"));
    return self();
  }

  /**
   * A complete structured system instruction (replaces persona, rules, guidelines, guardrails).
   *
   * @param instruction the instruction to send
   * @return this builder
   */
  public LiveSessionBuilder systemInstruction(SystemInstruction instruction) {
    s.instruction = Objects.requireNonNull(instruction, "instruction");
    s.rawInstruction = null;
    return self();
  }

  /**
   * A system instruction as plain text, used as it is.
   *
   * @param text the instruction text, sent unchanged
   * @return this builder
   */
  public LiveSessionBuilder systemInstruction(String text) {
    s.rawInstruction = LiveAuth.requireText(text, "text");
    s.instruction = null;
    return self();
  }

  /**
   * Turns checks of the structured system instruction off. By default {@link
   * LiveSessionBuilder#build()} runs every {@link InstructionCheck} (see {@link
   * SystemInstruction#lint(Set)}): a tool named in the instruction but not declared fails the
   * build; a declared tool the instruction never mentions, and a persona far from the recommended
   * length, are logged once as warnings. Plain-text instructions ({@link
   * #systemInstruction(String)}) are never checked.
   *
   * @param checks the checks to leave out
   * @return this builder
   */
  public LiveSessionBuilder ignoreInstructionChecks(InstructionCheck... checks) {
    for (InstructionCheck c : checks) {
      s.ignoredInstructionChecks.add(Objects.requireNonNull(c, "check"));
    }
    return self();
  }

  /**
   * Runs the conversation as a flow: one stage at a time, each with its own rules and tools, the
   * persona, guidelines and guardrails shared (see {@link Flow}). The session opens in the flow's
   * first stage and changes its context as the flow moves: with {@code contextUpdate} on models
   * that take one ({@link ModelProfile#contextUpdates()}), with a planned move to a new connection
   * with the new setup on the others. The flow gives the instruction and the tools, so it excludes
   * {@code persona(..)}, {@code rule(..)}, {@code guideline(..)}, {@code guardrail(..)}, {@code
   * systemInstruction(..)} and {@code tools(..)}; {@code language(..)} applies to every stage.
   *
   * <pre>{@code
   * ResilientLiveSession session = ResilientLiveSession.builder().flow(coachFlow).listener(ui).connect();
   * session.flow().orElseThrow().stage();   // the stage the conversation is in
   * }</pre>
   *
   * @param flow the stages, their tools and transitions
   * @return this builder
   * @since 0.1
   */
  @Experimental
  public LiveSessionBuilder flow(Flow flow) {
    s.flow = Objects.requireNonNull(flow, "flow");
    return self();
  }

  // ---- tools ----

  /**
   * Adds tool handlers: objects with {@code @LiveTool} methods, or tool definitions.
   *
   * @param handlers annotated handler objects, {@link dev.geminilive.tools.ToolDefinition}s or
   *     {@link ToolRegistry}s
   * @return this builder
   */
  public LiveSessionBuilder tools(Object... handlers) {
    for (Object h : handlers) {
      s.toolHandlers.add(Objects.requireNonNull(h, "handler"));
    }
    return self();
  }

  /**
   * Where tools run (by default, a pool the session owns). The session never shuts it down.
   *
   * @param executor the executor tool handlers run on
   * @return this builder
   */
  public LiveSessionBuilder toolExecutor(Executor executor) {
    s.toolExecutor = Objects.requireNonNull(executor, "executor");
    return self();
  }

  /**
   * The default per-call tool timeout; a call that exceeds it gets an error response. It counts
   * from the call's dispatch, so time a call waits for a thread of a busy {@code toolExecutor}
   * counts too.
   *
   * @param timeout the time limit per call; positive
   * @return this builder
   */
  public LiveSessionBuilder toolTimeout(Duration timeout) {
    s.toolTimeout = requirePositive(timeout, "timeout");
    return self();
  }

  private SystemInstruction.Builder parts() {
    if (s.instructionParts == null) {
      s.instructionParts = SystemInstruction.builder();
    }
    return s.instructionParts;
  }
}
