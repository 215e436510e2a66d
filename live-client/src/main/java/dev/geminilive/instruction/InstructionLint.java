package dev.geminilive.instruction;

import dev.geminilive.LiveConfigException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks of {@link SystemInstruction#lint}: tool references in the text against the declared
 * tools, and the persona's length. Stateless but for the bounded memory of warnings already logged,
 * which is thread-safe.
 */
final class InstructionLint {
  private static final Logger log = LoggerFactory.getLogger(SystemInstruction.class);

  /** An identifier in backticks, as in {@code `create_client_profile`}: maybe a tool name. */
  private static final Pattern BACKTICKED = Pattern.compile("`([A-Za-z_][A-Za-z0-9_.:-]{0,63})`");

  /** What a tool name looks like on its own: {@code snake_case} or {@code camelCase}. */
  private static final Pattern TOOL_SHAPED =
      Pattern.compile("[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]*|[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*");

  /** Text before a backticked word that makes it a tool reference: "call `x`", "invoke `x`". */
  private static final Pattern CALL_BEFORE =
      Pattern.compile("(?i)\\b(call|calls|calling|invoke|invokes|invoking)\\s+(the\\s+)?$");

  /** Text after a backticked word that makes it a tool reference: "`x` tool", "`x` function". */
  private static final Pattern TOOL_AFTER = Pattern.compile("(?i)^\\s+(tool|function)\\b");

  /**
   * Warnings already logged, by instruction and warning text, so that building the same spec again
   * (a phone bridge builds one per call) does not log them again. Bounded; guarded by itself.
   */
  private static final Map<String, Boolean> LOGGED =
      Collections.synchronizedMap(
          new java.util.LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > 512;
            }
          });

  private InstructionLint() {}

  /** Runs the checks not in {@code ignored}; see {@link SystemInstruction#lint(Set, Set)}. */
  static List<String> lint(
      SystemInstruction si, Set<String> declaredToolNames, Set<InstructionCheck> ignored) {
    Objects.requireNonNull(declaredToolNames, "declaredToolNames");
    Objects.requireNonNull(ignored, "ignored");
    String text = si.render();
    Set<String> referenced = references(text, declaredToolNames);
    if (!ignored.contains(InstructionCheck.UNDECLARED_TOOL)) {
      Set<String> undeclared = new TreeSet<>(referenced);
      undeclared.removeAll(declaredToolNames);
      if (!undeclared.isEmpty()) {
        throw new LiveConfigException(
            "systemInstruction",
            "The system instruction names tool(s) "
                + quoted(undeclared)
                + " that are not declared (declared: "
                + (declaredToolNames.isEmpty() ? "none" : quoted(new TreeSet<>(declaredToolNames)))
                + "). Register a tool with that name, or fix the name in the instruction text."
                + " (If it is not meant as a tool, write it without backticks, or turn the check"
                + " off with InstructionCheck.UNDECLARED_TOOL.)");
      }
    }
    List<String> warnings = new ArrayList<>();
    if (!ignored.contains(InstructionCheck.UNMENTIONED_TOOL)) {
      for (String tool : new TreeSet<>(declaredToolNames)) {
        if (!referenced.contains(tool)) {
          warnings.add(
              "Tool '"
                  + tool
                  + "' is declared but the system instruction never mentions it; add a rule that"
                  + " says when to call `"
                  + tool
                  + "`.");
        }
      }
    }
    int words = si.persona().isBlank() ? 0 : si.persona().trim().split("\\s+").length;
    if (!ignored.contains(InstructionCheck.PERSONA_LENGTH)
        && (words < SystemInstruction.MIN_PERSONA_WORDS
            || words > SystemInstruction.MAX_PERSONA_WORDS)) {
      warnings.add(
          "The persona has " + words + " words; the Live API guides recommend 50 to 100 words.");
    }
    for (String w : warnings) {
      if (LOGGED.put(text.length() + ":" + text.hashCode() + ":" + w, Boolean.TRUE) == null) {
        log.warn("System instruction: {}", w);
      }
    }
    return List.copyOf(warnings);
  }

  /** The tool names {@code text} refers to, in first-seen order (see {@link SystemInstruction}). */
  static Set<String> references(String text, Set<String> declared) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = BACKTICKED.matcher(text);
    while (m.find()) {
      String word = m.group(1);
      if (declared.contains(word)
          || TOOL_SHAPED.matcher(word).matches()
          || CALL_BEFORE.matcher(text.substring(Math.max(0, m.start() - 24), m.start())).find()
          || TOOL_AFTER
              .matcher(text.substring(m.end(), Math.min(text.length(), m.end() + 12)))
              .find()) {
        names.add(word);
      }
    }
    return names;
  }

  private static String quoted(Set<String> names) {
    StringBuilder sb = new StringBuilder();
    for (String n : names) {
      sb.append(sb.length() == 0 ? "" : ", ").append('\'').append(n).append('\'');
    }
    return sb.toString();
  }
}
