package dev.geminilive.testkit.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminilive.TurnComplete;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One reply being emitted by a session's {@link TurnTaking}: the actions still to play, turned from
 * the script's {@link Step}s, and what the model said so far (for the history and the usage count).
 * Owned by the server thread; not thread-safe.
 */
final class Generation {
  private final ServerEngine server;
  final ConnectionEngine conn;
  final Deque<Action> actions = new ArrayDeque<>();
  final StringBuilder transcript = new StringBuilder();
  final StringBuilder text = new StringBuilder();
  long audioMillis;
  int textChars;
  boolean waitingForTool;
  boolean awaitingAsync;
  final List<String> asyncCalls = new ArrayList<>();
  boolean cancelled;
  boolean scriptedStatus;
  @Nullable TurnComplete end;
  @Nullable ScheduledFuture<?> timer;

  Generation(ServerEngine server, ConnectionEngine conn) {
    this.server = server;
    this.conn = conn;
  }

  void schedule(Runnable r, long nanos) {
    timer = server.schedule(r, nanos, TimeUnit.NANOSECONDS);
  }

  void cancel() {
    cancelled = true;
    if (timer != null) {
      timer.cancel(false);
    }
  }

  /** The response tokens the usage counts for what was said so far. */
  int responseTokens() {
    return (int) (audioMillis / 40 + textChars / 4);
  }

  /** Whether the script's steps send a {@code serverContent.<field>} message of their own. */
  private static boolean scripts(List<Step> steps, String field) {
    return steps.stream()
        .anyMatch(s -> s instanceof Step.Message m && m.json().path("serverContent").has(field));
  }

  /**
   * Appends the actions of the script's {@code steps}, answering input that came on {@code from},
   * to what is left to play; {@code session} says how the model behaves, which tools it calls
   * BLOCKING and how usage is counted. Called with the session's lock held.
   */
  void addSteps(ConnectionEngine from, List<Step> steps, TurnTaking session) {
    List<Action> out = new ArrayList<>();
    scriptedStatus |= scripts(steps, "interactionStatus");
    Duration chunk = session.audioChunk();
    boolean multi = from.multiPart();
    ObjectNode lastAudio = null;
    for (Step step : steps) {
      if (step instanceof Step.Say say) {
        Duration left = say.duration();
        boolean first = true;
        while (!left.isZero() && !left.isNegative()) {
          Duration d = left.compareTo(chunk) < 0 ? left : chunk;
          left = left.minus(d);
          ObjectNode content = Json.object();
          ArrayNode parts = content.putObject("modelTurn").putArray("parts");
          ObjectNode blob = parts.addObject().putObject("inlineData");
          blob.put("mimeType", "audio/pcm;rate=" + Pcm.OUTPUT_SAMPLE_RATE_HZ);
          blob.put(
              "data",
              Base64.getEncoder().encodeToString(Pcm.speechLike(d, Pcm.OUTPUT_SAMPLE_RATE_HZ)));
          if (first && multi && !say.transcript().isEmpty()) {
            content.putObject("outputTranscription").put("text", say.transcript());
          }
          ObjectNode msg = Json.object();
          msg.set("serverContent", content);
          out.add(new Action.Send(msg, d));
          if (first && !multi && !say.transcript().isEmpty()) {
            out.add(
                new Action.Send(
                    serverContent("outputTranscription", say.transcript()), Duration.ZERO));
          }
          if (first) {
            lastAudio = content;
          }
          first = false;
        }
        transcript
            .append(transcript.length() > 0 && !say.transcript().isEmpty() ? " " : "")
            .append(say.transcript());
        audioMillis += say.duration().toMillis();
        continue;
      }
      if (step instanceof Step.Text text) {
        textChars += text.text().length();
        if (transcript.length() == 0) {
          this.text.append(text.text());
        }
        if (multi && lastAudio != null) {
          ((ArrayNode) lastAudio.path("modelTurn").path("parts"))
              .addObject()
              .put("text", text.text());
        } else {
          ObjectNode content = Json.object();
          content.putObject("modelTurn").putArray("parts").addObject().put("text", text.text());
          ObjectNode msg = Json.object();
          msg.set("serverContent", content);
          out.add(new Action.Send(msg, Duration.ZERO));
        }
      } else if (step instanceof Step.OutputTranscript t) {
        transcript.append(t.text());
        out.add(new Action.Send(serverContent("outputTranscription", t.text()), Duration.ZERO));
      } else if (step instanceof Step.InputTranscript t) {
        if (session.behaviourNow().interimTranscripts()
            && !scripts(steps, "interimInputTranscription")) {
          // Low-latency text first, word by word, as while the user was still speaking.
          StringBuilder heard = new StringBuilder();
          for (String word : t.text().trim().split("\\s+")) {
            heard.append(heard.length() == 0 ? "" : " ").append(word);
            out.add(
                new Action.Send(
                    ServerMessages.interimInputTranscript(heard.toString()), Duration.ZERO));
          }
        }
        out.add(new Action.Send(serverContent("inputTranscription", t.text()), Duration.ZERO));
      } else if (step instanceof Step.CallTool call) {
        boolean blocking = session.blocks(call.name());
        out.add(new Action.CallTool(call.name(), call.args(), blocking));
        if (blocking) {
          break;
        }
      } else if (step instanceof Step.Interrupt) {
        out.add(new Action.Interrupt());
      } else if (step instanceof Step.GoAway goAway) {
        out.add(new Action.GoAway(goAway.timeLeft()));
      } else if (step instanceof Step.Usage u) {
        ObjectNode msg = Json.object();
        msg.set("usageMetadata", session.usage(u.promptTokens(), u.responseTokens()));
        out.add(new Action.Send(msg, Duration.ZERO));
      } else if (step instanceof Step.Pause p) {
        out.add(new Action.Pause(p.duration()));
      } else if (step instanceof Step.Hold h) {
        out.add(new Action.Hold(h.release()));
      } else if (step instanceof Step.Message m) {
        out.add(new Action.Send(m.json().deepCopy(), Duration.ZERO));
      } else if (step instanceof Step.End end) {
        this.end = end.end();
      }
      lastAudio = null;
    }
    actions.addAll(out);
  }

  private static ObjectNode serverContent(String field, String text) {
    ObjectNode msg = Json.object();
    msg.putObject("serverContent").putObject(field).put("text", text);
    return msg;
  }

  /** What the reply does next, in order. */
  sealed interface Action {
    record Send(ObjectNode message, Duration after) implements Action {}

    record Pause(Duration duration) implements Action {}

    record Hold(CompletionStage<?> release) implements Action {}

    record CallTool(String name, Map<String, ?> args, boolean blocking) implements Action {}

    record GoAway(Duration timeLeft) implements Action {}

    record Interrupt() implements Action {}
  }
}
