package dev.geminilive;

import dev.geminilive.instruction.SystemInstruction;
import dev.geminilive.tools.ToolRegistry;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Turns the instruction settings of a builder into the text a session sends: the structured
 * instruction (from {@code persona(..)}, {@code rule(..)}... or a {@link SystemInstruction}) with
 * the builder's language applied and linted against the tools, or a plain-text instruction with the
 * language directive appended. Stateless; the settings are read, never changed, so the same
 * settings always render the same text (what makes {@link SessionSpec#toBuilder()} lossless).
 */
final class InstructionRendering {
  private InstructionRendering() {}

  /**
   * The rendered instruction.
   *
   * @param structured the structured instruction the text came from, or null for plain text or none
   * @param text the text sent as the system instruction, or null for none
   * @param languageCode the speech language code, or null for none
   */
  record Rendered(
      @Nullable SystemInstruction structured,
      @Nullable String text,
      @Nullable String languageCode) {}

  /**
   * Renders and lints the instruction of {@code s}.
   *
   * @throws LiveConfigException when the instruction names a tool {@code tools} does not declare,
   *     or when both a whole instruction and parts of one are set
   */
  static Rendered render(SessionSettings s, ToolRegistry tools) {
    if (s.instructionParts != null && (s.instruction != null || s.rawInstruction != null)) {
      throw new LiveConfigException(
          "systemInstruction",
          "Both a whole system instruction (systemInstruction(...)) and parts of one (persona,"
              + " rule, guideline or guardrail) are set, and one of them would be dropped. Set"
              + " only the parts, or put them in the SystemInstruction (SystemInstruction.builder()"
              + " has the same methods).");
    }
    SystemInstruction si = s.instruction;
    if (si == null && s.instructionParts != null) {
      si = s.instructionParts.build();
    }
    if (si != null) {
      if (s.languageTag != null && si.language().isEmpty()) {
        si = si.toBuilder().language(s.languageTag).build();
      }
      si.lint(tools.names(), s.ignoredInstructionChecks);
      return new Rendered(
          si, si.render(), s.languageTag != null ? s.languageTag : si.languageCode().orElse(null));
    }
    if (s.rawInstruction != null && s.languageTag != null) {
      String directive = SystemInstruction.languageDirective(Locale.forLanguageTag(s.languageTag));
      return new Rendered(null, s.rawInstruction + "\n\n" + directive, s.languageTag);
    }
    return new Rendered(null, s.rawInstruction, s.languageTag);
  }
}
