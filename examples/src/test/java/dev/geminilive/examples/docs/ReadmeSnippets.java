package dev.geminilive.examples.docs;

import dev.geminilive.LiveListener;
import dev.geminilive.ResilientLiveSession;
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
            .persona("You are Laura, a data-driven career coach from Brooklyn, NY.")
            .rule("Ask for name, date of birth and state, then call `create_client_profile`.")
            .guardrail("If the client is hard on themselves, never encourage that.")
            .tools(new CoachTools(openings))
            .listener(
                new LiveListener() {
                  @Override
                  public void onOutputTranscript(ResilientLiveSession s, String text) {
                    System.out.print(text); // what Laura says (her audio arrives in onAudio)
                  }
                })
            .connect()) {
      session.sendText("Hi Laura, I'd like some career advice.");
      System.in.read(); // talk until Enter; the session survives goAway and drops by itself
    }
    // end:quick-start
  }
}
