package dev.geminilive;

import com.google.genai.types.SafetySetting;
import dev.geminilive.tools.ToolBehavior;
import dev.geminilive.tools.ToolDefinition;
import dev.geminilive.tools.ToolScheduling;
import org.jspecify.annotations.Nullable;
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
    endpoint(spec);
    resumption(spec);
  }

  /** Tool declarations the model can run, as {@code build()} resolved their behavior. */
  private static void tools(SessionSpec spec, ModelProfile p, String model) {
    for (ToolDefinition t : spec.tools().definitions()) {
      if (!p.asyncFunctionCalling() && t.behavior() == ToolBehavior.NON_BLOCKING) {
        throw new LiveConfigException(
            "tools",
            "Tool '"
                + t.name()
                + "' is NON_BLOCKING, but "
                + model
                + " calls functions synchronously (it waits for every tool response)."
                + " Remove behavior = NON_BLOCKING, or use a model with asynchronous function"
                + " calling such as "
                + ModelProfile.GEMINI_3_8_LIVE
                + ".");
      }
      if (!p.blockingTools() && t.behavior() == ToolBehavior.BLOCKING) {
        throw new LiveConfigException(
            "tools",
            "Tool '"
                + t.name()
                + "' is BLOCKING, but "
                + model
                + " calls functions asynchronously only. Remove behavior = BLOCKING (the model"
                + " keeps talking while the tool runs and takes its result per scheduling), or use "
                + ModelProfile.GEMINI_3_8_LIVE
                + ", where BLOCKING is opt-in per tool.");
      }
      if (t.scheduling() != ToolScheduling.UNSPECIFIED
          && t.behavior() != ToolBehavior.NON_BLOCKING) {
        throw new LiveConfigException(
            "tools",
            "Tool '"
                + t.name()
                + "' sets scheduling "
                + t.scheduling()
                + ", which applies only to non-blocking tools, and "
                + model
                + " declares it "
                + (t.behavior() == ToolBehavior.UNSPECIFIED ? "blocking by default" : "BLOCKING")
                + ". Declare it behavior = NON_BLOCKING"
                + (p.asyncFunctionCalling() ? "" : " on a model with asynchronous function calling")
                + ", or remove scheduling.");
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
    if (p.thinking() == ModelProfile.Thinking.INTERLEAVED) {
      String field =
          spec.thinkingLevel() != null
              ? "thinkingLevel"
              : spec.thinkingBudget() != null
                  ? "thinkingBudget"
                  : spec.includeThoughts() != null ? "includeThoughts" : null;
      if (field != null) {
        throw new LiveConfigException(
            field,
            model
                + " reasons interleaved with its answer and takes no thinking configuration:"
                + " remove "
                + field
                + "(...). For background reasoning use "
                + ModelProfile.GEMINI_3_8_LIVE_EXTENDED_THINKING
                + " with thinkingLevel(ThinkingLevel.LOW|MEDIUM|HIGH).");
      }
      return;
    }
    if (spec.thinkingBudget() != null && p.thinking() != ModelProfile.Thinking.BUDGET) {
      throw new LiveConfigException(
          "thinkingBudget",
          model
              + " does not take a thinking budget."
              + (p.thinking() == ModelProfile.Thinking.LEVEL
                  ? " Use thinkingLevel(ThinkingLevel." + levels(p) + ") instead."
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
    if (spec.thinkingLevel() != null && !p.thinkingLevels().contains(spec.thinkingLevel())) {
      throw new LiveConfigException(
          "thinkingLevel",
          model
              + " does not take thinking level "
              + spec.thinkingLevel()
              + ". Use ThinkingLevel."
              + levels(p)
              + ".");
    }
  }

  /** The model's thinking levels, in order, as {@code LOW|MEDIUM|HIGH}. */
  private static String levels(ModelProfile p) {
    StringBuilder b = new StringBuilder();
    for (ThinkingLevel level : ThinkingLevel.values()) {
      if (p.thinkingLevels().contains(level)) {
        b.append(b.length() == 0 ? "" : "|").append(level.name());
      }
    }
    return b.toString();
  }

  /** Features only some models offer, on the endpoint in use. */
  private static void features(SessionSpec spec, ModelProfile p, String model) {
    boolean vertex = onVertexAi(spec.auth());
    feature(
        "affectiveDialog",
        "affective dialog",
        spec.affectiveDialog(),
        vertex ? p.vertexAffectiveDialog() : p.affectiveDialog(),
        model + (vertex ? " on Vertex AI" : " on the Gemini API"));
    feature("proactiveAudio", "proactive audio", spec.proactiveAudio(), p.proactiveAudio(), model);
  }

  private static void feature(
      String field, String name, @Nullable Boolean value, ModelProfile.Support support, String on) {
    if (value == null) {
      return;
    }
    switch (support) {
      case UNSUPPORTED -> {
        if (value) {
          throw new LiveConfigException(
              field, on + " does not support " + name + ". Remove " + field + "(true).");
        }
      }
      case REMOVED ->
          throw new LiveConfigException(
              field,
              name.substring(0, 1).toUpperCase(java.util.Locale.ROOT)
                  + name.substring(1)
                  + " was removed for "
                  + on
                  + ", which refuses the setting itself. Remove "
                  + field
                  + "("
                  + value
                  + ").");
      case ALWAYS_ON -> {
        if (!value) {
          throw new LiveConfigException(
              field,
              on
                  + " always has "
                  + name
                  + " on and refuses "
                  + field
                  + "(false). Remove "
                  + field
                  + "(false).");
        }
      }
      case OPTIONAL -> {}
    }
  }

  /** Settings one endpoint offers and the other refuses (the SDK's own converters agree). */
  private static void endpoint(SessionSpec spec) {
    boolean vertex = onVertexAi(spec.auth());
    if (vertex && !spec.labels().isEmpty()) {
      throw new LiveConfigException(
          "labels",
          "Labels are offered by the Gemini API only; Vertex AI refuses them in a Live setup."
              + " Remove labels(...), or label the Google Cloud project instead.");
    }
    if (!vertex && spec.explicitVadSignal() != null) {
      throw new LiveConfigException(
          "explicitVadSignal",
          "explicitVadSignal is offered by Vertex AI only; the Gemini API refuses it."
              + " Remove explicitVadSignal("
              + spec.explicitVadSignal()
              + "), or connect with vertexAi(...).");
    }
    if (!vertex) {
      for (SafetySetting setting : spec.safetySettings()) {
        if (setting.method().isPresent()) {
          throw new LiveConfigException(
              "safetySettings",
              "A safety setting's method ("
                  + setting.method().get()
                  + ") is offered by Vertex AI only; the Gemini API refuses it. Remove method(...)"
                  + " from the setting for "
                  + setting.category().map(Object::toString).orElse("its category")
                  + ".");
        }
      }
    }
  }

  /** Whether the session connects to Vertex AI. */
  static boolean onVertexAi(LiveAuth auth) {
    return auth instanceof LiveAuth.VertexAi
        || (auth instanceof LiveAuth.SdkClient c && c.client().vertexAI());
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
