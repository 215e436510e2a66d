package dev.geminilive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.flow.StageChange;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Receives everything that happens in a {@link ResilientLiveSession}. Every method has an empty
 * default, so an implementation overrides only what it needs.
 *
 * <h2>Threading and order</h2>
 *
 * Calls for one session are made one at a time, in the order the events arrived, in the session's
 * tasks (a serial queue on the {@link LiveScheduler}'s threads, shared by all sessions; never the
 * socket reader), with happens-before between calls: an implementation need not be thread-safe.
 * Return quickly; a slow listener delays later events of its session and holds one shared thread
 * while it runs, but never the socket. A listener may call the session's {@code send*} methods and
 * {@code close()}.
 *
 * <p>Events are queued as they happen and delivered afterwards, so what the session's accessors
 * return during a callback ({@link ResilientLiveSession#state()}, {@code resumptionHandle()},
 * {@code sessionId()}, {@code stats()}) is the session's state at the moment of the call, which may
 * be newer than the event being delivered: inside {@link #onReconnecting} the session may already
 * be {@link SessionState#ACTIVE} on its new connection. Act on the event and its arguments, not on
 * {@code state()}: {@code onReconnecting} means input is queued from then until {@link
 * #onReconnected}, and {@code send*} methods accept input in every state but the final ones, so a
 * listener never needs to check the state before sending.
 *
 * <h2>Life cycle</h2>
 *
 * {@link #onOpen} comes at most once and first. {@link #onClosed} or {@link #onFailure} comes
 * exactly once and last; nothing follows either.
 *
 * <h2>Exceptions</h2>
 *
 * A listener method that throws is logged at ERROR with the event it was handling, counted, and the
 * session goes on: a bug in a UI update must not hang up a call.
 *
 * @since 0.1
 */
public interface LiveListener {

  /**
   * The first connection is set up; the session is {@link SessionState#ACTIVE}.
   *
   * @param session the session that opened
   */
  default void onOpen(ResilientLiveSession session) {}

  /**
   * A piece of the model's speech. Every audio part of every message arrives here, in order. Play
   * it, and drop what is queued when {@link #onInterrupted} comes.
   *
   * @param session the session the audio belongs to
   * @param chunk PCM16 mono audio, normally at 24 kHz
   */
  default void onAudio(ResilientLiveSession session, AudioChunk chunk) {}

  /**
   * A text part of the model's answer. On native-audio models, text that is the model's reasoning
   * arrives at {@link #onThought} instead, and the spoken words at {@link #onOutputTranscript}.
   *
   * @param session the session the text belongs to
   * @param text the text fragment
   */
  default void onText(ResilientLiveSession session, String text) {}

  /**
   * A text part marked as the model's thought ({@code "thought": true}): its reasoning, not what it
   * says. Models that think may send thoughts whether or not {@link
   * LiveSessionBuilder#includeThoughts} was set: 2.5 native-audio models were recorded sending them
   * with no thinking configuration at all. Never shown to the user as the model's answer.
   *
   * @param session the session the thought belongs to
   * @param text the thought text fragment
   */
  default void onThought(ResilientLiveSession session, String text) {}

  /**
   * A fragment of the transcript of what the user said.
   *
   * @param session the session being transcribed
   * @param text the next transcript fragment; fragments are not cumulative
   */
  default void onInputTranscript(ResilientLiveSession session, String text) {}

  /**
   * A fragment of the transcript of what the model said.
   *
   * @param session the session being transcribed
   * @param text the next transcript fragment; fragments are not cumulative
   */
  default void onOutputTranscript(ResilientLiveSession session, String text) {}

  /**
   * A low-latency transcript of what the user is saying, sent while they speak ({@code
   * serverContent.interimInputTranscription}). It is provisional: the final words come to {@link
   * #onInputTranscript}, which alone feeds the conversation the session keeps. Show it as a live
   * caption and replace it, never append it to the final transcript.
   *
   * @param session the session being transcribed
   * @param text the interim transcript as sent
   */
  default void onInterimInputTranscript(ResilientLiveSession session, String text) {}

  /**
   * The service marked the transcript of the user's words finished ({@code
   * inputTranscription.finished}, sent by Vertex AI): no more fragments follow for this utterance.
   *
   * @param session the session being transcribed
   */
  default void onInputTranscriptFinished(ResilientLiveSession session) {}

  /**
   * The service marked the transcript of the model's words finished ({@code
   * outputTranscription.finished}, sent by Vertex AI): no more fragments follow for this turn.
   *
   * @param session the session being transcribed
   */
  default void onOutputTranscriptFinished(ResilientLiveSession session) {}

  /**
   * Code the model wrote for the code execution tool (a model-turn part {@code executableCode}).
   *
   * @param session the session the part came on
   * @param code the language, the source and the part's id
   */
  default void onExecutableCode(ResilientLiveSession session, ExecutableCode code) {}

  /**
   * The result of running the model's code (a model-turn part {@code codeExecutionResult}).
   *
   * @param session the session the part came on
   * @param result the outcome and output
   */
  default void onCodeExecutionResult(ResilientLiveSession session, CodeExecutionResult result) {}

  /**
   * What the model grounded its answer on ({@code serverContent.groundingMetadata}): the searches
   * it ran and the sources it used.
   *
   * @param session the session the answer came on
   * @param grounding the queries, sources, search entry point and the whole object
   */
  default void onGroundingMetadata(ResilientLiveSession session, GroundingMetadata grounding) {}

  /**
   * The pages the URL context tool fetched ({@code serverContent.urlContextMetadata}).
   *
   * @param session the session the answer came on
   * @param urlContext each page tried and how its retrieval went
   */
  default void onUrlContextMetadata(ResilientLiveSession session, UrlContextMetadata urlContext) {}

  /**
   * The service's voice activity detection saw the user start or stop speaking ({@code
   * voiceActivity}). A start is the earliest sign of a barge-in; stop playback there if you want
   * the model silenced before {@link #onInterrupted} arrives.
   *
   * @param session the session whose input it is
   * @param activity start or end, and the offset in the input audio
   */
  default void onVoiceActivity(ResilientLiveSession session, VoiceActivity activity) {}

  /**
   * A voice activity detection signal ({@code voiceActivityDetectionSignal}): start or end of the
   * user's speech, sent where the setup asks for explicit VAD signals.
   *
   * @param session the session whose input it is
   * @param signal start or end of speech
   */
  default void onVadSignal(ResilientLiveSession session, VadSignal signal) {}

  /**
   * The model finished generating this turn (playback may still be running).
   *
   * @param session the session whose turn finished generating
   */
  default void onGenerationComplete(ResilientLiveSession session) {}

  /**
   * The model's turn is over, with the reason the service gave (if any) as its wire name. The
   * session calls {@link #onTurnComplete(ResilientLiveSession, TurnComplete)}, whose default calls
   * this method: override either one, not both.
   *
   * @param reason the service's {@code turnCompleteReason}, or null when it sent none
   * @param session the session whose turn is over
   */
  default void onTurnComplete(ResilientLiveSession session, @Nullable String reason) {}

  /**
   * The model's turn is over ({@code turnComplete}), with what the service sent beside it: the
   * typed reason (safety blocks, a malformed function call, a request for more input), {@code
   * waitingForInput} and the interaction status. On models that think in the background the turn's
   * end does not mean the model is idle: watch {@link #onInteractionStatus}. The default calls
   * {@link #onTurnComplete(ResilientLiveSession, String)} with {@link TurnComplete#reasonName()},
   * so listeners written against that method keep working.
   *
   * @param session the session whose turn is over
   * @param turn the reason, {@code waitingForInput} and interaction status sent with it
   */
  default void onTurnComplete(ResilientLiveSession session, TurnComplete turn) {
    onTurnComplete(session, turn.reasonName());
  }

  /**
   * The service reported whether it is still working ({@code serverContent.interactionStatus}).
   * Delivered for every status sent, after {@link #onTurnComplete} when both are on one message.
   * {@link InteractionStatus#IDLE} means no more output follows until new input; {@link
   * InteractionStatus#IN_PROGRESS} after a turn's end means the model goes on reasoning or running
   * tools and may speak again on its own.
   *
   * @param session the session the status is for
   * @param status the status as sent
   */
  default void onInteractionStatus(ResilientLiveSession session, InteractionStatus status) {}

  /**
   * The user spoke into the model's turn (barge-in): stop playback now and drop queued audio. May
   * come after {@link #onTurnComplete} when the model had finished generating but playback had not.
   * Also sent when a connection drops in the middle of a reply: the resumed model answers again, so
   * what was queued of the cut-off reply should not play.
   *
   * @param session the session that was interrupted
   */
  default void onInterrupted(ResilientLiveSession session) {}

  /**
   * The model called a tool. Registered tools are run by the session, which sends the response;
   * this event is for observation.
   *
   * @param session the session the call came on
   * @param call the call id, the tool name and the arguments
   */
  default void onToolCall(ResilientLiveSession session, ToolCallEvent call) {}

  /**
   * A registered tool finished and its response was sent.
   *
   * @param result the response sent: {@code {"output": ...}} or {@code {"error": "..."}}
   * @param session the session the call came on
   * @param call the call that finished
   */
  default void onToolResult(ResilientLiveSession session, ToolCallEvent call, JsonNode result) {}

  /**
   * The service cancelled these calls (the user interrupted); no response is sent for them.
   *
   * @param session the session the calls came on
   * @param ids the ids of the cancelled calls
   */
  default void onToolCallCancelled(ResilientLiveSession session, List<String> ids) {}

  /**
   * The service will end the current connection after {@code timeLeft}. The session moves to a new
   * connection by itself; this is for information.
   *
   * @param session the session whose connection ends
   * @param timeLeft the time until the service closes the connection, as it announced
   */
  default void onGoAway(ResilientLiveSession session, Duration timeLeft) {}

  /**
   * The session stored a new resumption handle from the service: from now on {@link
   * ResilientLiveSession#resumptionHandle()} returns it (or a newer one), and a reconnect resumes
   * with it. Delivered after the events of the frame that carried it. For an application that keeps
   * the newest handle outside the process, or that waits for one before it moves the call
   * elsewhere; the session itself needs nothing from the listener here.
   *
   * <p>The handle resumes the conversation for whoever holds it within the service's validity
   * window: keep it as a secret, and never log it.
   *
   * @param session the session that stored the handle
   * @param handle the handle, opaque
   */
  default void onResumptionHandle(ResilientLiveSession session, String handle) {}

  /**
   * The session is moving to a new connection; input is queued meanwhile. A planned move ({@link
   * Reconnecting#planned()}) follows the service's {@code goAway} or is one the session planned
   * itself (a connection's or service session's age, a context update on a model without {@code
   * contextUpdate}); its {@link Reconnecting#cause()} names which.
   *
   * @param session the session that is reconnecting
   * @param event the attempt number, the delay before it and why the connection was lost or the
   *     move planned
   */
  default void onReconnecting(ResilientLiveSession session, Reconnecting event) {}

  /**
   * The session is on a new connection again.
   *
   * @param restoration whether the model kept the conversation
   * @param session the session that reconnected
   */
  default void onReconnected(ResilientLiveSession session, ContextRestoration restoration) {}

  /**
   * The service reported token usage. The service sends a turn's usage on the frame that ends the
   * turn; it is delivered before {@link #onTurnComplete}, so a listener that totals usage per turn
   * has it when the turn ends.
   *
   * @param session the session the usage is for
   * @param usage the token counts the service reported
   */
  default void onUsage(ResilientLiveSession session, Usage usage) {}

  /**
   * The conversation moved to another stage of its {@link dev.geminilive.flow.Flow}; the new
   * stage's context was handed to the send path after everything sent before it. Only sessions
   * built with a flow get it.
   *
   * @param session the session whose flow moved
   * @param change from which stage, to which, why, and what it carried
   * @since 0.1
   */
  @Experimental
  default void onStageChanged(ResilientLiveSession session, StageChange change) {}

  /**
   * Something went wrong that the session recovered from: a malformed frame, a tool that failed,
   * input dropped by the overflow policy.
   *
   * @param session the session the error happened on
   * @param error what went wrong; the session carries on
   */
  default void onError(ResilientLiveSession session, LiveException error) {}

  /**
   * Every server message, raw, before it is split into the events above: an escape hatch for fields
   * this library does not map yet.
   *
   * @param session the session the message came on
   * @param message the whole server message as parsed JSON; do not modify it
   */
  default void onRawMessage(ResilientLiveSession session, JsonNode message) {}

  /**
   * The application closed the session. Final.
   *
   * @param session the closed session
   */
  default void onClosed(ResilientLiveSession session) {}

  /**
   * The session ended with a failure that could not heal. Final.
   *
   * @param session the failed session
   * @param failure why the session failed; the same as {@link ResilientLiveSession#failure()}
   */
  default void onFailure(ResilientLiveSession session, LiveException failure) {}
}
