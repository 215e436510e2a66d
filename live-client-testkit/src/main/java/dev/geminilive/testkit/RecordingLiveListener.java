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
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LiveListener} that records every event, for assertions in tests.
 *
 * <p>Each event becomes an {@link Event} in arrival order. Tests read them in one of two styles,
 * which can be mixed. In order, one event at a time, as OkHttp's {@code WebSocketRecorder} does:
 * each {@code assert*} method takes the next event, fails unless it is the one named, and returns
 * its value typed; {@link #assertNoMoreEvents()} fails on any event not taken yet:
 *
 * <pre>{@code
 * RecordingLiveListener events = new RecordingLiveListener().ignore(EventType.AUDIO, EventType.USAGE);
 * try (var session = server.sessionBuilder().listener(events).connect()) {
 *   events.assertOpen();
 *   session.sendText("hello");
 *   events.assertOutputTranscript("You said: hello");  // fragments are joined
 *   events.assertGenerationComplete();
 *   events.assertTurnComplete();
 * }
 * events.assertClosed();
 * events.assertNoMoreEvents();
 * }</pre>
 *
 * <p>Or by waiting for what matters: the {@code await*} methods block until a matching event has
 * arrived, looking at every event from the first (they do not move the cursor of the {@code
 * assert*} methods), and the accessors read what arrived so far:
 *
 * <pre>{@code
 * session.sendText("hello");
 * events.awaitTurnComplete(Duration.ofSeconds(5));
 * assertThat(events.outputTranscript()).isEqualTo("You said: hello");
 * }</pre>
 *
 * <p>Every wait blocks on the arrival of events (no polling) and fails after its timeout ({@link
 * #DEFAULT_TIMEOUT} unless given) with the events seen so far, runs of one type written once with a
 * count ({@code AUDIO ×23}).
 *
 * <p>Thread-safe: the session calls it on its event thread while the test reads it.
 */
public final class RecordingLiveListener implements LiveListener {
  /** The default time the {@code await*} methods wait. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * What kind of event was recorded, and the type of its {@linkplain Event#value() value}. (Named
   * so that it does not collide with {@code com.google.genai.types.Type} in tests that use both.)
   */
  public enum EventType {
    /** {@link LiveListener#onOpen}. */
    OPEN(Void.class),
    /** {@link LiveListener#onAudio}; the value is the {@link AudioChunk}. */
    AUDIO(AudioChunk.class),
    /** {@link LiveListener#onText}; the value is the text. */
    TEXT(String.class),
    /** {@link LiveListener#onThought}; the value is the text. */
    THOUGHT(String.class),
    /** {@link LiveListener#onInputTranscript}; the value is the text. */
    INPUT_TRANSCRIPT(String.class),
    /** {@link LiveListener#onOutputTranscript}; the value is the text. */
    OUTPUT_TRANSCRIPT(String.class),
    /** {@link LiveListener#onGenerationComplete}. */
    GENERATION_COMPLETE(Void.class),
    /** {@link LiveListener#onTurnComplete}; the value is the reason or null. */
    TURN_COMPLETE(String.class),
    /** {@link LiveListener#onInterrupted}. */
    INTERRUPTED(Void.class),
    /** {@link LiveListener#onToolCall}; the value is the {@link ToolCallEvent}. */
    TOOL_CALL(ToolCallEvent.class),
    /** {@link LiveListener#onToolResult}; the value is the response body. */
    TOOL_RESULT(JsonNode.class),
    /** {@link LiveListener#onToolCallCancelled}; the value is the list of ids. */
    TOOL_CALL_CANCELLED(List.class),
    /** {@link LiveListener#onGoAway}; the value is the time left. */
    GO_AWAY(Duration.class),
    /** {@link LiveListener#onReconnecting}; the value is the {@link Reconnecting} event. */
    RECONNECTING(Reconnecting.class),
    /** {@link LiveListener#onReconnected}; the value is the {@link ContextRestoration}. */
    RECONNECTED(ContextRestoration.class),
    /** {@link LiveListener#onUsage}; the value is the {@link Usage}. */
    USAGE(Usage.class),
    /** {@link LiveListener#onError}; the value is the exception. */
    ERROR(LiveException.class),
    /** {@link LiveListener#onClosed}. */
    CLOSED(Void.class),
    /** {@link LiveListener#onFailure}; the value is the exception. */
    FAILURE(LiveException.class);

    private final Class<?> valueType;

    EventType(Class<?> valueType) {
      this.valueType = valueType;
    }

    /**
     * The type of this event's value; {@code Void} for events without one.
     *
     * @return the value's class
     */
    public Class<?> valueType() {
      return valueType;
    }
  }

  /**
   * The former name of {@link EventType}, kept so that code written against it still compiles: each
   * constant is the {@link EventType} of the same name.
   *
   * @deprecated use {@link EventType}; this name collides with {@code com.google.genai.types.Type}
   */
  @Deprecated
  public interface Type {
    /** {@link EventType#OPEN}. */
    EventType OPEN = EventType.OPEN;

    /** {@link EventType#AUDIO}. */
    EventType AUDIO = EventType.AUDIO;

    /** {@link EventType#TEXT}. */
    EventType TEXT = EventType.TEXT;

    /** {@link EventType#THOUGHT}. */
    EventType THOUGHT = EventType.THOUGHT;

    /** {@link EventType#INPUT_TRANSCRIPT}. */
    EventType INPUT_TRANSCRIPT = EventType.INPUT_TRANSCRIPT;

    /** {@link EventType#OUTPUT_TRANSCRIPT}. */
    EventType OUTPUT_TRANSCRIPT = EventType.OUTPUT_TRANSCRIPT;

    /** {@link EventType#GENERATION_COMPLETE}. */
    EventType GENERATION_COMPLETE = EventType.GENERATION_COMPLETE;

    /** {@link EventType#TURN_COMPLETE}. */
    EventType TURN_COMPLETE = EventType.TURN_COMPLETE;

    /** {@link EventType#INTERRUPTED}. */
    EventType INTERRUPTED = EventType.INTERRUPTED;

    /** {@link EventType#TOOL_CALL}. */
    EventType TOOL_CALL = EventType.TOOL_CALL;

    /** {@link EventType#TOOL_RESULT}. */
    EventType TOOL_RESULT = EventType.TOOL_RESULT;

    /** {@link EventType#TOOL_CALL_CANCELLED}. */
    EventType TOOL_CALL_CANCELLED = EventType.TOOL_CALL_CANCELLED;

    /** {@link EventType#GO_AWAY}. */
    EventType GO_AWAY = EventType.GO_AWAY;

    /** {@link EventType#RECONNECTING}. */
    EventType RECONNECTING = EventType.RECONNECTING;

    /** {@link EventType#RECONNECTED}. */
    EventType RECONNECTED = EventType.RECONNECTED;

    /** {@link EventType#USAGE}. */
    EventType USAGE = EventType.USAGE;

    /** {@link EventType#ERROR}. */
    EventType ERROR = EventType.ERROR;

    /** {@link EventType#CLOSED}. */
    EventType CLOSED = EventType.CLOSED;

    /** {@link EventType#FAILURE}. */
    EventType FAILURE = EventType.FAILURE;
  }

  /**
   * One recorded event.
   *
   * @param type the kind of event
   * @param value its payload, or null for events without one
   * @param thread the name of the thread that delivered it
   */
  public record Event(EventType type, @Nullable Object value, String thread) {}

  /** Everything recorded; thread-safe on its own. */
  private final EventLog log = new EventLog();

  /** A listener that records everything but raw messages. */
  public RecordingLiveListener() {}

  /**
   * Also keeps every raw server message ({@link #rawMessages()}).
   *
   * @return this listener
   */
  public RecordingLiveListener recordRawMessages() {
    log.recordRaw();
    return this;
  }

  /**
   * Every event so far, in order.
   *
   * @return a snapshot of the events
   */
  public List<Event> events() {
    return log.events();
  }

  /**
   * The events of one type so far, in order.
   *
   * @param type the event type
   * @return a snapshot of the matching events
   */
  public List<Event> events(EventType type) {
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
  public <T> List<T> values(EventType type) {
    return events(type).stream().map(e -> (T) e.value()).toList();
  }

  /**
   * How many events of one type arrived.
   *
   * @param type the event type
   * @return the count
   */
  public int count(EventType type) {
    return events(type).size();
  }

  /**
   * The raw server messages, when {@link #recordRawMessages()} was called.
   *
   * @return a snapshot of the raw messages; empty if recording was not turned on
   */
  public List<JsonNode> rawMessages() {
    return log.raw();
  }

  /**
   * The output transcript fragments, joined.
   *
   * @return the joined transcript; empty if none
   */
  public String outputTranscript() {
    return String.join("", this.<String>values(EventType.OUTPUT_TRANSCRIPT));
  }

  /**
   * The input transcript fragments, joined.
   *
   * @return the joined transcript; empty if none
   */
  public String inputTranscript() {
    return String.join("", this.<String>values(EventType.INPUT_TRANSCRIPT));
  }

  /**
   * All model audio, concatenated.
   *
   * @return a new array with the audio bytes
   */
  public byte[] audioBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (AudioChunk c : this.<AudioChunk>values(EventType.AUDIO)) {
      out.writeBytes(c.pcm());
    }
    return out.toByteArray();
  }

  // ---- waiting for what matters ----

  /**
   * Waits until at least {@code n} events of a type have arrived and returns the n-th.
   *
   * @param type the event type
   * @param n the count to wait for, from 1
   * @param timeout the longest to wait
   * @return the n-th event of the type
   * @throws AssertionError when the timeout passes first
   */
  public Event await(EventType type, int n, Duration timeout) {
    return log.awaitMatching(e -> e.type() == type, n, timeout, n + " × " + type);
  }

  /**
   * Waits for the first event of a type.
   *
   * @param type the event type
   * @return the first event of the type
   */
  public Event await(EventType type) {
    return await(type, 1, DEFAULT_TIMEOUT);
  }

  /**
   * Waits until {@code n} turns have completed.
   *
   * @param n the turn count to wait for
   * @param timeout the longest to wait
   */
  public void awaitTurnComplete(int n, Duration timeout) {
    await(EventType.TURN_COMPLETE, n, timeout);
  }

  /** Waits for the first completed turn. */
  public void awaitTurnComplete() {
    await(EventType.TURN_COMPLETE);
  }

  /**
   * Waits until the session ended (closed or failed) and returns that event.
   *
   * @param timeout the longest to wait
   * @return the closed or failed event
   */
  public Event awaitEnd(Duration timeout) {
    return log.awaitMatching(
        e -> e.type() == EventType.CLOSED || e.type() == EventType.FAILURE,
        1,
        timeout,
        "CLOSED or FAILURE");
  }

  /**
   * Waits until the session failed and returns the failure.
   *
   * @param timeout the longest to wait
   * @return the failure
   */
  public LiveException awaitFailure(Duration timeout) {
    Event e = awaitEnd(timeout);
    if (e.type() != EventType.FAILURE) {
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
    return log.awaitMatching(matcher, n, timeout, what);
  }

  /**
   * Waits up to the timeout and fails if any event of this type arrives.
   *
   * @param type the event type
   * @param wait the time to watch for events
   */
  public void assertNone(EventType type, Duration wait) {
    log.assertNone(type, wait);
  }

  // ---- taking events in order ----

  /**
   * Takes the next event, in arrival order, waiting up to {@code timeout} for it. Each event is
   * taken once; events of the types passed to {@link #ignore} are stepped over. The {@code await*}
   * methods do not move this cursor: the two styles can be mixed.
   *
   * @param timeout the longest to wait
   * @return the next event
   * @throws AssertionError when none arrives in time
   */
  public Event next(Duration timeout) {
    return log.next(timeout);
  }

  /**
   * Takes the next event, waiting up to {@link #DEFAULT_TIMEOUT}.
   *
   * @return the next event
   * @throws AssertionError when none arrives in time
   */
  public Event next() {
    return next(DEFAULT_TIMEOUT);
  }

  /**
   * Takes the next event and checks that it is of {@code type}.
   *
   * @param type the type the next event must have
   * @return the event
   * @throws AssertionError when the next event is of another type, or none arrives in time
   */
  public Event next(EventType type) {
    return log.next(type, DEFAULT_TIMEOUT);
  }

  /**
   * Takes the next event, checks that it is of {@code type} and returns its value, typed as the
   * caller expects ({@link EventType#valueType()} says what it is).
   *
   * <pre>{@code
   * ToolCallEvent call = events.nextValue(EventType.TOOL_CALL);
   * String reason = events.nextValue(EventType.TURN_COMPLETE); // null when the service gave none
   * }</pre>
   *
   * @param <T> the value's type, {@code type.valueType()}
   * @param type the type the next event must have
   * @return the event's value; null only for events without one (and a turn without a reason)
   * @throws AssertionError when the next event is of another type, or none arrives in time
   */
  @SuppressWarnings("unchecked")
  public <T> @Nullable T nextValue(EventType type) {
    return (T) type.valueType().cast(next(type).value());
  }

  /**
   * Steps over events of these types in {@link #next}, the {@code assert*} methods and {@link
   * #assertNoMoreEvents()}, for example {@code AUDIO} and {@code USAGE} in a test about
   * transcripts.
   *
   * @param types the types to step over
   * @return this listener
   */
  public RecordingLiveListener ignore(EventType... types) {
    log.ignore(types);
    return this;
  }

  /**
   * Fails if an event that {@link #next} has not taken yet has arrived (not counting ignored
   * types). Call it when the session has ended, or in {@code @AfterEach}.
   *
   * @throws AssertionError naming the events left
   */
  public void assertNoMoreEvents() {
    log.assertNoMoreEvents();
  }

  /** Takes the next event, which must be {@link EventType#OPEN}. */
  public void assertOpen() {
    next(EventType.OPEN);
  }

  /**
   * Takes the next {@link EventType#AUDIO} event.
   *
   * @return the chunk
   */
  public AudioChunk assertAudio() {
    return (AudioChunk) next(EventType.AUDIO).value();
  }

  /**
   * Takes the next {@link EventType#TEXT} events, as many as make up {@code text} (text may arrive
   * in fragments).
   *
   * @param text the whole text expected
   */
  public void assertText(String text) {
    log.nextText(EventType.TEXT, text, DEFAULT_TIMEOUT);
  }

  /**
   * Takes the next {@link EventType#THOUGHT} events, as many as make up {@code text}.
   *
   * @param text the whole thought expected
   */
  public void assertThought(String text) {
    log.nextText(EventType.THOUGHT, text, DEFAULT_TIMEOUT);
  }

  /**
   * Takes the next {@link EventType#INPUT_TRANSCRIPT} events, as many as make up {@code text}.
   *
   * @param text the whole transcript expected
   */
  public void assertInputTranscript(String text) {
    log.nextText(EventType.INPUT_TRANSCRIPT, text, DEFAULT_TIMEOUT);
  }

  /**
   * Takes the next {@link EventType#OUTPUT_TRANSCRIPT} events, as many as make up {@code text}.
   *
   * @param text the whole transcript expected
   */
  public void assertOutputTranscript(String text) {
    log.nextText(EventType.OUTPUT_TRANSCRIPT, text, DEFAULT_TIMEOUT);
  }

  /** Takes the next event, which must be {@link EventType#GENERATION_COMPLETE}. */
  public void assertGenerationComplete() {
    next(EventType.GENERATION_COMPLETE);
  }

  /**
   * Takes the next event, which must be {@link EventType#TURN_COMPLETE}.
   *
   * @return the reason the service gave, or null
   */
  public @Nullable String assertTurnComplete() {
    return (String) next(EventType.TURN_COMPLETE).value();
  }

  /** Takes the next event, which must be {@link EventType#INTERRUPTED}. */
  public void assertInterrupted() {
    next(EventType.INTERRUPTED);
  }

  /**
   * Takes the next event, which must be a {@link EventType#TOOL_CALL} of the tool {@code name}.
   *
   * @param name the tool the call must be for
   * @return the call, with its id and arguments
   */
  public ToolCallEvent assertToolCall(String name) {
    ToolCallEvent call = (ToolCallEvent) next(EventType.TOOL_CALL).value();
    if (!call.name().equals(name)) {
      throw new AssertionError("expected a call of " + name + " but got one of " + call.name());
    }
    return call;
  }

  /**
   * Takes the next event, which must be a {@link EventType#TOOL_RESULT}.
   *
   * @return the response body sent to the model ({@code output} or {@code error})
   */
  public JsonNode assertToolResult() {
    return (JsonNode) next(EventType.TOOL_RESULT).value();
  }

  /**
   * Takes the next event, which must be a {@link EventType#TOOL_CALL_CANCELLED} of these ids.
   *
   * @param ids the ids the service cancelled, in its order
   */
  public void assertToolCallCancelled(String... ids) {
    Object got = next(EventType.TOOL_CALL_CANCELLED).value();
    if (!List.of(ids).equals(got)) {
      throw new AssertionError("expected the cancellation of " + List.of(ids) + " but got " + got);
    }
  }

  /**
   * Takes the next event, which must be {@link EventType#GO_AWAY}.
   *
   * @return the time the service said was left
   */
  public Duration assertGoAway() {
    return (Duration) next(EventType.GO_AWAY).value();
  }

  /**
   * Takes the next event, which must be {@link EventType#RECONNECTING}.
   *
   * @return the attempt, its delay and whether it was planned
   */
  public Reconnecting assertReconnecting() {
    return (Reconnecting) next(EventType.RECONNECTING).value();
  }

  /**
   * Takes the next event, which must be {@link EventType#RECONNECTED} with this restoration.
   *
   * @param restoration what the reconnect must have restored
   */
  public void assertReconnected(ContextRestoration restoration) {
    Object got = next(EventType.RECONNECTED).value();
    if (got != restoration) {
      throw new AssertionError("expected RECONNECTED(" + restoration + ") but got " + got);
    }
  }

  /**
   * Takes the next event, which must be {@link EventType#USAGE}.
   *
   * @return the usage
   */
  public Usage assertUsage() {
    return (Usage) next(EventType.USAGE).value();
  }

  /**
   * Takes the next event, which must be an {@link EventType#ERROR} (a problem the session recovered
   * from).
   *
   * @return the error
   */
  public LiveException assertError() {
    return (LiveException) next(EventType.ERROR).value();
  }

  /** Takes the next event, which must be {@link EventType#CLOSED}. */
  public void assertClosed() {
    next(EventType.CLOSED);
  }

  /**
   * Takes the next event, which must be {@link EventType#FAILURE}.
   *
   * @return the failure that ended the session
   */
  public LiveException assertFailure() {
    return (LiveException) next(EventType.FAILURE).value();
  }

  @Override
  public void onOpen(ResilientLiveSession session) {
    log.add(EventType.OPEN, null);
  }

  @Override
  public void onAudio(ResilientLiveSession session, AudioChunk chunk) {
    log.add(EventType.AUDIO, chunk);
  }

  @Override
  public void onText(ResilientLiveSession session, String text) {
    log.add(EventType.TEXT, text);
  }

  @Override
  public void onThought(ResilientLiveSession session, String text) {
    log.add(EventType.THOUGHT, text);
  }

  @Override
  public void onInputTranscript(ResilientLiveSession session, String text) {
    log.add(EventType.INPUT_TRANSCRIPT, text);
  }

  @Override
  public void onOutputTranscript(ResilientLiveSession session, String text) {
    log.add(EventType.OUTPUT_TRANSCRIPT, text);
  }

  @Override
  public void onGenerationComplete(ResilientLiveSession session) {
    log.add(EventType.GENERATION_COMPLETE, null);
  }

  @Override
  public void onTurnComplete(ResilientLiveSession session, @Nullable String reason) {
    log.add(EventType.TURN_COMPLETE, reason);
  }

  @Override
  public void onInterrupted(ResilientLiveSession session) {
    log.add(EventType.INTERRUPTED, null);
  }

  @Override
  public void onToolCall(ResilientLiveSession session, ToolCallEvent call) {
    log.add(EventType.TOOL_CALL, call);
  }

  @Override
  public void onToolResult(ResilientLiveSession session, ToolCallEvent call, JsonNode result) {
    log.add(EventType.TOOL_RESULT, result);
  }

  @Override
  public void onToolCallCancelled(ResilientLiveSession session, List<String> ids) {
    log.add(EventType.TOOL_CALL_CANCELLED, ids);
  }

  @Override
  public void onGoAway(ResilientLiveSession session, Duration timeLeft) {
    log.add(EventType.GO_AWAY, timeLeft);
  }

  @Override
  public void onReconnecting(ResilientLiveSession session, Reconnecting event) {
    log.add(EventType.RECONNECTING, event);
  }

  @Override
  public void onReconnected(ResilientLiveSession session, ContextRestoration restoration) {
    log.add(EventType.RECONNECTED, restoration);
  }

  @Override
  public void onUsage(ResilientLiveSession session, Usage usage) {
    log.add(EventType.USAGE, usage);
  }

  @Override
  public void onError(ResilientLiveSession session, LiveException error) {
    log.add(EventType.ERROR, error);
  }

  @Override
  public void onRawMessage(ResilientLiveSession session, JsonNode message) {
    log.addRaw(message);
  }

  @Override
  public void onClosed(ResilientLiveSession session) {
    log.add(EventType.CLOSED, null);
  }

  @Override
  public void onFailure(ResilientLiveSession session, LiveException failure) {
    log.add(EventType.FAILURE, failure);
  }
}
