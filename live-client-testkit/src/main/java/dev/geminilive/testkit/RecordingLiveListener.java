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
import dev.geminilive.ToolCallEvent;
import dev.geminilive.TurnComplete;
import dev.geminilive.UrlContextMetadata;
import dev.geminilive.Usage;
import dev.geminilive.VadSignal;
import dev.geminilive.VoiceActivity;
import dev.geminilive.flow.StageChange;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
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
public final class RecordingLiveListener extends Awaits implements LiveListener {
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
    /** {@link LiveListener#onStageChanged}; the value is the {@link StageChange}. */
    STAGE_CHANGED(StageChange.class),
    /** {@link LiveListener#onGoAway}; the value is the time left. */
    GO_AWAY(Duration.class),
    /**
     * {@link LiveListener#onResumptionHandle}; the value is the handle. Recorded and awaited like
     * every event, but the in-order methods ({@code next}, the {@code assert*} methods, {@code
     * assertNoMoreEvents}) always step over it: handles come at the service's cadence (after a
     * turn, before or after a close), not as a step of the conversation.
     */
    RESUMPTION_HANDLE(String.class),
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
   * The interim input transcripts, in order (each is a provisional caption, not a fragment of
   * {@link #inputTranscript()}).
   *
   * @return a snapshot of the interim transcripts
   */
  public List<String> interimInputTranscripts() {
    return values(EventType.INTERIM_INPUT_TRANSCRIPT);
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

  @Override
  RecordingLiveListener self() {
    return this;
  }
}
