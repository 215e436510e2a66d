package dev.geminilive.instruction;

/**
 * The checks {@link SystemInstruction#lint} runs, each of which can be turned off ({@link
 * SystemInstruction#lint(java.util.Set, java.util.Set)}, {@code
 * LiveSessionBuilder.ignoreInstructionChecks(...)}).
 *
 * @since 0.1.0
 */
public enum InstructionCheck {
  /**
   * An error: the instruction names a tool, in backticks, that the session does not declare, so the
   * model would try to call a tool it does not have. A backticked word counts as a tool name when
   * it is a declared tool's name, when it looks like one ({@code snake_case} with an underscore or
   * {@code camelCase} with a capital inside), or when the text calls or invokes it ("call {@code
   * `lookup`}", "the {@code `lookup`} tool"). Any other backticked word ({@code `markdown`}) is
   * left alone.
   */
  UNDECLARED_TOOL,

  /** A warning: a declared tool that no part of the instruction mentions in backticks. */
  UNMENTIONED_TOOL,

  /**
   * A warning: a persona outside {@value SystemInstruction#MIN_PERSONA_WORDS} to {@value
   * SystemInstruction#MAX_PERSONA_WORDS} words (the guides recommend 50 to 100).
   */
  PERSONA_LENGTH
}
