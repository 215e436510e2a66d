package dev.geminilive.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.AudioChunk;
import dev.geminilive.ContextRestoration;
import dev.geminilive.LiveException;
import dev.geminilive.LiveListener;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.Usage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LiveListener} that records every event, for assertions in tests.
 *
 * <p>Each event becomes an {@link Event} in arrival order. The {@code await*} methods block until a
 * matching event has arrived (or fail after the timeout), so tests need no sleeps:
 *
 * <pre>{@code
 * RecordingLiveListener events = new RecordingLiveListener();
 * try (var session = server.sessionBuilder().listener(events).connect()) {
 *   session.sendText("hello");
 *   events.awaitTurnComplete(Duration.ofSeconds(5));
 *   assertThat(events.outputTranscript()).isEqualTo("You said: hello");
 * }
 * }</pre>
 *
 * <p>Thread-safe: the session calls it on its event thread while the test reads it.
 */
public final class RecordingLiveListener implements LiveListener {
  /** The default time the {@code await*} methods wait. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** What kind of event was recorded. */
  public enum Type {
    /** {@link LiveListener#onOpen}. */
    OPEN,
    /** {@link LiveListener#onAudio}; the value is the {@link AudioChunk}. */
    AUDIO,
    /** {@link LiveListener#onText}; the value is the text. */
    TEXT,
    /** {@link LiveListener#onThought}; the value is the text. */
    THOUGHT,
    /** {@link LiveListener#onInputTranscript}; the value is the text. */
    INPUT_TRANSCRIPT,
    /** {@link LiveListener#onOutputTranscript}; the value is the text. */
    OUTPUT_TRANSCRIPT,
    /** {@link LiveListener#onGenerationComplete}. */
    GENERATION_COMPLETE,
    /** {@link LiveListener#onTurnComplete}; the value is the reason or null. */
    TURN_COMPLETE,
    /** {@link LiveListener#onInterrupted}. */
    INTERRUPTED,
    /** {@link LiveListener#onToolCall}; the value is the {@link ToolCallEvent}. */
    TOOL_CALL,
    /** {@link LiveListener#onToolResult}; the value is the response body. */
    TOOL_RESULT,
    /** {@link LiveListener#onToolCallCancelled}; the value is the list of ids. */
    TOOL_CALL_CANCELLED,
    /** {@link LiveListener#onGoAway}; the value is the time left. */
    GO_AWAY,
    /** {@link LiveListener#onReconnecting}; the value is the {@link Reconnecting} event. */
    RECONNECTING,
    /** {@link LiveListener#onReconnected}; the value is the {@link ContextRestoration}. */
    RECONNECTED,
    /** {@link LiveListener#onUsage}; the value is the {@link Usage}. */
    USAGE,
    /** {@link LiveListener#onError}; the value is the exception. */
    ERROR,
    /** {@link LiveListener#onClosed}. */
    CLOSED,
    /** {@link LiveListener#onFailure}; the value is the exception. */
    FAILURE
  }

  /**
   * One recorded event.
   *
   * @param type the kind of event
   * @param value its payload, or null for events without one
   * @param thread the name of the thread that delivered it
   */
  public record Event(Type type, @Nullable Object value, String thread) {}

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final List<Event> events = new ArrayList<>();
  private boolean recordRaw;
  private final List<JsonNode> raw = new ArrayList<>();

  /** A listener that records everything but raw messages. */
  public RecordingLiveListener() {}

  /**
   * Also keeps every raw server message ({@link #rawMessages()}).
   *
   * @return this listener
   */
  public RecordingLiveListener recordRawMessages() {
    lock.lock();
    try {
      recordRaw = true;
      return this;
    } finally {
      lock.unlock();
    }
  }

