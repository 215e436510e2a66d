package dev.geminilive.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.AudioChunk;
import dev.geminilive.CodeExecutionResult;
import dev.geminilive.ContextRestoration;
import dev.geminilive.ExecutableCode;
import dev.geminilive.GroundingMetadata;
import dev.geminilive.InteractionStatus;
import dev.geminilive.LiveException;
import dev.geminilive.LiveListener;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.TurnComplete;
import dev.geminilive.TurnCompleteReason;
import dev.geminilive.UrlContextMetadata;
import dev.geminilive.Usage;
import dev.geminilive.VadSignal;
import dev.geminilive.VoiceActivity;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
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
 * <p>Events can also be taken one at a time, in strict order, with typed values, as OkHttp's {@code
 * WebSocketRecorder} does:
 *
 * <pre>{@code
 * RecordingLiveListener events = new RecordingLiveListener().ignore(EventType.AUDIO, EventType.USAGE);
 * ...
 * events.next(EventType.OPEN);
 * assertThat(events.<String>nextValue(EventType.OUTPUT_TRANSCRIPT)).isEqualTo("Hi!");
 * events.next(EventType.GENERATION_COMPLETE);
 * events.next(EventType.TURN_COMPLETE);
 * events.assertNoMoreEvents();
 * }</pre>
 *
 * <p>A timed-out wait fails with the events seen so far, runs of one type written once with a count
 * ({@code AUDIO ×23}).
 *
 * <p>Thread-safe: the session calls it on its event thread while the test reads it.
 */
public final class RecordingLiveListener implements LiveListener {
  /** The default time the {@code await*} methods wait. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** How many runs of events a failure message shows at most (the latest). */
  private static final int SUMMARY_RUNS = 40;

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
    /**
     * {@link LiveListener#onTurnComplete(ResilientLiveSession, TurnComplete)}; the value is the
     * {@link TurnComplete} (reason, {@code waitingForInput}, interaction status).
     */
    TURN_COMPLETE(TurnComplete.class),
    /** {@link LiveListener#onInteractionStatus}; the value is the {@link InteractionStatus}. */
    INTERACTION_STATUS(InteractionStatus.class),
    /** {@link LiveListener#onInterimInputTranscript}; the value is the text. */
    INTERIM_INPUT_TRANSCRIPT(String.class),
    /** {@link LiveListener#onInputTranscriptFinished}. */
    INPUT_TRANSCRIPT_FINISHED(Void.class),
    /** {@link LiveListener#onOutputTranscriptFinished}. */
    OUTPUT_TRANSCRIPT_FINISHED(Void.class),
    /** {@link LiveListener#onExecutableCode}; the value is the {@link ExecutableCode}. */
    EXECUTABLE_CODE(ExecutableCode.class),
    /** {@link LiveListener#onCodeExecutionResult}; the value is the {@link CodeExecutionResult}. */
    CODE_EXECUTION_RESULT(CodeExecutionResult.class),
    /** {@link LiveListener#onGroundingMetadata}; the value is the {@link GroundingMetadata}. */
    GROUNDING_METADATA(GroundingMetadata.class),
    /** {@link LiveListener#onUrlContextMetadata}; the value is the {@link UrlContextMetadata}. */
    URL_CONTEXT_METADATA(UrlContextMetadata.class),
    /** {@link LiveListener#onVoiceActivity}; the value is the {@link VoiceActivity}. */
    VOICE_ACTIVITY(VoiceActivity.class),
    /** {@link LiveListener#onVadSignal}; the value is the {@link VadSignal}. */
    VAD_SIGNAL(VadSignal.class),
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

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final List<Event> events = new ArrayList<>();
  private boolean recordRaw;
  private final List<JsonNode> raw = new ArrayList<>();
  private final Set<EventType> ignored = EnumSet.noneOf(EventType.class);

  /** Index of the next event {@link #next} takes; guarded by {@code lock}. */
  private int cursor;

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

