package dev.geminilive.examples.docs;

import dev.geminilive.ContextUpdate;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ModelProfile;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.ThinkingLevel;
import dev.geminilive.Transcription;
import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolBehavior;
import dev.geminilive.tools.ToolScheduling;
import dev.geminilive.tools.ToolStatus;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Compiled sources of docs/migration-to-3.8.md. */
final class Migration38Snippets {
  private Migration38Snippets() {}

  static LiveSessionBuilder from31() {
    // snippet:migration38-from-31
    return ResilientLiveSession.builder()
        .model(ModelProfile.GEMINI_3_8_LIVE) // the default now; drop the line
        // .thinkingLevel(ThinkingLevel.MINIMAL)  removed: 3.8 takes no thinking setting
        .inputTranscription(Transcription.defaults().customVocabulary("Laura", "Brooklyn"));
    // end:migration38-from-31
  }

  static LiveSessionBuilder from25() {
    // snippet:migration38-from-25
    return ResilientLiveSession.builder()
        .model(ModelProfile.GEMINI_3_8_LIVE)
        // .thinkingBudget(0)        removed: no thinking setting on 3.8
        // .affectiveDialog(true)    removed from the Gemini API (Vertex AI: on by default)
        // .proactiveAudio(true)     always on now; proactiveAudio(false) is refused
        .tools(new CalendarTools());
    // end:migration38-from-25
  }

  static LiveSessionBuilder extendedThinking() {
    // snippet:migration38-extended
    return ResilientLiveSession.builder()
        .model(ModelProfile.GEMINI_3_8_LIVE_EXTENDED_THINKING)
        .thinkingLevel(ThinkingLevel.MEDIUM); // LOW, MEDIUM or HIGH
    // end:migration38-extended
  }

  static CompletableFuture<Void> update(ResilientLiveSession session) {
    // snippet:migration38-context-update
    return session.updateContext(
        ContextUpdate.builder()
            .systemInstruction("You are Laura. Offer the open slots, then book one.")
            .tools(new CalendarTools())
            .build());
    // end:migration38-context-update
  }

  interface Calendar {
    Calendar EMPTY =
        new Calendar() {
          @Override
          public List<String> open(LocalDate day) {
            return List.of();
          }

          @Override
          public String book(String slot) {
            return "booked " + slot;
          }
        };

    List<String> open(LocalDate day);

    String book(String slot);
  }

  // snippet:migration38-tools
  static final class CalendarTools {
    private final Calendar calendar = Calendar.EMPTY;

    @LiveTool(description = "Finds open slots on a day.") // non-blocking by default on 3.8
    Object openSlots(LocalDate day) {
      List<String> open = calendar.open(day);
      return open.isEmpty() ? ToolStatus.noResultsInRange("Try the next seven days.") : open;
    }

    @LiveTool(description = "Books a slot.", behavior = ToolBehavior.BLOCKING) // opt-in
    String book(String slot) {
      return calendar.book(slot);
    }

    @LiveTool(description = "Notes a preference.", scheduling = ToolScheduling.SILENT)
    String note(String preference) {
      return "noted";
    }
  }
  // end:migration38-tools
}
