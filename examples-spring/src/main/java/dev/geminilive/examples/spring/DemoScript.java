package dev.geminilive.examples.spring;

import dev.geminilive.testkit.Script;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the fake Laura says offline: a greeting, an answer to whatever the client says (spoken or
 * typed), paced a little faster than speech so that playback queues up and a barge-in has something
 * to cut.
 */
public final class DemoScript implements Consumer<Script> {
  /** Laura's greeting. */
  public static final String HELLO =
      "Hi, I'm Laura, a career coach from Brooklyn. What would you like to work on today?";

  /** Laura's answer to speech; long enough to be interrupted. */
  public static final String ANSWER =
      "Great question. People change careers more often than you think: the typical worker holds"
          + " about a dozen jobs, and most of those changes happen after twenty-five.";

  /** What the fake transcribes a spoken turn as. */
  public static final String HEARD = "I feel stuck in my job.";

  /** Creates the script. */
  public DemoScript() {}

  @Override
  public void accept(Script s) {
    s.speed(4)
        .audioChunk(Duration.ofMillis(40))
        .onText(VoiceCoachApplication.GREETING)
        .say(HELLO)
        .onAudio()
        .reply(r -> r.inputTranscript(HEARD).say(ANSWER, Duration.ofSeconds(6)))
        .onText(t -> t.toLowerCase(java.util.Locale.ROOT).contains("openings"))
        .callTool("get_available_appointments", Map.of())
        .onToolResponse("get_available_appointments")
        .reply(
            (turn, r) ->
                r.say("I have " + turn.toolResult().path("output").size() + " openings next week."))
        .onAnyText()
        .reply((turn, r) -> r.say("You said: " + turn.text() + ". Tell me more."));
  }
}