  private void add(EventType type, @Nullable Object value) {
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
    return awaitMatching(e -> e.type() == type, n, timeout, n + " × " + type);
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
    return awaitMatching(
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
    return waitFor(
        () -> {
          int seen = 0;
          for (Event e : events) {
            if (matcher.test(e) && ++seen == n) {
              return e;
            }
          }
          return null;
        },
        timeout,
        what);
  }

  /**
   * Waits, holding {@code lock} between looks, until {@code look} finds something (it runs with
   * {@code lock} held, after each new event), and fails with the events seen after {@code timeout}.
   */
  private <T> T waitFor(Supplier<@Nullable T> look, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        T found = look.get();
        if (found != null) {
          return found;
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
  public void assertNone(EventType type, Duration wait) {
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
    return waitFor(
        () -> {
          while (cursor < events.size()) {
            Event e = events.get(cursor++);
            if (!ignored.contains(e.type())) {
              return e;
            }
          }
          return null;
        },
        timeout,
        "the next event");
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
    Event e = next();
    if (e.type() != type) {
      throw new AssertionError(
          "expected " + type + " next but got " + describe(e) + "; events: " + summary());
    }
    return e;
  }

  /**
   * Takes the next event, checks that it is of {@code type} and returns its value, typed as the
   * caller expects ({@link EventType#valueType()} says what it is).
   *
   * <pre>{@code
   * ToolCallEvent call = events.nextValue(EventType.TOOL_CALL);
   * TurnComplete end = events.nextValue(EventType.TURN_COMPLETE); // end.reason() null if none
   * }</pre>
   *
   * @param <T> the value's type, {@code type.valueType()}
   * @param type the type the next event must have
   * @return the event's value; null only for events without one
   * @throws AssertionError when the next event is of another type, or none arrives in time
   */
  @SuppressWarnings("unchecked")
  public <T> @Nullable T nextValue(EventType type) {
    return (T) type.valueType().cast(next(type).value());
  }

  /**
   * Takes the next event and checks that it is of {@code type} with a value equal to {@code value}:
   * the strict-order form for the events whose values are small ({@code INTERACTION_STATUS}, {@code
   * VAD_SIGNAL}, {@code INTERIM_INPUT_TRANSCRIPT}, ...).
   *
   * @param type the type the next event must have
   * @param value the value it must carry
   * @return the event
   * @throws AssertionError when the next event differs, or none arrives in time
   */
  public Event assertNext(EventType type, Object value) {
    Event e = next(type);
    if (!value.equals(e.value())) {
      throw new AssertionError(
          "expected "
              + type
              + "("
              + value
              + ") next but got "
              + describe(e)
              + "; events: "
              + summary());
    }
    return e;
  }

  /**
   * Takes the next event, checks that it is the end of a turn with {@code reason} (null for a turn
   * that ended without one) and returns it.
   *
   * @param reason the reason the turn must carry, or null for none
   * @return the turn's end, with {@code waitingForInput} and the interaction status
   * @throws AssertionError when the next event differs, or none arrives in time
   */
  public TurnComplete assertTurnComplete(@Nullable TurnCompleteReason reason) {
    Event e = next(EventType.TURN_COMPLETE);
    TurnComplete turn = (TurnComplete) e.value();
    if (turn == null || turn.reason() != reason) {
      throw new AssertionError(
          "expected TURN_COMPLETE with reason "
              + reason
              + " next but got "
              + describe(e)
              + "; events: "
              + summary());
    }
    return turn;
  }

  /**
   * The interim input transcripts, in order (each is a provisional caption, not a fragment of
   * {@link #inputTranscript()}).
   *
   * @return a snapshot of the interim transcripts
   */
  public List<String> interimInputTranscripts() {
    return values(EventType.INTERIM_INPUT_TRANSCRIPT);
  }

  /**
   * Steps over events of these types in {@link #next} and {@link #assertNoMoreEvents()}, for
   * example {@code AUDIO} and {@code USAGE} in a test about transcripts.
   *
   * @param types the types to step over
   * @return this listener
   */
  public RecordingLiveListener ignore(EventType... types) {
    lock.lock();
    try {
      ignored.addAll(List.of(types));
      return this;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Fails if an event that {@link #next} has not taken yet has arrived (not counting ignored
   * types). Call it when the session has ended, or in {@code @AfterEach}.
   *
   * @throws AssertionError naming the events left
   */
  public void assertNoMoreEvents() {
    lock.lock();
    try {
      List<Event> left = new ArrayList<>();
      for (int i = cursor; i < events.size(); i++) {
        if (!ignored.contains(events.get(i).type())) {
          left.add(events.get(i));
        }
      }
      if (!left.isEmpty()) {
        throw new AssertionError("expected no more events but got " + summary(left));
      }
    } finally {
      lock.unlock();
    }
  }

  private String summary() {
    return summary(events);
  }

  /**
   * The events for a failure message: runs of one type are written once with a count ({@code AUDIO
   * ×23}), values shortened, and only the last {@value #SUMMARY_RUNS} runs shown.
   */
  private static String summary(List<Event> list) {
    List<String> runs = new ArrayList<>();
    int i = 0;
    while (i < list.size()) {
      EventType type = list.get(i).type();
      int end = i;
      while (end < list.size() && list.get(end).type() == type) {
        end++;
      }
      StringBuilder run = new StringBuilder(type.name());
      int count = end - i;
      if (count > 1) {
        run.append(" ×").append(count);
      }
      if (type != EventType.AUDIO) {
        List<String> values = new ArrayList<>();
        for (int k = i; k < end && k < i + 3; k++) {
          Object v = list.get(k).value();
          if (v != null && !TurnComplete.NORMAL.equals(v)) {
            values.add(shorten(String.valueOf(v)));
          }
        }
        if (!values.isEmpty()) {
          run.append('(').append(String.join(", ", values)).append(count > 3 ? ", …)" : ")");
        }
      }
      runs.add(run.toString());
      i = end;
    }
    if (runs.size() <= SUMMARY_RUNS) {
      return "[" + String.join(", ", runs) + "]";
    }
    int hidden = runs.size() - SUMMARY_RUNS;
    return "[… "
        + hidden
        + " earlier run"
        + (hidden == 1 ? "" : "s")
        + ", "
        + String.join(", ", runs.subList(hidden, runs.size()))
        + "]";
  }

  private static String describe(Event e) {
    Object v = e.value();
    return e.type() == EventType.AUDIO || v == null || TurnComplete.NORMAL.equals(v)
        ? e.type().name()
        : e.type() + "(" + shorten(String.valueOf(v)) + ")";
  }

  private static String shorten(String v) {
    return v.length() > 80 ? v.substring(0, 80) + "…" : v;
  }

  @Override
  public void onOpen(ResilientLiveSession session) {
    add(EventType.OPEN, null);
  }

  @Override
  public void onAudio(ResilientLiveSession session, AudioChunk chunk) {
    add(EventType.AUDIO, chunk);
  }

  @Override
  public void onText(ResilientLiveSession session, String text) {
    add(EventType.TEXT, text);
  }

  @Override
  public void onThought(ResilientLiveSession session, String text) {
    add(EventType.THOUGHT, text);
  }

  @Override
  public void onInputTranscript(ResilientLiveSession session, String text) {
    add(EventType.INPUT_TRANSCRIPT, text);
  }

  @Override
  public void onOutputTranscript(ResilientLiveSession session, String text) {
    add(EventType.OUTPUT_TRANSCRIPT, text);
  }

  @Override
  public void onGenerationComplete(ResilientLiveSession session) {
    add(EventType.GENERATION_COMPLETE, null);
  }

  @Override
  public void onTurnComplete(ResilientLiveSession session, @Nullable String reason) {
    add(EventType.TURN_COMPLETE, TurnComplete.of(reason, false, null));
  }

  @Override
  public void onTurnComplete(ResilientLiveSession session, TurnComplete turn) {
    add(EventType.TURN_COMPLETE, turn);
  }

  @Override
  public void onInteractionStatus(ResilientLiveSession session, InteractionStatus status) {
    add(EventType.INTERACTION_STATUS, status);
  }

  @Override
  public void onInterimInputTranscript(ResilientLiveSession session, String text) {
    add(EventType.INTERIM_INPUT_TRANSCRIPT, text);
  }

  @Override
  public void onInputTranscriptFinished(ResilientLiveSession session) {
    add(EventType.INPUT_TRANSCRIPT_FINISHED, null);
  }

  @Override
  public void onOutputTranscriptFinished(ResilientLiveSession session) {
    add(EventType.OUTPUT_TRANSCRIPT_FINISHED, null);
  }

  @Override
  public void onExecutableCode(ResilientLiveSession session, ExecutableCode code) {
    add(EventType.EXECUTABLE_CODE, code);
  }

  @Override
  public void onCodeExecutionResult(ResilientLiveSession session, CodeExecutionResult result) {
    add(EventType.CODE_EXECUTION_RESULT, result);
  }

  @Override
  public void onGroundingMetadata(ResilientLiveSession session, GroundingMetadata grounding) {
    add(EventType.GROUNDING_METADATA, grounding);
  }

  @Override
  public void onUrlContextMetadata(ResilientLiveSession session, UrlContextMetadata urlContext) {
    add(EventType.URL_CONTEXT_METADATA, urlContext);
  }

  @Override
  public void onVoiceActivity(ResilientLiveSession session, VoiceActivity activity) {
    add(EventType.VOICE_ACTIVITY, activity);
  }

  @Override
  public void onVadSignal(ResilientLiveSession session, VadSignal signal) {
    add(EventType.VAD_SIGNAL, signal);
  }

  @Override
  public void onInterrupted(ResilientLiveSession session) {
    add(EventType.INTERRUPTED, null);
  }

  @Override
  public void onToolCall(ResilientLiveSession session, ToolCallEvent call) {
    add(EventType.TOOL_CALL, call);
  }

  @Override
  public void onToolResult(ResilientLiveSession session, ToolCallEvent call, JsonNode result) {
    add(EventType.TOOL_RESULT, result);
  }

  @Override
  public void onToolCallCancelled(ResilientLiveSession session, List<String> ids) {
    add(EventType.TOOL_CALL_CANCELLED, ids);
  }

  @Override
  public void onGoAway(ResilientLiveSession session, Duration timeLeft) {
    add(EventType.GO_AWAY, timeLeft);
  }

  @Override
  public void onReconnecting(ResilientLiveSession session, Reconnecting event) {
    add(EventType.RECONNECTING, event);
  }

  @Override
  public void onReconnected(ResilientLiveSession session, ContextRestoration restoration) {
    add(EventType.RECONNECTED, restoration);
  }

  @Override
  public void onUsage(ResilientLiveSession session, Usage usage) {
    add(EventType.USAGE, usage);
  }

  @Override
  public void onError(ResilientLiveSession session, LiveException error) {
    add(EventType.ERROR, error);
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
    add(EventType.CLOSED, null);
  }

  @Override
  public void onFailure(ResilientLiveSession session, LiveException failure) {
    add(EventType.FAILURE, failure);
  }
}
