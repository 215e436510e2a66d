package dev.geminilive.audio;

import dev.geminilive.LiveException;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionSpec;
import dev.geminilive.SessionState;
import dev.geminilive.Turn;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A hand-written session that records the audio sent to it and {@code endAudioStream} calls, in
 * order. Only the methods {@link AudioConversation} uses are implemented.
 */
final class RecordingSession implements ResilientLiveSession {
  /** One recorded call: audio bytes, or {@code end} for endAudioStream. */
  record Sent(byte[] audio, boolean end) {}

  private final List<Sent> sent = new ArrayList<>(); // guarded by this
  private volatile SessionState state = SessionState.ACTIVE;

  synchronized List<Sent> sent() {
    return List.copyOf(sent);
  }

  synchronized long audioBytes() {
    return sent.stream().filter(s -> !s.end()).mapToLong(s -> s.audio().length).sum();
  }

  synchronized int endCount() {
    return (int) sent.stream().filter(Sent::end).count();
  }

  /** Waits until {@code n} endAudioStream calls were recorded. */
  synchronized boolean awaitEnds(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (endCount() < n) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  void state(SessionState state) {
    this.state = state;
  }

  @Override
  public synchronized CompletableFuture<Void> sendAudio(byte[] pcm16k) {
    sent.add(new Sent(pcm16k.clone(), false));
    notifyAll();
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> sendAudio(ByteBuffer pcm16k) {
    byte[] copy = new byte[pcm16k.remaining()];
    pcm16k.get(copy);
    return sendAudio(copy);
  }

  @Override
  public synchronized CompletableFuture<Void> endAudioStream() {
    sent.add(new Sent(new byte[0], true));
    notifyAll();
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public SessionState state() {
    return state;
  }

  @Override
  public SessionSpec spec() {
    throw new UnsupportedOperationException();
  }

  @Override
  public String name() {
    return "recording-session";
  }

  @Override
  public Optional<String> sessionId() {
    return Optional.empty();
  }

  @Override
  public Optional<String> resumptionHandle() {
    return Optional.empty();
  }

  @Override
  public Optional<LiveException> failure() {
    return Optional.empty();
  }

  @Override
  public SessionStats stats() {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<Void> sendText(String text) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<Void> sendVideoFrame(byte[] jpeg) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<Void> activityStart() {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<Void> activityEnd() {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<Void> sendHistory(List<Turn> turns, boolean turnComplete) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<Void> updateContext(dev.geminilive.ContextUpdate update) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {
    state = SessionState.CLOSED;
  }

  @Override
  public CompletableFuture<Void> termination() {
    return new CompletableFuture<>();
  }
}
