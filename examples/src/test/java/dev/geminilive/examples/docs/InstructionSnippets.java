package dev.geminilive.examples.docs;

import dev.geminilive.ResilientLiveSession;
import dev.geminilive.instruction.SystemInstruction;
import java.util.List;
import java.util.Set;

/** Compiled sources of docs/system-instructions.md. */
final class InstructionSnippets {
  private InstructionSnippets() {}

  static ResilientLiveSession shortcuts(Object coachTools) {
    // snippet:instruction-shortcuts
    return ResilientLiveSession.builder()
        .persona("You are Laura, a career coach from Brooklyn, NY. ...")
        .rule("Intake: ask for full name, date of birth and state; call `create_client_profile`.")
        .guideline("Keep your responses short.")
        .guardrail("Never reinforce negativity.")
        .language("en-US")
        .tools(coachTools)
        .connect();
    // end:instruction-shortcuts
  }

  static String personalData() {
    // snippet:personal-data
    SystemInstruction instruction =
        SystemInstruction.builder()
            .persona("You are Laura, a career coach from Brooklyn, NY.")
            .personalData("name", "Maya Chen")
            .personalData("state", "NY")
            .rule("Greet the client by name.")
            .language("English")
            .build();
    // **PERSONA:**
    // You are Laura, a career coach from Brooklyn, NY.
    // Known about the user: name: Maya Chen; state: NY.
    // **CONVERSATIONAL RULES:**
    // 1. Greet the client by name.
    // RESPOND IN ENGLISH. YOU MUST RESPOND UNMISTAKABLY IN ENGLISH.
    String text = instruction.render();
    // end:personal-data
    return text;
  }

  static List<String> lint(SystemInstruction instruction) {
    // snippet:lint
    // Throws LiveConfigException if a rule names a tool that is not declared;
    // returns (and logs, once per instruction) warnings for declared tools no rule mentions.
    List<String> warnings = instruction.lint(Set.of("create_client_profile", "send_summary"));
    // end:lint
    return warnings;
  }
}