  private void add(Type type, @Nullable Object value) {
    lock.lock();
    try {
      events.add(new Event(type, value, Thread.currentThread().getName()));
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Every event so far, in order.
   *
   * @return a snapshot of the events
   */
  public List<Event> events() {
    lock.lock();
    try {
      return List.copyOf(events);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The events of one type so far, in order.
   *
   * @param type the event type
   * @return a snapshot of the matching events
   */
  public List<Event> events(Type type) {
    return events().stream().filter(e -> e.type() == type).toList();
  }

  /**
   * The payloads of the events of one type, in order.
   *
   * @param <T> the payload type the caller expects
   * @param type the event type
   * @return a snapshot of the payloads
   */
  @SuppressWarnings("unchecked")
  public <T> List<T> values(Type type) {
    return events(type).stream().map(e -> (T) e.value()).toList();
  }

  /**
   * How many events of one type arrived.
   *
   * @param type the event type
   * @return the count
   */
  public int count(Type type) {
    return events(type).size();
  }

  /**
   * The raw server messages, when {@link #recordRawMessages()} was called.
   *
   * @return a snapshot of the raw messages; empty if recording was not turned on
   */
  public List<JsonNode> rawMessages() {
    lock.lock();
    try {
      return List.copyOf(raw);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The output transcript fragments, joined.
   *
   * @return the joined transcript; empty if none
   */
  public String outputTranscript() {
    return String.join("", this.<String>values(Type.OUTPUT_TRANSCRIPT));
  }

  /**
   * The input transcript fragments, joined.
   *
   * @return the joined transcript; empty if none
   */
  public String inputTranscript() {
    return String.join("", this.<String>values(Type.INPUT_TRANSCRIPT));
  }

  /**
   * All model audio, concatenated.
   *
   * @return a new array with the audio bytes
   */
  public byte[] audioBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (AudioChunk c : this.<AudioChunk>values(Type.AUDIO)) {
      out.writeBytes(c.pcm());
    }
    return out.toByteArray();
  }

  /**
   * Waits until at least {@code n} events of a type have arrived and returns the n-th.
   *
   * @param type the event type
   * @param n the count to wait for, from 1
   * @param timeout the longest to wait
   * @return the n-th event of the type
   * @throws AssertionError when the timeout passes first
   */
  public Event await(Type type, int n, Duration timeout) {
    return awaitMatching(e -> e.type() == type, n, timeout, n + " × " + type);
  }

  /**
   * Waits for the first event of a type.
   *
   * @param type the event type
   * @return the first event of the type
   */
  public Event await(Type type) {
    return await(type, 1, DEFAULT_TIMEOUT);
  }

  /**
   * Waits until {@code n} turns have completed.
   *
   * @param n the turn count to wait for
   * @param timeout the longest to wait
   */
  public void awaitTurnComplete(int n, Duration timeout) {
    await(Type.TURN_COMPLETE, n, timeout);
  }

  /** Waits for the first completed turn. */
  public void awaitTurnComplete() {
    await(Type.TURN_COMPLETE);
  }

  /**
   * Waits until the session ended (closed or failed) and returns that event.
   *
   * @param timeout the longest to wait
   * @return the closed or failed event
   */
  public Event awaitEnd(Duration timeout) {
    return awaitMatching(
        e -> e.type() == Type.CLOSED || e.type() == Type.FAILURE, 1, timeout, "CLOSED or FAILURE");
  }

  /**
   * Waits until the session failed and returns the failure.
   *
   * @param timeout the longest to wait
   * @return the failure
   */
  public LiveException awaitFailure(Duration timeout) {
    Event e = awaitEnd(timeout);
    if (e.type() != Type.FAILURE) {
      throw new AssertionError("the session closed normally instead of failing");
    }
    return (LiveException) e.value();
  }

  /**
   * Waits for the n-th event matching a predicate.
   *
   * @param matcher the test on each event
   * @param n the count to wait for, from 1
   * @param timeout the longest to wait
   * @param what a description of the awaited event, for the failure message
   * @return the n-th matching event
   */
  public Event awaitMatching(Predicate<Event> matcher, int n, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        int seen = 0;
        for (Event e : events) {
          if (matcher.test(e) && ++seen == n) {
            return e;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "timed out after "
                  + timeout.toMillis()
                  + " ms waiting for "
                  + what
                  + "; events: "
                  + summary());
        }
        arrived.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + what, e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits up to the timeout and fails if any event of this type arrives.
   *
   * @param type the event type
   * @param wait the time to watch for events
   */
  public void assertNone(Type type, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    lock.lock();
    try {
      while (true) {
        for (Event e : events) {
          if (e.type() == type) {
            throw new AssertionError("unexpected " + type + ": " + e.value());
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        arrived.await(left, TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  private String summary() {
    StringBuilder sb = new StringBuilder("[");
    for (Event e : events) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(e.type());
      if (e.type() != Type.AUDIO && e.value() != null) {
        String v = String.valueOf(e.value());
        sb.append('(').append(v.length() > 80 ? v.substring(0, 80) + "…" : v).append(')');
      }
    }
    return sb.append(']').toString();
  }

  @Override
  public void onOpen(ResilientLiveSession session) {
    add(Type.OPEN, null);
  }

  @Override
  public void onAudio(ResilientLiveSession session, AudioChunk chunk) {
    add(Type.AUDIO, chunk);
  }

  @Override
  public void onText(ResilientLiveSession session, String text) {
    add(Type.TEXT, text);
  }

  @Override
  public void onThought(ResilientLiveSession session, String text) {
    add(Type.THOUGHT, text);
  }

  @Override
  public void onInputTranscript(ResilientLiveSession session, String text) {
    add(Type.INPUT_TRANSCRIPT, text);
  }

  @Override
  public void onOutputTranscript(ResilientLiveSession session, String text) {
    add(Type.OUTPUT_TRANSCRIPT, text);
  }

  @Override
  public void onGenerationComplete(ResilientLiveSession session) {
    add(Type.GENERATION_COMPLETE, null);
  }

  @Override
  public void onTurnComplete(ResilientLiveSession session, @Nullable String reason) {
    add(Type.TURN_COMPLETE, reason);
  }

  @Override
  public void onInterrupted(ResilientLiveSession session) {
    add(Type.INTERRUPTED, null);
  }

  @Override
  public void onToolCall(ResilientLiveSession session, ToolCallEvent call) {
    add(Type.TOOL_CALL, call);
  }

  @Override
  public void onToolResult(ResilientLiveSession session, ToolCallEvent call, JsonNode result) {
    add(Type.TOOL_RESULT, result);
  }

  @Override
  public void onToolCallCancelled(ResilientLiveSession session, List<String> ids) {
    add(Type.TOOL_CALL_CANCELLED, ids);
  }

  @Override
  public void onGoAway(ResilientLiveSession session, Duration timeLeft) {
    add(Type.GO_AWAY, timeLeft);
  }

  @Override
  public void onReconnecting(ResilientLiveSession session, Reconnecting event) {
    add(Type.RECONNECTING, event);
  }

  @Override
  public void onReconnected(ResilientLiveSession session, ContextRestoration restoration) {
    add(Type.RECONNECTED, restoration);
  }

  @Override
  public void onUsage(ResilientLiveSession session, Usage usage) {
    add(Type.USAGE, usage);
  }

  @Override
  public void onError(ResilientLiveSession session, LiveException error) {
    add(Type.ERROR, error);
  }

  @Override
  public void onRawMessage(ResilientLiveSession session, JsonNode message) {
    lock.lock();
    try {
      if (recordRaw) {
        raw.add(message);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void onClosed(ResilientLiveSession session) {
    add(Type.CLOSED, null);
  }

  @Override
  public void onFailure(ResilientLiveSession session, LiveException failure) {
    add(Type.FAILURE, failure);
  }
}
