package dev.geminilive.instruction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders a {@link SystemInstruction} in the guides' bold-Markdown sections. Stateless. */
final class InstructionText {
  private InstructionText() {}

  /** The text; see {@link SystemInstruction#render()}. */
  static String render(SystemInstruction si) {
    List<String> out = new ArrayList<>();
    if (!si.persona().isEmpty() || !si.personalData().isEmpty()) {
      out.add("**PERSONA:**");
      if (!si.persona().isEmpty()) {
        out.add(si.persona());
      }
      if (!si.personalData().isEmpty()) {
        StringBuilder known = new StringBuilder("Known about the user: ");
        for (int i = 0; i < si.personalData().size(); i++) {
          Map.Entry<String, String> e = si.personalData().get(i);
          known.append(i == 0 ? "" : "; ").append(e.getKey()).append(": ").append(e.getValue());
        }
        out.add(known.append('.').toString());
      }
    }
    if (!si.rules().isEmpty()) {
      out.add("**CONVERSATIONAL RULES:**");
      for (int i = 0; i < si.rules().size(); i++) {
        SystemInstruction.Rule r = si.rules().get(i);
        String prefix = (i + 1) + ". ";
        out.add(
            r.title() == null ? prefix + r.text() : prefix + "**" + r.title() + ":** " + r.text());
      }
    }
    section(out, "**GENERAL GUIDELINES:**", si.guidelines());
    section(out, "**GUARDRAILS:**", si.guardrails());
    si.language().ifPresent(l -> out.add(Languages.directive(l)));
    return String.join("\n", out);
  }

  private static void section(List<String> out, String heading, List<String> items) {
    if (items.isEmpty()) {
      return;
    }
    out.add(heading);
    if (items.size() == 1) {
      out.add(items.get(0));
    } else {
      for (String item : items) {
        out.add("- " + item);
      }
    }
  }
}
