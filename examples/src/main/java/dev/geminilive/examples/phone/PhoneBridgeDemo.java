package dev.geminilive.examples.phone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.Script;
import java.io.PrintStream;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The phone bridge's offline demonstration: a {@link TwilioCaller} calls the bridge, the agent (the
 * testkit's fake Live server, speaking in real time) greets, the caller talks over the greeting,
 * the bridge sends {@code clear}, and the agent answers the caller.
 */
final class PhoneBridgeDemo {
  static final String GREETING = "Good morning, this is Robin at the practice. How can I help?";
  static final String ANSWER = "Of course. Which day suits you best?";
  static final Duration GREETING_LENGTH = Duration.ofMillis(3000);
  static final Duration ANSWER_LENGTH = Duration.ofMillis(1500);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private PhoneBridgeDemo() {}

  /** The fake agent: a long greeting, then a short answer to whatever the caller says. */
  static Script script() {
    return Script.create()
        .realTime()
        .onAnyText()
        .reply(r -> r.say(GREETING, GREETING_LENGTH))
        .onAudio()
        .reply(r -> r.inputTranscript("I'd like to book a check-up.").say(ANSWER, ANSWER_LENGTH));
  }

  static int run(PrintStream out) throws InterruptedException {
    return run(out, 0);
  }

  /** Runs the demonstration with the bridge on {@code port} (0: any free port). */
  static int run(PrintStream out, int port) throws InterruptedException {
    out.println(
        "No GEMINI_API_KEY set: the agent is the embedded fake Live server (loopback only).");
    try (FakeLiveServer live = FakeLiveServer.builder().script(script()).build();
        PhoneBridge bridge =
            PhoneBridge.builder()
                .sessions(() -> live.configure(PhoneBridge.receptionist()))
                .events(line -> out.println("bridge  " + line))
                .port(port)
                .start()) {
      out.println("caller  dialing " + bridge.uri());
      try (TwilioCaller caller = TwilioCaller.dial(bridge.uri(), "MZ-demo-call")) {
        int greeting = countMedia(caller, 25, null);
        out.println(
            "caller  heard "
                + greeting
                + " media frames ("
                + greeting * 20
                + " ms) of the greeting");
        out.println("caller  talks over the greeting");
        caller.speak(TwilioCaller.voice(Duration.ofMillis(800)));
        int beforeClear = countMedia(caller, Integer.MAX_VALUE, "clear");
        out.println(
            "caller  got clear (after "
                + beforeClear
                + " more frames): stops playing the greeting");
        caller.speak(TwilioCaller.silence(Duration.ofMillis(700)));
        int answer = countMedia(caller, Integer.MAX_VALUE, "mark");
        out.println(
            "caller  heard the answer: "
                + answer
                + " media frames ("
                + answer * 20
                + " ms), then a mark");
        caller.hangUp();
        return answer > 0 ? 0 : 1;
      }
    }
  }

  /**
   * Counts {@code media} events until {@code limit} of them or an event named {@code until} has
   * arrived.
   */
  private static int countMedia(TwilioCaller caller, int limit, @Nullable String until)
      throws InterruptedException {
    int media = 0;
    while (media < limit) {
      JsonNode m = caller.next(WAIT);
      if (m == null) {
        throw new IllegalStateException("The bridge sent nothing for " + WAIT.toSeconds() + " s");
      }
      String event = m.path("event").asText();
      if (event.equals(until)) {
        return media;
      }
      if (event.equals("media")) {
        media++;
      }
    }
    return media;
  }
}
