package dev.geminilive.examples.coach;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.geminilive.ContextRestoration;
import dev.geminilive.LiveException;
import dev.geminilive.LiveListener;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.flow.StageChange;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LiveListener} that prints a readable, timestamped transcript of a call: what the user
 * said, what the agent said (from the output transcription, flushed at the end of each turn or
 * before a tool call), every tool call with its arguments and result, every {@code goAway} and
 * reconnect, and how the session ended.
 *
 * <p>It also counts turns, {@code goAway}s and reconnects so a scripted client can wait for them.
 * Listener methods run on the session's dispatch thread; {@link #user}, the {@code await*} methods
 * and {@link #lines()} may be called from any thread (all state is guarded by {@code this}).
 */
public final class Transcript implements LiveListener {
  // Sorted keys: the service (and the fake) send arguments in no particular order.
  private static final ObjectMapper SORTED =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private final PrintStream out;
  private final String agentName;
  private final LongSupplier nanoTime;
  private final long start;
  private final List<String> lines = new ArrayList<>();
  private final StringBuilder agentSpeech = new StringBuilder();
  private final StringBuilder userSpeech = new StringBuilder();
  private int turnsCompleted;
  private int goAways;
  private int reconnects;
  private boolean ended;
  private @Nullable LiveException failure;

  /** Prints to {@code out}, naming the agent {@code agentName}; timestamps count from now. */
  public Transcript(PrintStream out, String agentName) {
    this(out, agentName, System::nanoTime);
  }

  Transcript(PrintStream out, String agentName, LongSupplier nanoTime) {
    this.out = Objects.requireNonNull(out, "out");
    this.agentName = Objects.requireNonNull(agentName, "agentName");
    this.nanoTime = nanoTime;
    this.start = nanoTime.getAsLong();
  }

  /** Prints a line the user said (or typed). */
  public synchronized void user(String text) {
    print("You", text);
  }

  /** Prints a note from the program itself. */
  public synchronized void note(String text) {
    print("--", text);
  }

  /** Every line printed so far, with timestamps. */
  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  /** How many agent turns have completed. */
  public synchronized int turnsCompleted() {
    return turnsCompleted;
  }

  /** How many {@code goAway}s the service sent. */
  public synchronized int goAways() {
    return goAways;
  }

  /** How many times the session came back on a new connection. */
  public synchronized int reconnects() {
    return reconnects;
  }

  /**
   * Waits until at least {@code n} agent turns have completed.
   *
   * @throws IllegalStateException when the session ended first or the wait timed out
   */
  public void awaitTurnsCompleted(int n, Duration timeout) throws InterruptedException {
    awaitUntil(() -> turnsCompleted >= n, timeout, "agent turn " + n + " to complete");
  }

  /** Waits until the session is back on a new connection for the {@code n}th time. */
  public void awaitReconnects(int n, Duration timeout) throws InterruptedException {
    awaitUntil(() -> reconnects >= n, timeout, "reconnect " + n);
  }

  private synchronized void awaitUntil(BooleanSupplier condition, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (ended) {
        throw new IllegalStateException(
            "The session ended while waiting for "
                + what
                + (failure != null ? ": " + failure.getMessage() : ""));
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IllegalStateException(
            "Timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  @Override
  public synchronized void onOpen(ResilientLiveSession session) {
    note("connected to " + session.spec().model());
  }

  @Override
  public synchronized void onOutputTranscript(ResilientLiveSession session, String text) {
    appendFragment(agentSpeech, text);
  }

  @Override
  public synchronized void onInputTranscript(ResilientLiveSession session, String text) {
    appendFragment(userSpeech, text);
  }

  @Override
  public synchronized void onTurnComplete(ResilientLiveSession session, @Nullable String reason) {
    flushSpeech();
    turnsCompleted++;
    notifyAll();
  }

  @Override
  public synchronized void onInterrupted(ResilientLiveSession session) {
    flushSpeech();
    note("(interrupted)");
  }

  @Override
  public synchronized void onToolCall(ResilientLiveSession session, ToolCallEvent call) {
    flushSpeech();
    print("tool", call.name() + " " + sorted(call.args()));
  }

  @Override
  public synchronized void onToolResult(
      ResilientLiveSession session, ToolCallEvent call, JsonNode result) {
    print("tool", "  -> " + sorted(result));
  }

  @Override
  public synchronized void onToolCallCancelled(ResilientLiveSession session, List<String> ids) {
    print("tool", "cancelled " + ids);
  }

  @Override
  public synchronized void onStageChanged(ResilientLiveSession session, StageChange change) {
    flushSpeech();
    print("--", "stage " + change.from() + " -> " + change.to() + " (" + change.trigger() + ")");
  }

  @Override
  public synchronized void onGoAway(ResilientLiveSession session, Duration timeLeft) {
    flushSpeech();
    goAways++;
    note(
        "goAway: the service ends this connection in "
            + timeLeft.toMillis() / 1000.0
            + " s; the session moves to a new one at the next pause");
    notifyAll();
  }

  @Override
  public synchronized void onReconnecting(ResilientLiveSession session, Reconnecting event) {
    flushSpeech();
    note(
        (event.planned() ? "moving to a new connection" : "connection lost, reconnecting")
            + " (attempt "
            + event.attempt()
            + "): "
            + event.cause());
  }

  @Override
  public synchronized void onReconnected(
      ResilientLiveSession session, ContextRestoration restoration) {
    reconnects++;
    note(
        "reconnected: "
            + switch (restoration) {
              case RESUMED -> "resumed with the resumption handle, the conversation is intact";
              case REBUILT_FROM_HISTORY -> "fresh session seeded with the conversation so far";
              case LOST -> "fresh session, the earlier conversation is lost";
            });
    notifyAll();
  }

  @Override
  public synchronized void onError(ResilientLiveSession session, LiveException error) {
    note("recovered from: " + error.getMessage());
  }

  @Override
  public synchronized void onClosed(ResilientLiveSession session) {
    flushSpeech();
    note("session closed");
    ended = true;
    notifyAll();
  }

  @Override
  public synchronized void onFailure(ResilientLiveSession session, LiveException failure) {
    flushSpeech();
    note("session failed: " + failure.getMessage());
    this.failure = failure;
    ended = true;
    notifyAll();
  }

  /**
   * Appends a transcription fragment. The service's fragments carry their own spaces; a fragment
   * that starts a new sentence right after one that ended gets a space.
   */
  private static void appendFragment(StringBuilder speech, String fragment) {
    int n = speech.length();
    if (n > 0
        && ".!?".indexOf(speech.charAt(n - 1)) >= 0
        && !fragment.isEmpty()
        && Character.isLetterOrDigit(fragment.charAt(0))) {
      speech.append(' ');
    }
    speech.append(fragment);
  }

  private void flushSpeech() {
    if (userSpeech.length() > 0) {
      print("You (heard)", userSpeech.toString().trim());
      userSpeech.setLength(0);
    }
    if (agentSpeech.length() > 0) {
      print(agentName, agentSpeech.toString().trim());
      agentSpeech.setLength(0);
    }
  }

  private static String sorted(JsonNode json) {
    try {
      return SORTED.writeValueAsString(SORTED.convertValue(json, Object.class));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return json.toString();
    }
  }

  private void print(String who, String text) {
    long ms = TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - start);
    String line =
        String.format(
            "[%02d:%02d.%03d] %-6s %s", ms / 60_000, ms / 1000 % 60, ms % 1000, who, text);
    lines.add(line);
    out.println(line);
    out.flush();
  }
}
