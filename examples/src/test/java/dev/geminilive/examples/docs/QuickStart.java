package dev.geminilive.examples.docs;

// snippet:quick-start
import dev.geminilive.LiveListener;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolParam;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

public class QuickStart {
  /** Laura's tools: ordinary methods the session runs when the model calls them. */
  public static class CoachTools {
    @LiveTool(name = "get_available_appointments", description = "Lists the open slots.")
    public List<String> availableAppointments() {
      return List.of("Tuesday 10:00", "Thursday 14:30");
    }

    @LiveTool(
        name = "schedule_appointment",
        description = "Books one of the open slots.",
        requires = "get_available_appointments") // enforced: never books an unlisted slot
    public String scheduleAppointment(
        @ToolParam(name = "slot", description = "The slot, as listed.") String slot) {
      return "Booked for " + slot;
    }
  }

  public static void main(String[] args) throws InterruptedException {
    CountDownLatch answered = new CountDownLatch(1);
    try (ResilientLiveSession session =
        ResilientLiveSession.builder()
            .apiKey(System.getenv("GEMINI_API_KEY"))
            .voice("Peri")
            .language("en-US")
            .persona(
                "You are Laura, a warm and direct career coach from Brooklyn, NY. You help"
                    + " people find their next job, rework a resume and prepare interviews,"
                    + " and you speak in short, encouraging sentences.")
            .rule("Ask what the client wants to work on, then give one concrete next step.")
            .rule("To book a session, call `get_available_appointments` and offer the slots.")
            .rule("Once the client picked a slot, call `schedule_appointment` with it.")
            .guardrail("Never reinforce negativity.")
            .tools(new CoachTools())
            .listener(
                new LiveListener() {
                  @Override
                  public void onOutputTranscript(ResilientLiveSession s, String text) {
                    System.out.print(text); // Laura's words; her voice arrives in onAudio
                  }

                  @Override
                  public void onTurnComplete(ResilientLiveSession s, String reason) {
                    answered.countDown();
                  }
                })
            .connect()) {
      session.sendText("Hi Laura, I'd like some career advice.");
      answered.await(30, TimeUnit.SECONDS); // her first answer; the session survives drops
    }
  }
}
// end:quick-start
