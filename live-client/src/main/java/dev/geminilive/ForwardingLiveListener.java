package dev.geminilive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.flow.StageChange;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LiveListener} that passes every event to another one: extend it and override the events
 * you handle before (or instead of) passing them on, so that a component such as an audio
 * conversation or a telephony bridge can sit in front of the application's own listener.
 *
 * <pre>{@code
 * LiveListener listener =
 *     new ForwardingLiveListener(appListener) {
 *       @Override
 *       public void onInterrupted(ResilientLiveSession session) {
 *         speaker.clear();
 *         super.onInterrupted(session);
 *       }
 *     };
 * }</pre>
 *
 * <p>Every method of {@link LiveListener} is forwarded (a test checks that none is missed), each to
 * the delegate's method of the same signature. The session calls the {@link TurnComplete} form of
 * {@code onTurnComplete}: a subclass that acts on a turn's end overrides that one.
 *
 * <p>Thread-safety is that of the delegate: the session calls its listener from one thread at a
 * time.
 *
 * @since 0.1
 */
public class ForwardingLiveListener implements LiveListener {
  private final LiveListener delegate;

  /**
   * Creates a listener that forwards to {@code delegate}.
   *
   * @param delegate the listener that receives every event
   */
  public ForwardingLiveListener(LiveListener delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /**
   * The listener events are forwarded to.
   *
   * @return the delegate
   */
  protected final LiveListener delegate() {
    return delegate;
  }

  @Override
  public void onOpen(ResilientLiveSession session) {
    delegate.onOpen(session);
  }

  @Override
  public void onAudio(ResilientLiveSession session, AudioChunk chunk) {
    delegate.onAudio(session, chunk);
  }

  @Override
  public void onText(ResilientLiveSession session, String text) {
    delegate.onText(session, text);
  }

  @Override
  public void onThought(ResilientLiveSession session, String text) {
    delegate.onThought(session, text);
  }

  @Override
  public void onInputTranscript(ResilientLiveSession session, String text) {
    delegate.onInputTranscript(session, text);
  }

  @Override
  public void onOutputTranscript(ResilientLiveSession session, String text) {
    delegate.onOutputTranscript(session, text);
  }

  @Override
  public void onGenerationComplete(ResilientLiveSession session) {
    delegate.onGenerationComplete(session);
  }

  @Override
  public void onTurnComplete(ResilientLiveSession session, @Nullable String reason) {
    delegate.onTurnComplete(session, reason);
  }

  @Override
  public void onInterrupted(ResilientLiveSession session) {
    delegate.onInterrupted(session);
  }

  @Override
  public void onToolCall(ResilientLiveSession session, ToolCallEvent call) {
    delegate.onToolCall(session, call);
  }

  @Override
  public void onToolResult(ResilientLiveSession session, ToolCallEvent call, JsonNode result) {
    delegate.onToolResult(session, call, result);
  }

  @Override
  public void onStageChanged(ResilientLiveSession session, StageChange change) {
    delegate.onStageChanged(session, change);
  }

  @Override
  public void onToolCallCancelled(ResilientLiveSession session, List<String> ids) {
    delegate.onToolCallCancelled(session, ids);
  }

  @Override
  public void onGoAway(ResilientLiveSession session, Duration timeLeft) {
    delegate.onGoAway(session, timeLeft);
  }

  @Override
  public void onResumptionHandle(ResilientLiveSession session, String handle) {
    delegate.onResumptionHandle(session, handle);
  }

  @Override
  public void onReconnecting(ResilientLiveSession session, Reconnecting event) {
    delegate.onReconnecting(session, event);
  }

  @Override
  public void onReconnected(ResilientLiveSession session, ContextRestoration restoration) {
    delegate.onReconnected(session, restoration);
  }

  @Override
  public void onUsage(ResilientLiveSession session, Usage usage) {
    delegate.onUsage(session, usage);
  }

  @Override
  public void onError(ResilientLiveSession session, LiveException error) {
    delegate.onError(session, error);
  }

  @Override
  public void onRawMessage(ResilientLiveSession session, JsonNode message) {
    delegate.onRawMessage(session, message);
  }

  @Override
  public void onClosed(ResilientLiveSession session) {
    delegate.onClosed(session);
  }

  @Override
  public void onFailure(ResilientLiveSession session, LiveException failure) {
    delegate.onFailure(session, failure);
  }

  @Override
  public void onTurnComplete(ResilientLiveSession session, TurnComplete turn) {
    delegate.onTurnComplete(session, turn);
  }

  @Override
  public void onInteractionStatus(ResilientLiveSession session, InteractionStatus status) {
    delegate.onInteractionStatus(session, status);
  }

  @Override
  public void onInterimInputTranscript(ResilientLiveSession session, String text) {
    delegate.onInterimInputTranscript(session, text);
  }

  @Override
  public void onInputTranscriptFinished(ResilientLiveSession session) {
    delegate.onInputTranscriptFinished(session);
  }

  @Override
  public void onOutputTranscriptFinished(ResilientLiveSession session) {
    delegate.onOutputTranscriptFinished(session);
  }

  @Override
  public void onExecutableCode(ResilientLiveSession session, ExecutableCode code) {
    delegate.onExecutableCode(session, code);
  }

  @Override
  public void onCodeExecutionResult(ResilientLiveSession session, CodeExecutionResult result) {
    delegate.onCodeExecutionResult(session, result);
  }

  @Override
  public void onGroundingMetadata(ResilientLiveSession session, GroundingMetadata grounding) {
    delegate.onGroundingMetadata(session, grounding);
  }

  @Override
  public void onUrlContextMetadata(ResilientLiveSession session, UrlContextMetadata urlContext) {
    delegate.onUrlContextMetadata(session, urlContext);
  }

  @Override
  public void onVoiceActivity(ResilientLiveSession session, VoiceActivity activity) {
    delegate.onVoiceActivity(session, activity);
  }

  @Override
  public void onVadSignal(ResilientLiveSession session, VadSignal signal) {
    delegate.onVadSignal(session, signal);
  }
}
