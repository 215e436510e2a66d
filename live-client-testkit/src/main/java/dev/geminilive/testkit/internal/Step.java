package dev.geminilive.testkit.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminilive.TurnComplete;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * One step of a fake model reply, as {@code Reply} collects them and the session engine plays them.
 * Immutable.
 */
public sealed interface Step {
  /** Audio of {@code duration} with {@code transcript} as its output transcription. */
  record Say(String transcript, Duration duration) implements Step {}

  /** A text part. */
  record Text(String text) implements Step {}

  /** An output transcription message of its own. */
  record OutputTranscript(String text) implements Step {}

  /** An input transcription message. */
  record InputTranscript(String text) implements Step {}

  /** A tool call; the reply continues when it is answered (or at once when it does not block). */
  record CallTool(String name, Map<String, ?> args) implements Step {}

  /** Ends the reply as interrupted. */
  record Interrupt() implements Step {}

  /** A {@code goAway}, then a 1011 close when {@code timeLeft} has run out. */
  record GoAway(Duration timeLeft) implements Step {}

  /** A usage-only message. */
  record Usage(int promptTokens, int responseTokens) implements Step {}

  /** A gap in the reply. */
  record Pause(Duration duration) implements Step {}

  /** A gap in the reply until {@code release} completes. */
  record Hold(CompletionStage<?> release) implements Step {}

  /** A server message sent as it is, at its place in the reply. */
  record Message(ObjectNode json) implements Step {}

  /** What the reply's closing {@code turnComplete} carries beside it. */
  record End(TurnComplete end) implements Step {}
}
