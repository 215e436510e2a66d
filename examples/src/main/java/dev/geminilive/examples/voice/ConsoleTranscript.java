package dev.geminilive.examples.voice;

import dev.geminilive.AudioChunk;
import dev.geminilive.ContextRestoration;
import dev.geminilive.LiveException;
import dev.geminilive.LiveListener;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Prints a voice call as timestamped lines (what the service heard, what the agent said, barge-ins,
 * reconnects) and tracks whether the agent is in the middle of a turn, so the console knows when a
 * file-driven call has been answered.
 *
 * <p>Listener methods run on the session's dispatch thread; the other methods may be called from
 * any thread. All state is guarded by {@code this}.
 */
final class ConsoleTranscript implements LiveListener {
  private final PrintStream out;
  private final long start = System.nanoTime();
  private final List<String> lines = new ArrayList<>();
  private final StringBuilder agent = new StringBuilder();
  private final StringBuilder heard = new StringBuilder();
  private long agentAudioBytes;
  private int turnsCompleted;
  private int interruptions;
  private boolean inTurn;
  private long lastEventNanos = System.nanoTime();
  private boolean ended;
  private @Nullable LiveException failure;

  ConsoleTranscript(PrintStream out) {
    this.out = out;
  }

  synchronized void note(String text) {
    print("--", text);
  }

  synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  synchronized int interruptions() {
    return interruptions;
  }

  synchronized int turnsCompleted() {
    return turnsCompleted;
  }

  synchronized @Nullable LiveException failure() {
    return failure;
  }

  /**
   * Waits until at least one agent turn has completed, no turn is in progress and nothing has
   * arrived for {@code quiet}: the agent has answered everything it was going to answer.
   *
   * @return false if {@code timeout} passed first or the session ended
   */
  synchronized boolean awaitQuiet(Duration quiet, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ended) {
      long now = System.nanoTime();
      long quietLeft = lastEventNanos + quiet.toNanos() - now;
      if (turnsCompleted > 0 && !inTurn && quietLeft <= 0) {
        return true;
      }
      long left = deadline - now;
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, Math.max(quietLeft, 1_000_000)));
    }
    return false;
  }

  @Override
  public synchronized void onOpen(ResilientLiveSession session) {
    note("connected to " + session.spec().model());
  }

  @Override
  public synchronized void onAudio(ResilientLiveSession session, AudioChunk chunk) {
    agentAudioBytes += chunk.pcm().length;
    activity(true);
  }

  @Override
  public synchronized void onInputTranscript(ResilientLiveSession session, String text) {
    heard.append(text);
    activity(inTurn);
  }

  @Override
  public synchronized void onOutputTranscript(ResilientLiveSession session, String text) {
    agent.append(text);
    activity(true);
  }

  @Override
  public synchronized void onTurnComplete(ResilientLiveSession session, @Nullable String reason) {
    flush();
    turnsCompleted++;
    activity(false);
  }

  @Override
  public synchronized void onInterrupted(ResilientLiveSession session) {
    flush();
    interruptions++;
    // AudioConversation has already cleared the playback queue when this runs.
    note("barge-in: the agent was interrupted, playback cleared");
    activity(false);
  }

  @Override
  public synchronized void onReconnecting(ResilientLiveSession session, Reconnecting event) {
    flush();
    note("reconnecting (attempt " + event.attempt() + "): " + event.cause());
  }

  @Override
  public synchronized void onReconnected(
      ResilientLiveSession session, ContextRestoration restoration) {
    note("reconnected: " + restoration);
  }

  @Override
  public synchronized void onClosed(ResilientLiveSession session) {
    flush();
    note("session closed");
    ended = true;
    notifyAll();
  }

  @Override
  public synchronized void onFailure(ResilientLiveSession session, LiveException failure) {
    flush();
    note("session failed: " + failure.getMessage());
    this.failure = failure;
    ended = true;
    notifyAll();
  }

  private void activity(boolean turnInProgress) {
    inTurn = turnInProgress;
    lastEventNanos = System.nanoTime();
    notifyAll();
  }

  private void flush() {
    if (heard.length() > 0) {
      print("You", heard.toString().strip());
      heard.setLength(0);
    }
    if (agent.length() > 0 || agentAudioBytes > 0) {
      long ms = agentAudioBytes / 2 * 1000 / AudioChunk.OUTPUT_SAMPLE_RATE_HZ;
      print("Agent", (agent.toString().strip() + " [" + ms + " ms of audio]").strip());
      agent.setLength(0);
      agentAudioBytes = 0;
    }
  }

  private void print(String who, String text) {
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    String line =
        String.format(
            "[%02d:%02d.%03d] %-6s %s", ms / 60_000, ms / 1000 % 60, ms % 1000, who, text);
    lines.add(line);
    out.println(line);
    out.flush();
  }
}
