package dev.geminilive;

import dev.geminilive.tools.ToolBehavior;
import dev.geminilive.tools.ToolDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules a built {@link SessionSpec} must meet before anything connects with it: what its model
 * accepts ({@link ModelProfile}) and the settings that only make sense together (resumption and
 * reconnects, transparent resumption and Vertex AI). Each broken rule is a {@link
 * LiveConfigException} naming the setting and saying what to change.
 *
 * <p>Stateless. The checks read only the spec, so they run again, unchanged, on any variant built
 * with {@link SessionSpec#toBuilder()} (a new instruction, other tools).
 */
final class SpecChecks {
  private static final Logger log = LoggerFactory.getLogger(SpecChecks.class);

  private SpecChecks() {}

  /**
   * Checks {@code spec}.
   *
   * @throws LiveConfigException naming the first setting the model or the other settings rule out
   */
  static void check(SessionSpec spec) {
    if (!spec.profile().known()) {
      log.warn(
          "Model {} is not in the library's model table; its options are passed through unchecked.",
          spec.model());
    }
    tools(spec, spec.profile(), spec.model());
    responseModality(spec, spec.profile(), spec.model());
    thinking(spec, spec.profile(), spec.model());
    features(spec, spec.profile(), spec.model());
    compression(spec, spec.profile(), spec.model());
    resumption(spec);
  }

  /** Tool declarations the model can run. */
  private static void tools(SessionSpec spec, ModelProfile p, String model) {
    if (!p.asyncFunctionCalling()) {
      for (ToolDefinition t : spec.tools().definitions()) {
        if (t.behavior() == ToolBehavior.NON_BLOCKING) {
          throw new LiveConfigException(
              "tools",
              "Tool '"
                  + t.name()
                  + "' is NON_BLOCKING, but "
                  + model
                  + " calls functions synchronously (it waits for every tool response)."
                  + " Remove behavior = NON_BLOCKING, or use a model with asynchronous function"
                  + " calling such as "
                  + ModelProfile.GEMINI_2_5_FLASH_NATIVE_AUDIO
                  + ".");
        }
      }
    }
  }

  /** What the model answers with. */
  private static void responseModality(SessionSpec spec, ModelProfile p, String model) {
    if (!p.responseModalities().contains(spec.responseModality())) {
      throw new LiveConfigException(
          "responseModality",
          model
              + " answers with "
              + p.responseModalities()
              + " only, not "
              + spec.responseModality()
              + ". Use ResponseModality.AUDIO and read the words from output transcription"
              + " (onOutputTranscript).");
    }
  }

  /** The thinking setting the model takes, if any. */
  private static void thinking(SessionSpec spec, ModelProfile p, String model) {
    if (spec.thinkingBudget() != null && p.thinking() != ModelProfile.Thinking.BUDGET) {
      throw new LiveConfigException(
          "thinkingBudget",
          model
              + " does not take a thinking budget."
              + (p.thinking() == ModelProfile.Thinking.LEVEL
                  ? " Use thinkingLevel(ThinkingLevel.MINIMAL|LOW|MEDIUM|HIGH) instead."
                  : " Remove it: this model does not think."));
    }
    if (spec.thinkingLevel() != null && p.thinking() != ModelProfile.Thinking.LEVEL) {
      throw new LiveConfigException(
          "thinkingLevel",
          model
              + " does not take a thinking level."
              + (p.thinking() == ModelProfile.Thinking.BUDGET
                  ? " Use thinkingBudget(tokens) instead (0 turns thinking off)."
                  : " Remove it: this model does not think."));
    }
  }

  /** Features only some models offer. */
  private static void features(SessionSpec spec, ModelProfile p, String model) {
    if (Boolean.TRUE.equals(spec.affectiveDialog()) && !p.affectiveDialog()) {
      throw new LiveConfigException(
          "affectiveDialog",
          model + " does not support affective dialog. Remove affectiveDialog(true).");
    }
    if (Boolean.TRUE.equals(spec.proactiveAudio()) && !p.proactiveAudio()) {
      throw new LiveConfigException(
          "proactiveAudio",
          model + " does not support proactive audio. Remove proactiveAudio(true).");
    }
  }

  /** Context window compression within the model's window. */
  private static void compression(SessionSpec spec, ModelProfile p, String model) {
    if (spec.compression().triggerTokens() > p.contextWindowTokens()) {
      throw new LiveConfigException(
          "contextCompression",
          "triggerTokens "
              + spec.compression().triggerTokens()
              + " exceeds the context window of "
              + model
              + " ("
              + p.contextWindowTokens()
              + " tokens). Choose a trigger below the window, e.g. 80% of it.");
    }
  }

  /** Resumption and reconnects, which only make sense together. */
  private static void resumption(SessionSpec spec) {
    if (spec.transparentResumption() && !(spec.auth() instanceof LiveAuth.VertexAi)) {
      throw new LiveConfigException(
          "transparentResumption",
          "Transparent resumption is only offered by Vertex AI; the Gemini API rejects it."
              + " Remove transparentResumption(true).");
    }
    if (!spec.sessionResumption() && spec.reconnectPolicy().enabled()) {
      throw new LiveConfigException(
          "sessionResumption",
          "Session resumption is off but the reconnect policy reconnects: a reconnect would"
              + " silently lose the conversation. Set reconnectPolicy(ReconnectPolicy.none())"
              + " or keep sessionResumption on.");
    }
    if (spec.initialHandle() != null && !spec.sessionResumption()) {
      throw new LiveConfigException(
          "resumptionHandle", "A resumption handle needs sessionResumption(true).");
    }
  }
}
