package dev.geminilive.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.AudioChunk;
import dev.geminilive.ContextRestoration;
import dev.geminilive.LiveException;
import dev.geminilive.LiveListener;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.Usage;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Forwards every event to a delegate; tests override one method to misbehave. */
class ForwardingListener implements LiveListener {
  private final LiveListener d;

  ForwardingListener(LiveListener delegate) {
    this.d = delegate;
  }

  @Override
  public void onOpen(ResilientLiveSession s) {
    d.onOpen(s);
  }

  @Override
  public void onAudio(ResilientLiveSession s, AudioChunk c) {
    d.onAudio(s, c);
  }

  @Override
  public void onText(ResilientLiveSession s, String t) {
    d.onText(s, t);
  }

  @Override
  public void onInputTranscript(ResilientLiveSession s, String t) {
    d.onInputTranscript(s, t);
  }

  @Override
  public void onOutputTranscript(ResilientLiveSession s, String t) {
    d.onOutputTranscript(s, t);
  }

  @Override
  public void onGenerationComplete(ResilientLiveSession s) {
    d.onGenerationComplete(s);
  }

  @Override
  public void onTurnComplete(ResilientLiveSession s, @Nullable String reason) {
    d.onTurnComplete(s, reason);
  }

  @Override
  public void onInterrupted(ResilientLiveSession s) {
    d.onInterrupted(s);
  }

  @Override
  public void onToolCall(ResilientLiveSession s, ToolCallEvent call) {
    d.onToolCall(s, call);
  }

  @Override
  public void onToolResult(ResilientLiveSession s, ToolCallEvent call, JsonNode result) {
    d.onToolResult(s, call, result);
  }

  @Override
  public void onToolCallCancelled(ResilientLiveSession s, List<String> ids) {
    d.onToolCallCancelled(s, ids);
  }

  @Override
  public void onGoAway(ResilientLiveSession s, Duration timeLeft) {
    d.onGoAway(s, timeLeft);
  }

  @Override
  public void onReconnecting(ResilientLiveSession s, Reconnecting e) {
    d.onReconnecting(s, e);
  }

  @Override
  public void onReconnected(ResilientLiveSession s, ContextRestoration r) {
    d.onReconnected(s, r);
  }

  @Override
  public void onUsage(ResilientLiveSession s, Usage u) {
    d.onUsage(s, u);
  }

  @Override
  public void onError(ResilientLiveSession s, LiveException e) {
    d.onError(s, e);
  }

  @Override
  public void onClosed(ResilientLiveSession s) {
    d.onClosed(s);
  }

  @Override
  public void onFailure(ResilientLiveSession s, LiveException f) {
    d.onFailure(s, f);
  }
}
