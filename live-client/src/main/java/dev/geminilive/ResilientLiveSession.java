package dev.geminilive;

import dev.geminilive.flow.FlowPosition;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One conversation with a Gemini Live model that stays alive across many connections.
 *
 * <p>The service ends each WebSocket connection after minutes (announcing it with {@code goAway}),
 * networks drop, and the SDK's own session does not notice every close. This session keeps the
 * newest resumption handle, moves to a new connection before {@code goAway} runs out (at a pause in
 * the conversation when there is time), reconnects after drops with backoff, replays the input the
 * service had not yet taken into its state, runs registered tools, and reports everything to a
 * {@link LiveListener}.
 *
 * <pre>{@code
 * try (ResilientLiveSession session =
 *     ResilientLiveSession.builder().apiKey(key).persona("You are ...").listener(ui).connect()) {
 *   microphone.forEachChunk(session::sendAudio);
 * }
 * }</pre>
 *
 * <h2>States</h2>
 *
 * {@code CONNECTING → ACTIVE → (RESUMING → ACTIVE)* → CLOSED | FAILED}; see {@link SessionState}.
 * Failures that cannot heal (bad credentials, an invalid setup, a policy violation, an exhausted
 * reconnect budget) end in {@link SessionState#FAILED} at once, without retries.
 *
 * <h2>Threading</h2>
 *
 * All methods are thread-safe. {@code send*} methods never block: each enqueues its message and
 * returns a future that completes when the message is handed to a socket. Messages reach the
 * service in the order the calls returned, whichever thread made them. While the session is
 * resuming, input is queued (bounded by {@link LiveSessionBuilder#maxQueuedBytes}) and sent on the
 * new connection. Listener calls for one session are serial, in arrival order, on a thread the
 * session owns.
 *
 * <h2>Closing</h2>
 *
 * {@link #close()} is idempotent; it closes the connection, completes pending futures
 * exceptionally, releases the session's threads and sockets, and calls {@link
 * LiveListener#onClosed}. A closed session never reconnects; sends after close fail with {@link
 * LiveSessionClosedException}.
 *
 * @since 0.1
 */
public interface ResilientLiveSession extends AutoCloseable {

  /**
   * A builder for a new session.
   *
   * @return a new builder with every setting at its default
   */
  static LiveSessionBuilder builder() {
    return new LiveSessionBuilder();
  }

  /**
   * The description this session was built from.
   *
   * @return the immutable spec, the same for every connection of this session
   */
  SessionSpec spec();

  /**
   * Where the conversation is in its flow, for a session built with {@link
   * LiveSessionBuilder#flow(dev.geminilive.flow.Flow)}: the current stage, the stages so far, and a
   * way to move on.
   *
   * @return the flow's position, or empty for a session without a flow
   * @since 0.1
   */
  @Experimental
  default Optional<FlowPosition> flow() {
    return Optional.empty();
  }

  /**
   * The current state.
   *
   * <p>Inside a {@link LiveListener} callback this may be newer than the event being delivered
   * (events are delivered after they happen): inside {@code onReconnecting} the session may already
   * be {@link SessionState#ACTIVE} again.
   *
   * @return the state at the moment of the call; it may change right after
   */
  SessionState state();

  /**
   * The session's name within this JVM, such as {@code live-session-3}: the library's log lines and
   * thread names carry it, and {@link dev.geminilive.tools.ToolContext#sessionName()} returns it to
   * tools. It never changes and is never sent to the service; it is not {@link #sessionId()}.
   *
   * @return the session's name, never empty
   */
  String name();

  /**
   * The service's id of the current connection's session, when it sent one ({@code
   * setupComplete.sessionId}). Not the same thing as {@link #name()}: it is chosen by the service,
   * may be absent, and may change when the session moves to a new connection.
   *
   * @return the session id of the current connection, or empty before the service sent one
   */
  Optional<String> sessionId();

  /**
   * The newest resumable handle the service sent, if any.
   *
   * @return the newest resumption handle, or empty when none was received (or resumption is off)
   */
  Optional<String> resumptionHandle();

  /**
   * Why the session failed, once it is {@link SessionState#FAILED}.
   *
   * @return the terminal failure, or empty while the session is not {@link SessionState#FAILED}
   */
  Optional<LiveException> failure();

  /**
   * Counters for monitoring.
   *
   * @return a snapshot of the counters at the moment of the call
   */
  SessionStats stats();

  /**
   * Sends user audio: PCM16 little-endian mono at 16 kHz, ideally 20 to 100 ms per chunk. The array
   * is copied.
   *
   * @param pcm16k the audio bytes, a whole number of samples
   * @return a future that completes when the chunk is handed to a socket, or exceptionally with
   *     {@link LiveSessionClosedException} if the session is closed
   */
  CompletableFuture<Void> sendAudio(byte[] pcm16k);

  /**
   * Sends user audio from the buffer's remaining bytes (copied); see {@link #sendAudio(byte[])}.
   *
   * @param pcm16k the buffer whose remaining bytes are sent
   * @return a future that completes when the chunk is handed to a socket, as for {@link
   *     #sendAudio(byte[])}
   */
  CompletableFuture<Void> sendAudio(ByteBuffer pcm16k);

  /**
   * Sends user text as realtime input (a complete user turn).
   *
   * @param text the user's text; not null
   * @return a future that completes when the message is handed to a socket
   */
  CompletableFuture<Void> sendText(String text);

  /**
   * Sends one video frame (JPEG), at most about one per second.
   *
   * @param jpeg one JPEG-encoded image
   * @return a future that completes when the frame is handed to a socket
   */
  CompletableFuture<Void> sendVideoFrame(byte[] jpeg);

  /**
   * Tells the service the audio stream paused (microphone muted), so it can end the turn.
   *
   * @return a future that completes when the message is handed to a socket
   */
  CompletableFuture<Void> endAudioStream();

  /**
   * Marks the start of user activity (manual activity detection only).
   *
   * @return a future that completes when the message is handed to a socket
   */
  CompletableFuture<Void> activityStart();

  /**
   * Marks the end of user activity (manual activity detection only).
   *
   * @return a future that completes when the message is handed to a socket
   */
  CompletableFuture<Void> activityEnd();

  /**
   * Sends conversation turns as client content, with their roles, on models that take client
   * content at any time ({@link ModelProfile#clientContentAnytime()}: the 3.8 models and 2.5). With
   * {@code turnComplete} the model answers now, and on 3.8 an answer in progress is interrupted
   * (the listener sees {@code onInterrupted}); without it the service adds the turns to the
   * conversation and waits for more input before it answers. On models that take client content
   * only as initial history (3.1) the future fails with {@link LiveConfigException} and nothing is
   * sent: seed those with {@link LiveSessionBuilder#history} instead.
   *
   * @param turnComplete whether the model should answer now
   * @param turns the turns in conversation order; may be empty
   * @return a future that completes when the message is handed to a socket
   */
  CompletableFuture<Void> sendHistory(List<Turn> turns, boolean turnComplete);

  /**
   * Changes the system instruction and/or the tools for the rest of the conversation, without
   * losing it.
   *
   * <p>The update is checked as {@link SessionSpec#withContext(ContextUpdate)} checks it (the
   * instruction rendered and linted against the tools, the tools against the model's profile); an
   * invalid one fails the future with a {@link LiveConfigException} naming the setting, and nothing
   * is sent or changed. A valid one takes effect here at once: from the moment this method returns,
   * {@link #spec()} is the updated spec, the tool loop runs the new tools (the model's call to a
   * tool no longer declared is answered with the library's "unknown tool" result and no handler
   * runs; calls already running finish), and every later resume or rebuild opens with the updated
   * setup.
   *
   * <p>How it reaches the service depends on {@link ModelProfile#contextUpdates()}:
   *
   * <ul>
   *   <li><b>3.8 models</b> take it in place: it is sent as a {@code contextUpdate} message in
   *       order with the other input (text sent before it is answered under the old instruction,
   *       text sent after it under the new one), and the future completes when it is handed to the
   *       socket. Like other input it is kept until a resumption handle covers it, so a resumed
   *       connection gets it again, once.
   *   <li><b>Other models</b> need a new setup: the session moves to a new connection, resuming
   *       with its handle and the updated setup, at the next natural pause of the conversation (the
   *       model idle, no tool running, every request answered; the listener sees {@code
   *       onReconnecting} with {@code planned() == true} and {@code onReconnected}), and the future
   *       completes when that connection is in use. Until then the model works with the previous
   *       instruction and tools. A session whose reconnect policy is {@link ReconnectPolicy#none()}
   *       cannot move: the future fails with a {@link LiveConfigException}.
   * </ul>
   *
   * <p>A session authenticated with ephemeral tokens takes no update: a token locks the setup it
   * was minted for (the system instruction and tools among it), and the service keeps a locked
   * field as the token has it, so the update would be lost. The future fails with a {@link
   * LiveConfigException} and nothing is sent.
   *
   * <p>Each update is billed again as part of the model's preamble and invalidates its prefix
   * cache: change the context when the conversation changes phase, not per turn. Thread-safe; the
   * updates of several threads apply in the order their calls took effect.
   *
   * <pre>{@code
   * session.updateContext(ContextUpdate.builder()
   *     .systemInstruction(instruction.toBuilder().rule("Now collect the billing address.").build())
   *     .tools(new BillingTools())
   *     .build());
   * }</pre>
   *
   * @param update the new instruction and/or tools; what it does not give stays
   * @return a future that completes when the update is on its way (see above), or exceptionally
   *     with {@link LiveConfigException} (invalid update, no way to deliver it) or {@link
   *     LiveSessionClosedException} (the session ended first)
   * @since 0.1
   */
  CompletableFuture<Void> updateContext(ContextUpdate update);

  /**
   * Closes the session: idempotent, never throws. The listener gets {@link LiveListener#onClosed}
   * unless the session had already ended.
   */
  @Override
  void close();

  /**
   * A future that completes when the session has ended (normally after {@link #close()}, or
   * exceptionally with the failure) and holds no thread any more.
   *
   * <p>It completes after the listener's last call ({@link LiveListener#onClosed} or {@link
   * LiveListener#onFailure}), and only once no thread carries the session's name: the shared worker
   * that ran the session's last task has its own name back, and every socket of the session has had
   * its last callback (a closed socket waits for the service's close reply, at most about a second,
   * and is then cancelled). From then on no thread runs the session's code and none is kept for it,
   * so a program or a container may exit. Tool handlers still running (a tool that ignores its
   * interruption) run on the tool executor's threads, which this does not cover.
   *
   * <p>Do not wait on it ({@code get}, {@code join}) from a listener callback: that thread is one
   * of the session's, and the wait would never end; those methods throw {@link
   * IllegalStateException} there. Chain the work instead ({@code whenComplete}); it runs on the
   * thread that let go of the session last, after that thread's name was given back.
   *
   * @return a future that completes normally after {@link #close()}, or exceptionally with the
   *     {@link LiveException} that failed the session
   */
  CompletableFuture<Void> termination();

  /** Statistics of one session; see {@link ResilientLiveSession#stats()}. */
  record SessionStats(
      long messagesSent,
      long messagesReplayed,
      long framesReceived,
      int connections,
      int reconnects,
      long audioChunksDropped,
      long listenerErrors,
      long malformedFrames,
      @Nullable String lastCloseReason) {}
}
