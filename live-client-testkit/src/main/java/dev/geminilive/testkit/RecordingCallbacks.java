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
import dev.geminilive.UrlContextMetadata;
import dev.geminilive.Usage;
import dev.geminilive.VadSignal;
import dev.geminilive.VoiceActivity;
import dev.geminilive.flow.StageChange;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The recording half of {@link RecordingLiveListener}: each listener callback becomes one event in
 * the {@link EventLog}, in the order the session delivers them.
 *
 * <p>A part of {@link RecordingLiveListener}, its only public subclass, which documents these
 * methods as its own. Thread-safe: the log is.
 */
abstract sealed class RecordingCallbacks implements LiveListener permits InOrderAssertions {
  /** Everything recorded; thread-safe on its own. */
  final EventLog log = new EventLog();

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
    log.add(EventType.TURN_COMPLETE, TurnComplete.of(reason, false, null));
  }

  @Override
  public void onTurnComplete(ResilientLiveSession session, TurnComplete turn) {
    log.add(EventType.TURN_COMPLETE, turn);
  }

  @Override
  public void onInteractionStatus(ResilientLiveSession session, InteractionStatus status) {
    log.add(EventType.INTERACTION_STATUS, status);
  }

  @Override
  public void onInterimInputTranscript(ResilientLiveSession session, String text) {
    log.add(EventType.INTERIM_INPUT_TRANSCRIPT, text);
  }

  @Override
  public void onInputTranscriptFinished(ResilientLiveSession session) {
    log.add(EventType.INPUT_TRANSCRIPT_FINISHED, null);
  }

  @Override
  public void onOutputTranscriptFinished(ResilientLiveSession session) {
    log.add(EventType.OUTPUT_TRANSCRIPT_FINISHED, null);
  }

  @Override
  public void onExecutableCode(ResilientLiveSession session, ExecutableCode code) {
    log.add(EventType.EXECUTABLE_CODE, code);
  }

  @Override
  public void onCodeExecutionResult(ResilientLiveSession session, CodeExecutionResult result) {
    log.add(EventType.CODE_EXECUTION_RESULT, result);
  }

  @Override
  public void onGroundingMetadata(ResilientLiveSession session, GroundingMetadata grounding) {
    log.add(EventType.GROUNDING_METADATA, grounding);
  }

  @Override
  public void onUrlContextMetadata(ResilientLiveSession session, UrlContextMetadata urlContext) {
    log.add(EventType.URL_CONTEXT_METADATA, urlContext);
  }

  @Override
  public void onVoiceActivity(ResilientLiveSession session, VoiceActivity activity) {
    log.add(EventType.VOICE_ACTIVITY, activity);
  }

  @Override
  public void onVadSignal(ResilientLiveSession session, VadSignal signal) {
    log.add(EventType.VAD_SIGNAL, signal);
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
  public void onStageChanged(ResilientLiveSession session, StageChange change) {
    log.add(EventType.STAGE_CHANGED, change);
  }

  @Override
  public void onGoAway(ResilientLiveSession session, Duration timeLeft) {
    log.add(EventType.GO_AWAY, timeLeft);
  }

  @Override
  public void onResumptionHandle(ResilientLiveSession session, String handle) {
    log.add(EventType.RESUMPTION_HANDLE, handle);
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
