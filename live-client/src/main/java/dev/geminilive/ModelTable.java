package dev.geminilive;

import dev.geminilive.ModelProfile.Support;
import dev.geminilive.ModelProfile.Thinking;
import dev.geminilive.tools.ToolBehavior;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The Live models the library knows, with what each accepts: the one place to read (and change) a
 * model's rules. The 3.8 rules come from the model pages ("migrating from 3.1") and
 * docs/migration-to-3.8.md; the 3.1 and 2.5 rules from docs/migration-2.5-to-3.1.md.
 *
 * <p>Immutable and thread-safe.
 */
final class ModelTable {
  private ModelTable() {}

  private static final Map<String, ModelProfile> KNOWN =
      Map.of(
          ModelProfile.GEMINI_3_8_LIVE,
          live38(ModelProfile.GEMINI_3_8_LIVE).build(),
          ModelProfile.GEMINI_3_8_LIVE_EXTENDED_THINKING,
          live38(ModelProfile.GEMINI_3_8_LIVE_EXTENDED_THINKING)
              .thinking(Thinking.LEVEL)
              .thinkingLevels(Set.of(ThinkingLevel.LOW, ThinkingLevel.MEDIUM, ThinkingLevel.HIGH))
              .blockingTools(false)
              .build(),
          ModelProfile.GEMINI_3_1_FLASH_LIVE,
          known(ModelProfile.GEMINI_3_1_FLASH_LIVE)
              .thinking(Thinking.LEVEL)
              .asyncFunctionCalling(false)
              .clientContentAnytime(false)
              .build(),
          ModelProfile.GEMINI_2_5_FLASH_NATIVE_AUDIO,
          nativeAudio25(ModelProfile.GEMINI_2_5_FLASH_NATIVE_AUDIO),
          "gemini-2.5-flash-native-audio-preview-09-2025",
          nativeAudio25("gemini-2.5-flash-native-audio-preview-09-2025"),
          "gemini-live-2.5-flash-preview",
          known("gemini-live-2.5-flash-preview")
              .responseModalities(Set.of(ResponseModality.AUDIO, ResponseModality.TEXT))
              .build());

  /** {@return the profile of a known model id, or null} */
  static @Nullable ModelProfile find(String id) {
    return KNOWN.get(id);
  }

  private static ModelProfile.Builder known(String id) {
    ModelProfile.Builder b = ModelProfile.builder(id);
    b.known = true;
    return b.connectionLifetime(ModelProfile.DEFAULT_CONNECTION_LIFETIME);
  }

  /** 3.8's rules (the model page, "migrating from 3.1"). */
  private static ModelProfile.Builder live38(String id) {
    return known(id)
        .thinking(Thinking.INTERLEAVED)
        .asyncFunctionCalling(true)
        .defaultToolBehavior(ToolBehavior.NON_BLOCKING)
        .affectiveDialog(Support.REMOVED)
        .vertexAffectiveDialog(Support.OPTIONAL)
        .proactiveAudio(Support.ALWAYS_ON)
        .clientContentAnytime(true)
        .contextUpdates(true)
        .sessionLifetime(ModelProfile.GEMINI_3_8_SESSION_LIFETIME)
        .defaultTurnCoverage(TurnCoverage.TURN_INCLUDES_AUDIO_ACTIVITY_AND_ALL_VIDEO);
  }

  private static ModelProfile nativeAudio25(String id) {
    return known(id)
        .affectiveDialog(Support.OPTIONAL)
        .vertexAffectiveDialog(Support.OPTIONAL)
        .proactiveAudio(Support.OPTIONAL)
        .build();
  }
}
