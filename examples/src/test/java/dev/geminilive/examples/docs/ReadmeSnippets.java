package dev.geminilive.examples.docs;

import dev.geminilive.LiveListener;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.examples.coach.CoachInstruction;
import dev.geminilive.examples.coach.CoachTools;
import java.io.IOException;
import java.time.LocalDateTime;
import java.util.List;

/** Compiled source of the README's quick start. */
final class ReadmeSnippets {
  private ReadmeSnippets() {}

  static void quickStart(List<LocalDateTime> openings) throws IOException {
    // snippet:quick-start
    try (ResilientLiveSession session =
        ResilientLiveSession.builder()
            .apiKey(System.getenv("GEMINI_API_KEY"))
            .voice("Peri")
            .language("en-US")
            .systemInstruction(CoachInstruction.laura()) // persona, rules, guidelines, guardrails
            .tools(new CoachTools(openings)) // five @LiveTool methods over an in-memory store
            .listener(
                new LiveListener() {
                  @Override
                  public void onOutputTranscript(ResilientLiveSession s, String text) {
                    System.out.print(text); // Laura's words; her voice arrives in onAudio
                  }
                })
            .connect()) {
      session.sendText("Hi Laura, I'd like some career advice.");
      System.in.read(); // listen until Enter; the session survives goAway and drops by itself
    }
    // end:quick-start
  }
}
