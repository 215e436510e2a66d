package dev.geminilive.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminilive.CodeExecutionResult;
import dev.geminilive.InteractionStatus;
import dev.geminilive.TurnComplete;
import dev.geminilive.VadSignal;
import dev.geminilive.VoiceActivity;
import dev.geminilive.testkit.internal.Json;
import dev.geminilive.testkit.internal.ServerMessages;
import dev.geminilive.testkit.internal.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * The steps of one fake model reply, emitted in order.
 *
 * <p>You get one inside {@link Script.When#reply(java.util.function.Consumer)}. After the last step
 * the server sends {@code generationComplete}, {@code turnComplete} (with what {@link #endWith}
 * set) and {@code usageMetadata}, and a resumable {@code sessionResumptionUpdate} (when the setup
 * asked for resumption). On {@code gemini-3.1-*} models the first audio chunk of a {@link #say}
 * carries the output transcription in the same message, and a {@link #text} right after audio
 * becomes a second part of the first audio message; on other models every part and transcription is
 * its own message. Not thread-safe: configure it inside the callback only.
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
    steps.add(new Step.Say(transcript, duration));
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
    steps.add(new Step.Say("", duration));
    return this;
  }

  /**
   * Sends a {@code modelTurn} text part.
   *
   * @param text the text
   * @return this reply
   */
  public Reply text(String text) {
    steps.add(new Step.Text(Objects.requireNonNull(text, "text")));
    return this;
  }

  /**
   * Sends an {@code outputTranscription} without audio.
   *
   * @param text the transcript
   * @return this reply
   */
  public Reply outputTranscript(String text) {
    steps.add(new Step.OutputTranscript(Objects.requireNonNull(text, "text")));
    return this;
  }

  /**
   * Sends an {@code inputTranscription}: what the fake model "heard" the user say.
   *
   * @param text the transcript
   * @return this reply
   */
  public Reply inputTranscript(String text) {
    steps.add(new Step.InputTranscript(Objects.requireNonNull(text, "text")));
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
    steps.add(new Step.CallTool(Objects.requireNonNull(name, "name"), Map.copyOf(args)));
    return this;
  }

  /**
   * Ends the reply as interrupted: {@code interrupted: true}, then {@code turnComplete}.
   *
   * @return this reply
   */
  public Reply interrupt() {
    steps.add(new Step.Interrupt());
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
    steps.add(new Step.GoAway(timeLeft));
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
    steps.add(new Step.Usage(promptTokens, responseTokens));
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
    steps.add(new Step.Pause(duration));
    return this;
  }

  /**
   * Waits until {@code release} completes (normally or exceptionally) before the next step, however
   * long that takes: for a test that must act while the reply is still going, on a test thread of
   * any speed. The turn stays open meanwhile; a barge-in or the end of the connection cuts the
   * reply as it cuts a {@link #pause}. The wait is not scaled by the script's speed.
   *
   * <pre>{@code
   * CompletableFuture<Void> asked = new CompletableFuture<>();
   * server.script(s -> s.onText("tell me a story").reply(r -> r
   *     .say("Once upon a time", Duration.ofMillis(500))
   *     .pauseUntil(asked)
   *     .say("they lived happily.")));
   * // ... act while the story is told, then:
   * asked.complete(null);
   * }</pre>
   *
   * @param release completes when the reply may go on; completed from any thread
   * @return this reply
   */
  public Reply pauseUntil(CompletionStage<?> release) {
    steps.add(new Step.Hold(Objects.requireNonNull(release, "release")));
    return this;
  }

  /**
   * Sends an {@code interimInputTranscription}: the low-latency, provisional text of what the user
   * is saying (3.8 models send it while the user speaks, before the final {@link
   * #inputTranscript}).
   *
   * @param text the interim transcript
   * @return this reply
   */
  public Reply interimInputTranscript(String text) {
    return message(ServerMessages.interimInputTranscript(Objects.requireNonNull(text, "text")));
  }

  /**
   * Sends {@code inputTranscription {finished: true}}: the user's transcript is complete.
   *
   * @return this reply
   */
  public Reply inputTranscriptFinished() {
    return message(ServerMessages.transcriptFinished("inputTranscription"));
  }

  /**
   * Sends {@code outputTranscription {finished: true}} (as Vertex AI does at the end of the model's
   * transcript).
   *
   * @return this reply
   */
  public Reply outputTranscriptFinished() {
    return message(ServerMessages.transcriptFinished("outputTranscription"));
  }

  /**
   * Sends a model-turn part {@code executableCode}: code the model wrote for the code execution
   * tool.
   *
   * @param language the language, e.g. {@code PYTHON}
   * @param code the source code
   * @return this reply
   */
  public Reply executableCode(String language, String code) {
    return message(
        ServerMessages.part(
            "executableCode",
            Map.of(
                "language",
                Objects.requireNonNull(language, "language"),
                "code",
                Objects.requireNonNull(code, "code"))));
  }

  /**
   * Sends a model-turn part {@code codeExecutionResult}.
   *
   * @param outcome the outcome, sent as {@code OUTCOME_<outcome>} ({@code UNSPECIFIED} sends {@code
   *     OUTCOME_UNSPECIFIED})
   * @param output what the code printed
   * @return this reply
   */
  public Reply codeExecutionResult(CodeExecutionResult.Outcome outcome, String output) {
    return message(
        ServerMessages.part(
            "codeExecutionResult",
            Map.of(
                "outcome",
                "OUTCOME_" + Objects.requireNonNull(outcome, "outcome").name(),
                "output",
                Objects.requireNonNull(output, "output"))));
  }

  /**
   * Sends {@code groundingMetadata} for one web search: the query, one source and a search entry
   * point.
   *
   * @param query the search query the model "ran"
   * @param uri the source's address
   * @param title the source's title
   * @return this reply
   */
  public Reply webSearch(String query, String uri, String title) {
    return message(
        ServerMessages.webSearch(
            Objects.requireNonNull(query, "query"),
            Objects.requireNonNull(uri, "uri"),
            Objects.requireNonNull(title, "title")));
  }

  /**
   * Sends {@code urlContextMetadata} for one page the URL context tool fetched.
   *
   * @param url the page's address
   * @param status its {@code urlRetrievalStatus}, e.g. {@code URL_RETRIEVAL_STATUS_SUCCESS}
   * @return this reply
   */
  public Reply urlContext(String url, String status) {
    return message(
        ServerMessages.urlContext(
            Objects.requireNonNull(url, "url"), Objects.requireNonNull(status, "status")));
  }

  /**
   * Sends {@code serverContent.interactionStatus} on its own, at this point of the reply.
   *
   * @param status the status to send
   * @return this reply
   */
  public Reply interactionStatus(InteractionStatus status) {
    return message(
        ServerMessages.interactionStatus(Objects.requireNonNull(status, "status").name()));
  }

  /**
   * Sends a top-level {@code voiceActivity} message.
   *
   * @param type start or end of the user's speech
   * @return this reply
   */
  public Reply voiceActivity(VoiceActivity.Type type) {
    return message(ServerMessages.voiceActivity(Objects.requireNonNull(type, "type").name()));
  }

  /**
   * Sends a top-level {@code voiceActivityDetectionSignal} message.
   *
   * @param signal start or end of speech
   * @return this reply
   */
  public Reply vadSignal(VadSignal signal) {
    Objects.requireNonNull(signal, "signal");
    return message(
        ServerMessages.vadSignal(
            signal == VadSignal.START_OF_SPEECH ? "VAD_SIGNAL_TYPE_SOS" : "VAD_SIGNAL_TYPE_EOS"));
  }

  /**
   * Sends a usage-only message with every count and per-modality breakdown of {@code usage}
   * (prompt, response, cache and tool-use details, thought tokens).
   *
   * @param usage the counts to send
   * @return this reply
   */
  public Reply usage(dev.geminilive.Usage usage) {
    return message(ServerMessages.usage(Objects.requireNonNull(usage, "usage")));
  }

  /**
   * Makes the reply's closing {@code turnComplete} carry {@code end}'s {@code turnCompleteReason},
   * {@code waitingForInput} and {@code interactionStatus} (each only when set). The last call wins.
   *
   * @param end what the turn's end carries
   * @return this reply
   */
  public Reply endWith(TurnComplete end) {
    steps.add(new Step.End(Objects.requireNonNull(end, "end")));
    return this;
  }

  /**
   * Sends {@code json}, a whole server message, as it is at this point of the reply: for fields the
   * other steps do not cover.
   *
   * @param json a JSON object, e.g. {@code {"serverContent": {"waitingForInput": true}}}
   * @return this reply
   * @throws IllegalArgumentException when {@code json} is not a JSON object
   */
  public Reply message(String json) {
    Objects.requireNonNull(json, "json");
    try {
      return message(Json.parseObject(json));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("not a JSON object: " + json, e);
    }
  }

  private Reply message(ObjectNode json) {
    steps.add(new Step.Message(json));
    return this;
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }
}
