package dev.geminilive.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The steps of one fake model reply, emitted in order.
 *
 * <p>You get one inside {@link Script.When#reply(java.util.function.Consumer)}. After the last step
 * the server sends {@code generationComplete}, {@code turnComplete} with {@code usageMetadata}, and
 * a resumable {@code sessionResumptionUpdate} (when the setup asked for resumption). On {@code
 * gemini-3.1-*} models the first audio chunk of a {@link #say} carries the output transcription in
 * the same message, and a {@link #text} right after audio becomes a second part of the first audio
 * message; on other models every part and transcription is its own message. Not thread-safe:
 * configure it inside the callback only.
 *
 * <pre>{@code
 * server.script(s -> s.onText("hi").reply(r -> r
 *     .inputTranscript("hi")
 *     .say("Hello, I'm Laura.", Duration.ofMillis(800))
 *     .text("Hello, I'm Laura.")));
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Reply {
  /** Speaking time per character used by {@link #say(String)}. */
  public static final Duration SPEECH_PER_CHARACTER = Duration.ofMillis(60);

  /** The shortest audio {@link #say(String)} produces. */
  public static final Duration MIN_SPEECH = Duration.ofMillis(200);

  sealed interface Step {}

  record Say(String transcript, Duration duration) implements Step {}

  record Text(String text) implements Step {}

  record OutputTranscript(String text) implements Step {}

  record InputTranscript(String text) implements Step {}

  record CallTool(String name, Map<String, ?> args) implements Step {}

  record Interrupt() implements Step {}

  record GoAway(Duration timeLeft) implements Step {}

  record Usage(int promptTokens, int responseTokens) implements Step {}

  record Pause(Duration duration) implements Step {}

  private final List<Step> steps = new ArrayList<>();

  Reply() {}

  List<Step> steps() {
    return List.copyOf(steps);
  }

  /**
   * Speaks {@code transcript}: audio of a length derived from the text, plus its transcription.
   *
   * @param transcript the words spoken
   * @return this reply
   */
  public Reply say(String transcript) {
    Objects.requireNonNull(transcript, "transcript");
    Duration d = SPEECH_PER_CHARACTER.multipliedBy(transcript.length());
    return say(transcript, d.compareTo(MIN_SPEECH) < 0 ? MIN_SPEECH : d);
  }

  /**
   * Speaks {@code transcript} as {@code duration} of synthetic 24 kHz PCM16 audio in chunks, with
   * an {@code outputTranscription} of the text.
   *
   * @param transcript the words spoken
   * @param duration the length of the audio
   * @return this reply
   */
  public Reply say(String transcript, Duration duration) {
    Objects.requireNonNull(transcript, "transcript");
    requirePositive(duration, "duration");
    steps.add(new Say(transcript, duration));
    return this;
  }

  /**
   * Sends {@code duration} of audio without any transcription.
   *
   * @param duration the length of the audio
   * @return this reply
   */
  public Reply audio(Duration duration) {
    requirePositive(duration, "duration");
    steps.add(new Say("", duration));
    return this;
  }

  /**
   * Sends a {@code modelTurn} text part.
   *
   * @param text the text
   * @return this reply
   */
  public Reply text(String text) {
    steps.add(new Text(Objects.requireNonNull(text, "text")));
    return this;
  }

  /**
   * Sends an {@code outputTranscription} without audio.
   *
   * @param text the transcript
   * @return this reply
   */
  public Reply outputTranscript(String text) {
    steps.add(new OutputTranscript(Objects.requireNonNull(text, "text")));
    return this;
  }

  /**
   * Sends an {@code inputTranscription}: what the fake model "heard" the user say.
   *
   * @param text the transcript
   * @return this reply
   */
  public Reply inputTranscript(String text) {
    steps.add(new InputTranscript(Objects.requireNonNull(text, "text")));
    return this;
  }

  /**
   * Sends {@code toolCall.functionCalls[{id, name, args}]} and waits for the matching {@code
   * toolResponse}; the reply then continues with the script's {@code onToolResponse} rule. Steps
   * after this one are not used.
   *
   * @param name the tool name
   * @param args the arguments, converted to JSON
   * @return this reply
   */
  public Reply callTool(String name, Map<String, ?> args) {
    steps.add(new CallTool(Objects.requireNonNull(name, "name"), Map.copyOf(args)));
    return this;
  }

  /**
   * Ends the reply as interrupted: {@code interrupted: true}, then {@code turnComplete}.
   *
   * @return this reply
   */
  public Reply interrupt() {
    steps.add(new Interrupt());
    return this;
  }

  /**
   * Sends {@code goAway {timeLeft}}; when {@code timeLeft} has passed the connection is closed with
   * 1011 "Deadline expired before operation could complete.".
   *
   * @param timeLeft the time left announced in the message
   * @return this reply
   */
  public Reply goAway(Duration timeLeft) {
    Objects.requireNonNull(timeLeft, "timeLeft");
    steps.add(new GoAway(timeLeft));
    return this;
  }

  /**
   * Sends a usage-only message ({@code usageMetadata} and nothing else).
   *
   * @param promptTokens the prompt token count
   * @param responseTokens the response token count
   * @return this reply
   */
  public Reply usage(int promptTokens, int responseTokens) {
    steps.add(new Usage(promptTokens, responseTokens));
    return this;
  }

  /**
   * Waits {@code duration} (scaled by the script's speed) before the next step.
   *
   * @param duration the pause, before scaling
   * @return this reply
   */
  public Reply pause(Duration duration) {
    requirePositive(duration, "duration");
    steps.add(new Pause(duration));
    return this;
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }
}
