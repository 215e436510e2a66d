package dev.geminilive.examples.docs;

import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ModelProfile;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.ThinkingLevel;
import dev.geminilive.Turn;
import java.util.List;

/** Compiled sources of docs/migration-2.5-to-3.1.md. */
final class MigrationSnippets {
  private MigrationSnippets() {}

  static LiveSessionBuilder before() {
    // snippet:migration-before
    return ResilientLiveSession.builder()
        .model(ModelProfile.GEMINI_2_5_FLASH_NATIVE_AUDIO)
        .thinkingBudget(0)
        .affectiveDialog(true)
        .proactiveAudio(true);
    // end:migration-before
  }

  static LiveSessionBuilder after() {
    // snippet:migration-after
    return ResilientLiveSession.builder()
        .model(ModelProfile.GEMINI_3_1_FLASH_LIVE) // the default before 3.8
        .thinkingLevel(ThinkingLevel.MINIMAL)
        .history(List.of(Turn.user("I'm Maya."), Turn.model("Hi Maya!"))); // seeded at the start
    // end:migration-after
  }
}
