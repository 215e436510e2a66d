package dev.geminilive.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.AudioChunk;
import dev.geminilive.ContextRestoration;
import dev.geminilive.LiveException;
import dev.geminilive.Reconnecting;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.TurnComplete;
import dev.geminilive.TurnCompleteReason;
import dev.geminilive.Usage;
import dev.geminilive.flow.StageChange;
import dev.geminilive.testkit.RecordingLiveListener.Event;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The in-order half of {@link RecordingLiveListener}, read as OkHttp's {@code WebSocketRecorder}
 * is: {@code next} takes the next event, each {@code assert*} method takes it, fails unless it is
 * the one named and returns its value typed, and {@link #assertNoMoreEvents()} fails on what is
 * left.
 *
 * <p>A part of {@link RecordingLiveListener}, its only public subclass, which documents these
 * methods as its own. Thread-safe: the cursor lives in the {@link EventLog}.
 */
abstract sealed class InOrderAssertions extends RecordingCallbacks permits Awaits {
  /** The listener this part belongs to, returned by {@link #ignore}. */
  abstract RecordingLiveListener self();

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
   * Takes the next event, waiting up to {@link RecordingLiveListener#DEFAULT_TIMEOUT}.
   *
   * @return the next event
   * @throws AssertionError when none arrives in time
   */
  public Event next() {
    return next(RecordingLiveListener.DEFAULT_TIMEOUT);
  }

  /**
   * Takes the next event and checks that it is of {@code type}.
   *
   * @param type the type the next event must have
   * @return the event
   * @throws AssertionError when the next event is of another type, or none arrives in time
   */
  public Event next(EventType type) {
    return log.next(type, RecordingLiveListener.DEFAULT_TIMEOUT);
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
   * Steps over events of these types in {@link #next}, the {@code assert*} methods and {@link
   * #assertNoMoreEvents()}, for example {@code AUDIO} and {@code USAGE} in a test about
   * transcripts. {@code RESUMPTION_HANDLE} is always stepped over.
   *
   * @param types the types to step over
   * @return this listener
   */
  public RecordingLiveListener ignore(RecordingLiveListener.EventType... types) {
    log.ignore(types);
    return self();
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
    log.nextText(EventType.TEXT, text, RecordingLiveListener.DEFAULT_TIMEOUT);
  }

  /**
   * Takes the next {@link EventType#THOUGHT} events, as many as make up {@code text}.
   *
   * @param text the whole thought expected
   */
  public void assertThought(String text) {
    log.nextText(EventType.THOUGHT, text, RecordingLiveListener.DEFAULT_TIMEOUT);
  }

  /**
   * Takes the next {@link EventType#INPUT_TRANSCRIPT} events, as many as make up {@code text}.
   *
   * @param text the whole transcript expected
   */
  public void assertInputTranscript(String text) {
    log.nextText(EventType.INPUT_TRANSCRIPT, text, RecordingLiveListener.DEFAULT_TIMEOUT);
  }

  /**
   * Takes the next {@link EventType#OUTPUT_TRANSCRIPT} events, as many as make up {@code text}.
   *
   * @param text the whole transcript expected
   */
  public void assertOutputTranscript(String text) {
    log.nextText(EventType.OUTPUT_TRANSCRIPT, text, RecordingLiveListener.DEFAULT_TIMEOUT);
  }

  /** Takes the next event, which must be {@link EventType#GENERATION_COMPLETE}. */
  public void assertGenerationComplete() {
    next(EventType.GENERATION_COMPLETE);
  }

  /**
   * Takes the next event, which must be {@link EventType#TURN_COMPLETE}.
   *
   * @return the turn's end: the reason the service gave ({@link TurnComplete#reason()}, null for a
   *     normal end), {@code waitingForInput} and the interaction status
   */
  public TurnComplete assertTurnComplete() {
    return (TurnComplete) next(EventType.TURN_COMPLETE).value();
  }

  /**
   * Takes the next event, which must be the end of a turn with {@code reason} (null for a turn that
   * ended without one).
   *
   * @param reason the reason the turn must carry, or null for none
   * @return the turn's end, with {@code waitingForInput} and the interaction status
   */
  public TurnComplete assertTurnComplete(@Nullable TurnCompleteReason reason) {
    TurnComplete turn = assertTurnComplete();
    if (turn.reason() != reason) {
      throw new AssertionError(
          "expected TURN_COMPLETE with reason " + reason + " but got " + turn.reasonName());
    }
    return turn;
  }

  /**
   * Takes the next event and checks that it is of {@code type} with a value equal to {@code value}:
   * the in-order form for the events whose values are small ({@code INTERACTION_STATUS}, {@code
   * VAD_SIGNAL}, {@code INTERIM_INPUT_TRANSCRIPT}, ...).
   *
   * @param type the type the next event must have
   * @param value the value it must carry
   * @return the event
   */
  public Event assertNext(EventType type, Object value) {
    Event e = next(type);
    if (!value.equals(e.value())) {
      throw new AssertionError("expected " + type + "(" + value + ") but got " + e.value());
    }
    return e;
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
   * Takes the next event, which must be a {@link EventType#STAGE_CHANGED} from {@code from} to
   * {@code to}.
   *
   * @param from the stage the flow left
   * @param to the stage it entered
   * @return the change, with its trigger and what it carried
   */
  public StageChange assertStageChanged(String from, String to) {
    StageChange got = (StageChange) next(EventType.STAGE_CHANGED).value();
    if (got == null || !got.from().equals(from) || !got.to().equals(to)) {
      throw new AssertionError(
          "expected the stage change " + from + " -> " + to + " but got " + got);
    }
    return got;
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
}
