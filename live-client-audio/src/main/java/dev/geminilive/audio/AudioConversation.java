package dev.geminilive.audio;

import dev.geminilive.AudioChunk;
import dev.geminilive.ForwardingLiveListener;
import dev.geminilive.LiveException;
import dev.geminilive.LiveListener;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.TurnComplete;
import dev.geminilive.audio.internal.FormatConverter;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A voice conversation: wires an {@link AudioSource} (a microphone) and an {@link AudioSink} (a
 * speaker) to a {@link ResilientLiveSession} in one call.
 *
 * <p><b>What it does.</b> Input: a capture thread reads the source, converts each chunk to {@link
 * PcmFormat#INPUT_16K} (downmix and {@link Resampler}), frames it into chunks of {@link
 * Builder#chunkDuration(Duration) chunkDuration} (default {@link
 * AudioChunker#DEFAULT_CHUNK_DURATION}) and hands them to {@link
 * ResilientLiveSession#sendAudio(byte[])}. When the source ends (end of a file, microphone closed)
 * or on {@link #mute()}, the rest is sent and then {@link ResilientLiveSession#endAudioStream()}.
 * Output: the {@link LiveListener} from {@link #listener(LiveListener)} puts the model's audio into
 * a {@link PlaybackQueue} that converts it to the sink's format and plays it on its own thread;
 * {@code onInterrupted} {@linkplain PlaybackQueue#clear() clears} the queue at once, so at most one
 * playback frame ({@link PlaybackQueue#DEFAULT_FRAME_DURATION}) of the interrupted answer is heard
 * after the event. With {@link DuplexPolicy#half()} captured audio is dropped while the agent
 * speaks, for speakers without echo cancellation.
 *
 * <p><b>Getting one.</b> {@link #builder()}; the session needs the conversation's listener, and the
 * conversation needs the session, so: build the conversation, pass {@link #listener(LiveListener)}
 * (which forwards every event to your own listener) to the session builder, connect, then {@link
 * #start(ResilientLiveSession)}.
 *
 * <p><b>Lifecycle.</b> {@link State#NEW} → {@link #start} → {@link State#RUNNING} → {@link #stop()}
 * → {@link State#STOPPED} → {@link #start} again (same or a new session) … → {@link #close()} →
 * {@link State#CLOSED} (terminal). A conversation also becomes {@code STOPPED} when its session
 * reports {@code onClosed} or {@code onFailure}. Model audio that arrives while {@code NEW} waits
 * for {@code start}; while {@code STOPPED} or {@code CLOSED} it is dropped. {@link #mute()} and
 * {@link #unmute()} work in every state but {@code CLOSED} (a conversation started muted sends
 * nothing until unmuted).
 *
 * <p><b>Ownership.</b> The conversation owns the source and the sink handed to its builder: {@link
 * #close()} closes them (after its own threads have ended). It never closes the session: whoever
 * connected it closes it, before or after the conversation.
 *
 * <p><b>Threads and who blocks.</b> Thread-safe: every method may be called from any thread,
 * including a listener callback. The conversation owns one capture thread per {@code start} (a
 * daemon named {@code gemini-live-capture}), which is the only thread that reads the source and
 * blocks in {@link AudioSource#read()} (a microphone paces it in real time; a file or memory source
 * is read as fast as it goes). The {@link PlaybackQueue} owns the playback thread, the only one
 * that blocks in {@link AudioSink#write(PcmChunk)}. Listener methods never block: they convert and
 * enqueue (the queue is bounded by {@link PlaybackQueue#DEFAULT_MAX_BUFFERED}, oldest audio
 * dropped) and return. {@code sendAudio} never blocks either (the session queues and bounds input).
 * {@link #close()} waits up to one second each for the capture thread (after closing the source,
 * which unblocks a read) and the playback thread to end; {@link #stop()} does not wait. Buffers:
 * one input chunk, the sink's own buffer (a speaker's {@link AudioSink#DEFAULT_SPEAKER_BUFFER}) and
 * the playback queue's pre-roll ({@link PlaybackQueue#DEFAULT_PREROLL}).
 *
 * <p><b>Failures.</b> If the source fails, the error is logged at ERROR and kept in {@link
 * #captureFailure()}, the audio stream is ended and playback goes on. If the sink fails, the
 * playback queue logs it and drops its audio (see {@link PlaybackQueue}).
 *
 * <p>Deliberately not done: echo cancellation (use a headset, a device with AEC, or {@link
 * DuplexPolicy#half()}), local voice activity detection (the service detects speech), and tuning of
 * the playback queue (its defaults suit speakers; use {@link PlaybackQueue} directly if not).
 *
 * <pre>{@code
 * try (AudioConversation conversation = AudioConversation.builder()
 *         .source(AudioSource.microphone(PcmFormat.INPUT_16K))
 *         .sink(AudioSink.speaker(PcmFormat.OUTPUT_24K))
 *         .duplex(DuplexPolicy.half())
 *         .build();
 *     ResilientLiveSession session = ResilientLiveSession.builder()
 *         .apiKey(key)
 *         .listener(conversation.listener(ui))
 *         .connect()) {
 *   conversation.start(session);
 *   ui.awaitHangUp();
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class AudioConversation implements AutoCloseable {

  /**
   * How long {@link #close()} (and a {@link #start} after {@link #stop()}) waits for the capture
   * thread to end: 1 s.
   */
  public static final Duration THREAD_JOIN_TIMEOUT = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(AudioConversation.class);

  /** Where a conversation is in its lifecycle. */
  public enum State {
    /** Built; nothing captured or played yet. */
    NEW,
    /** Capturing into a session and playing its answers. */
    RUNNING,
    /** Stopped by {@link #stop()} or because the session ended; may be started again. */
    STOPPED,
    /** Closed for good; source and sink are closed. */
    CLOSED
  }

  private final AudioSource source;
  private final AudioSink sink;
  private final DuplexPolicy duplex;
  private final PlaybackQueue playback;

  private final Object lock = new Object();
  // Guarded by lock. The capture thread takes lock for each chunk, after reading it.
  private final FormatConverter inputConverter;
  private final AudioChunker inputChunker;
  private @Nullable ResilientLiveSession session;
  private @Nullable Thread captureThread;
  private int run; // which capture thread is current; bumped by stop, close and session end
  private boolean muted;
  private boolean streamOpen; // audio sent since the last endAudioStream
  private long sentAudioBytes;
  private Duration gatedAudio = Duration.ZERO;
  private @Nullable RuntimeException captureFailure;
  // Written under lock, read without it by the listener (which only needs a recent value).
  private volatile State state = State.NEW;

  // Written by the listener (model audio arrived) and the capture thread (playback was busy).
  private volatile long lastAgentAudioNanos;

  // Guarded by outputLock: converts model audio that is not 24 kHz (the service sends 24 kHz).
  private final Object outputLock = new Object();
  private @Nullable FormatConverter outputConverter;

  private AudioConversation(Builder b) {
    this.source = Objects.requireNonNull(b.source);
    this.sink = Objects.requireNonNull(b.sink);
    this.duplex = b.duplex;
    this.playback = PlaybackQueue.builder(sink).inputFormat(PcmFormat.OUTPUT_24K).build();
    this.inputConverter = new FormatConverter(source.format(), PcmFormat.INPUT_16K);
    this.inputChunker = new AudioChunker(PcmFormat.INPUT_16K, b.chunkDuration);
    this.lastAgentAudioNanos = System.nanoTime() - DuplexPolicy.MAX_ECHO_TAIL.toNanos() - 1;
  }

  /**
   * Returns a builder; a source and a sink are required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a listener for the session builder that plays the model's audio, clears playback on
   * {@code onInterrupted} and then forwards every event, unchanged and on the same thread, to
   * {@code delegate} (after the conversation has handled it).
   *
   * @param delegate the application's listener, called after the conversation has handled each
   *     event
   * @return a listener to pass to {@link dev.geminilive.LiveSessionBuilder#listener(LiveListener)}
   */
  public LiveListener listener(LiveListener delegate) {
    return new ForwardingListener(Objects.requireNonNull(delegate, "delegate"));
  }

  /**
   * Returns a listener like {@link #listener(LiveListener)} that forwards to nobody.
   *
   * @return a listener that only drives playback
   */
  public LiveListener listener() {
    return listener(new LiveListener() {});
  }

  /**
   * Starts capturing into {@code session} (on a new capture thread) and playing.
   *
   * @param session the open session that receives the captured audio
   * @throws IllegalStateException if the conversation is running or closed, if the session has
   *     already ended, or if the capture thread of an earlier run is still blocked in the source
   */
  public void start(ResilientLiveSession session) {
    Objects.requireNonNull(session, "session");
    Thread previous;
    synchronized (lock) {
      checkStartable(session);
      previous = captureThread;
    }
    if (previous != null && !join(previous)) {
      throw new IllegalStateException(
          "The capture thread of the previous run is still blocked reading " + source);
    }
    synchronized (lock) {
      checkStartable(session);
      this.session = session;
      state = State.RUNNING;
      int myRun = ++run;
      streamOpen = false;
      captureFailure = null;
      resetInput();
      Thread t = new Thread(() -> capture(myRun), "gemini-live-capture");
      t.setDaemon(true);
      captureThread = t;
      t.start();
    }
    playback.start();
    log.info(
        "Audio conversation started: {} -> {}, playback into {}, {}",
        source.format(),
        PcmFormat.INPUT_16K,
        sink.format(),
        duplex);
  }

  /**
   * Stops capturing and playing: sends what is captured and then {@code endAudioStream} (unless
   * muted) and silences playback at once. Does not wait: the capture thread ends as soon as the
   * read in progress returns (within one chunk for a microphone), and what that read returns is
   * dropped. Source and sink stay open; {@link #start} may follow. No-op unless running.
   */
  public void stop() {
    synchronized (lock) {
      if (state != State.RUNNING) {
        return;
      }
      if (!muted) {
        flushInput();
      }
      endStream();
      state = State.STOPPED;
      run++;
    }
    playback.stop();
    playback.clear();
    log.info("Audio conversation stopped");
  }

  /**
   * Stops sending the user's audio: what is captured so far is sent, then {@code endAudioStream}
   * (so the service can end the user's turn). The source keeps being read and its audio dropped, so
   * no stale audio piles up. Idempotent; no-op when closed.
   */
  public void mute() {
    synchronized (lock) {
      if (muted || state == State.CLOSED) {
        return;
      }
      muted = true;
      if (state == State.RUNNING) {
        flushInput();
        endStream();
      }
    }
    log.debug("Microphone muted");
  }

  /**
   * Sends the user's audio again, starting with the next chunk captured (a new audio stream).
   * Idempotent; no-op when closed.
   */
  public void unmute() {
    synchronized (lock) {
      if (!muted || state == State.CLOSED) {
        return;
      }
      muted = false;
      resetInput();
    }
    log.debug("Microphone unmuted");
  }

  /**
   * Ends the conversation for good: stops like {@link #stop()}, closes the source, the playback
   * queue and the sink, and waits for the capture and playback threads (up to {@link
   * #THREAD_JOIN_TIMEOUT} each). Does not close the session. Idempotent; never throws.
   */
  @Override
  public void close() {
    Thread t;
    synchronized (lock) {
      if (state == State.CLOSED) {
        return;
      }
      if (state == State.RUNNING) {
        if (!muted) {
          flushInput();
        }
        endStream();
      }
      state = State.CLOSED;
      run++;
      t = captureThread;
      session = null;
    }
    closeQuietly(source, "source");
    if (t != null && !join(t)) {
      log.warn("Capture thread still blocked reading {} 1 s after close", source);
    }
    playback.close();
    closeQuietly(sink, "sink");
    log.info("Audio conversation closed");
  }

  /**
   * Waits until all model audio received so far has been written to the sink (for example to let a
   * goodbye finish before hanging up), or the timeout passes.
   *
   * @param timeout the longest to wait; zero checks without waiting
   * @return whether playback became idle in time
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitPlaybackIdle(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    return playback.awaitIdle(timeout);
  }

  /**
   * Returns the current lifecycle state.
   *
   * @return the state at the moment of the call
   */
  public State state() {
    return state;
  }

  /**
   * Returns whether the user's audio is muted.
   *
   * @return true while {@code mute()} is in effect
   */
  public boolean isMuted() {
    synchronized (lock) {
      return muted;
    }
  }

  /**
   * Returns whether the agent counts as speaking: the playback queue holds or writes audio (or did
   * so less than the {@linkplain DuplexPolicy#echoTail() echo tail} ago).
   *
   * @return true while the agent counts as speaking
   */
  public boolean isAgentSpeaking() {
    return !playbackIdle() || System.nanoTime() - lastAgentAudioNanos < duplex.echoTail().toNanos();
  }

  /**
   * Returns the bytes of 16 kHz PCM handed to {@code sendAudio} so far (all runs).
   *
   * @return the byte count, summed over all runs
   */
  public long sentAudioBytes() {
    synchronized (lock) {
      return sentAudioBytes;
    }
  }

  /**
   * Returns how much captured audio {@link DuplexPolicy#half()} dropped so far (all runs).
   *
   * @return the dropped duration, summed over all runs; zero for full duplex
   */
  public Duration gatedAudio() {
    synchronized (lock) {
      return gatedAudio;
    }
  }

  /**
   * Returns the failure that ended capture in the current or last run, if any.
   *
   * @return the exception that stopped capture, or empty if capture did not fail
   */
  public Optional<RuntimeException> captureFailure() {
    synchronized (lock) {
      return Optional.ofNullable(captureFailure);
    }
  }

  /**
   * The duplex policy this conversation was built with.
   *
   * @return the duplex policy
   */
  public DuplexPolicy duplex() {
    return duplex;
  }

  /** Describes the state and the formats, never audio. */
  @Override
  public String toString() {
    return "AudioConversation["
        + state
        + ", "
        + source.format()
        + " -> "
        + PcmFormat.INPUT_16K
        + ", playback into "
        + sink.format()
        + ", "
        + duplex
        + "]";
  }

  // ---- capture ----

  /** The capture thread: reads without the lock, handles each chunk under it. */
  private void capture(int myRun) {
    try {
      while (true) {
        Optional<PcmChunk> chunk = source.read();
        synchronized (lock) {
          if (myRun != run) {
            return; // stopped, closed or the session ended while we were reading
          }
          if (chunk.isEmpty()) {
            if (!muted) {
              flushInput();
            }
            endStream();
            log.info("Audio source ended after {} bytes sent", sentAudioBytes);
            return;
          }
          accept(chunk.get());
        }
      }
    } catch (RuntimeException e) {
      synchronized (lock) {
        if (myRun != run) {
          log.debug("Source failed after stop or close (expected when closing it)", e);
          return;
        }
        captureFailure = e;
        endStream();
      }
      log.error("Audio capture from {} failed; no more user audio is sent", source, e);
    }
  }

  /** Handles one captured chunk (lock held). */
  private void accept(PcmChunk chunk) {
    if (muted) {
      return;
    }
    if (gated()) {
      gatedAudio = gatedAudio.plus(chunk.duration());
      // Forget the partial chunk and the filter history: what follows is not continuous with it.
      resetInput();
      return;
    }
    byte[] pcm16k = inputConverter.convert(chunk.data());
    for (PcmChunk piece : inputChunker.push(pcm16k)) {
      send(piece);
    }
  }

  /** Whether half duplex drops input now (capture thread, lock held). */
  private boolean gated() {
    if (!duplex.isHalf()) {
      return false;
    }
    long now = System.nanoTime();
    if (!playbackIdle()) {
      lastAgentAudioNanos = now;
      return true;
    }
    return now - lastAgentAudioNanos < duplex.echoTail().toNanos();
  }

  private boolean playbackIdle() {
    try {
      return playback.awaitIdle(Duration.ZERO);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Sends the converter's tail and the chunker's remainder (lock held). */
  private void flushInput() {
    byte[] tail = inputConverter.flush();
    for (PcmChunk piece : inputChunker.push(tail)) {
      send(piece);
    }
    inputChunker.flush().ifPresent(this::send);
  }

  /** Drops partial input and filter history (lock held). */
  private void resetInput() {
    inputConverter.reset();
    inputChunker.flush();
  }

  private void send(PcmChunk chunk) {
    ResilientLiveSession s = session;
    if (s == null) {
      return;
    }
    // Never blocks; a failure (closed session, dropped input) is reported by the session.
    s.sendAudio(chunk.data());
    sentAudioBytes += chunk.sizeBytes();
    streamOpen = true;
  }

  /** Sends endAudioStream if audio was sent since the last one (lock held). */
  private void endStream() {
    ResilientLiveSession s = session;
    if (streamOpen && s != null && !s.state().isTerminal()) {
      s.endAudioStream();
    }
    streamOpen = false;
  }

  private void checkStartable(ResilientLiveSession session) {
    if (state == State.CLOSED) {
      throw new IllegalStateException("AudioConversation is closed");
    }
    if (state == State.RUNNING) {
      throw new IllegalStateException("AudioConversation is already running; stop() it first");
    }
    if (session.state().isTerminal()) {
      throw new IllegalStateException(
          "Cannot start on a session that has ended: " + session.state());
    }
  }

  /** The session ended (listener thread): stop capturing without waiting for the thread. */
  private void sessionEnded(ResilientLiveSession ended) {
    synchronized (lock) {
      if (ended != session || state != State.RUNNING) {
        return;
      }
      state = State.STOPPED;
      run++;
      streamOpen = false;
    }
    log.info("Audio conversation stopped: its session ended");
  }

  // ---- playback ----

  private void play(AudioChunk chunk) {
    State now = state;
    if (now == State.STOPPED || now == State.CLOSED) {
      return;
    }
    byte[] pcm24k = chunk.pcm();
    if (chunk.sampleRateHz() != AudioChunk.OUTPUT_SAMPLE_RATE_HZ) {
      pcm24k = convertOutput(chunk);
    }
    lastAgentAudioNanos = System.nanoTime();
    try {
      playback.enqueue(pcm24k);
    } catch (IllegalStateException e) {
      if (state != State.CLOSED) {
        throw e;
      }
      // close() raced this callback: the audio is no longer wanted.
    }
  }

  private byte[] convertOutput(AudioChunk chunk) {
    synchronized (outputLock) {
      FormatConverter c = outputConverter;
      if (c == null || c.from().sampleRateHz() != chunk.sampleRateHz()) {
        log.warn(
            "Model audio at {} Hz, not {} Hz: resampling it",
            chunk.sampleRateHz(),
            AudioChunk.OUTPUT_SAMPLE_RATE_HZ);
        c = new FormatConverter(PcmFormat.mono(chunk.sampleRateHz()), PcmFormat.OUTPUT_24K);
        outputConverter = c;
      }
      return c.convert(chunk.pcm());
    }
  }

  private void interrupted() {
    playback.clear();
    synchronized (outputLock) {
      if (outputConverter != null) {
        outputConverter.reset();
      }
    }
  }

  // ---- helpers ----

  private static boolean join(Thread t) {
    if (t == Thread.currentThread()) {
      return true;
    }
    try {
      t.join(THREAD_JOIN_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !t.isAlive();
  }

  private static void closeQuietly(AutoCloseable closeable, String what) {
    try {
      closeable.close();
    } catch (Exception e) {
      // close() never throws (like the session's); the caller cannot act on it anyway.
      log.warn("Closing the audio {} failed", what, e);
    }
  }

  /**
   * Handles audio events for the conversation, then forwards every event to the application's
   * listener. Every {@link LiveListener} method is overridden here (a test checks it), so no event
   * is lost when the interface grows.
   */
  private final class ForwardingListener extends ForwardingLiveListener {
    ForwardingListener(LiveListener delegate) {
      super(delegate);
    }

    @Override
    public void onAudio(ResilientLiveSession session, AudioChunk chunk) {
      play(chunk);
      delegate().onAudio(session, chunk);
    }

    @Override
    public void onGenerationComplete(ResilientLiveSession session) {
      playback.endOfTurn();
      delegate().onGenerationComplete(session);
    }

    @Override
    public void onTurnComplete(ResilientLiveSession session, TurnComplete turn) {
      playback.endOfTurn();
      delegate().onTurnComplete(session, turn);
    }

    @Override
    public void onInterrupted(ResilientLiveSession session) {
      interrupted();
      delegate().onInterrupted(session);
    }

    @Override
    public void onClosed(ResilientLiveSession session) {
      sessionEnded(session);
      delegate().onClosed(session);
    }

    @Override
    public void onFailure(ResilientLiveSession session, LiveException failure) {
      sessionEnded(session);
      delegate().onFailure(session, failure);
    }
  }

  /**
   * Builds an {@link AudioConversation}. Get one with {@link AudioConversation#builder()}.
   *
   * <p>Not thread-safe: configure on one thread, then {@link #build()}.
   */
  public static final class Builder {
    private @Nullable AudioSource source;
    private @Nullable AudioSink sink;
    private DuplexPolicy duplex = DuplexPolicy.full();
    private Duration chunkDuration = AudioChunker.DEFAULT_CHUNK_DURATION;

    private Builder() {}

    /**
     * The user's audio, in any format (required). The conversation closes it.
     *
     * @param source the audio source; the conversation takes ownership
     * @return this builder
     */
    public Builder source(AudioSource source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * Where the model's audio plays, in any format (required). The conversation closes it.
     *
     * @param sink the audio sink; the conversation takes ownership
     * @return this builder
     */
    public Builder sink(AudioSink sink) {
      this.sink = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /**
     * Whether input is sent while the agent speaks; default {@link DuplexPolicy#full()}.
     *
     * @param duplex the duplex policy
     * @return this builder
     */
    public Builder duplex(DuplexPolicy duplex) {
      this.duplex = Objects.requireNonNull(duplex, "duplex");
      return this;
    }

    /**
     * Length of each chunk sent to the session, from {@link AudioChunker#MIN_CHUNK_DURATION} to
     * {@link AudioChunker#MAX_CHUNK_DURATION}; default {@link AudioChunker#DEFAULT_CHUNK_DURATION}.
     *
     * @param chunkDuration the chunk length
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder chunkDuration(Duration chunkDuration) {
      Objects.requireNonNull(chunkDuration, "chunkDuration");
      new AudioChunker(PcmFormat.INPUT_16K, chunkDuration); // validates with a clear message
      this.chunkDuration = chunkDuration;
      return this;
    }

    /**
     * Returns the conversation, in state {@link State#NEW} (no thread started yet).
     *
     * @return the new conversation
     * @throws IllegalStateException if the source or the sink is missing
     */
    public AudioConversation build() {
      if (source == null || sink == null) {
        throw new IllegalStateException(
            "AudioConversation needs "
                + (source == null && sink == null
                    ? "a source and a sink"
                    : source == null ? "a source" : "a sink")
                + ": call source(..) and sink(..) before build()");
      }
      return new AudioConversation(this);
    }
  }
}
