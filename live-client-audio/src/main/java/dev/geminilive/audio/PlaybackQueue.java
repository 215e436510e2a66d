package dev.geminilive.audio;

import dev.geminilive.audio.internal.FormatConverter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays model audio through an {@link AudioSink} from a small jitter buffer, on one playback thread
 * it owns, and silences stale audio within one frame when the user interrupts.
 *
 * <p>Wire it to a session's listener: {@link #enqueue(byte[])} for each audio chunk the model sends
 * (PCM16 at {@link Builder#inputFormat(PcmFormat) inputFormat}, 24 kHz mono by default), {@link
 * #clear()} when the model is interrupted, and optionally {@link #endOfTurn()} when the turn is
 * complete. Audio is converted to the sink's format (downmix/resampling) as it is enqueued.
 *
 * <p><b>Jitter buffer.</b> After start and after every underrun, the playback thread waits until
 * {@link Builder#preroll(Duration) preroll} of audio is buffered (default {@link #DEFAULT_PREROLL})
 * and then writes to the sink in frames of {@link Builder#frameDuration(Duration) frameDuration}
 * (default {@link #DEFAULT_FRAME_DURATION}). A tail shorter than the pre-roll is played when {@link
 * #endOfTurn()} is called or when no new audio has arrived for {@link Builder#tailTimeout(Duration)
 * tailTimeout} (default: the pre-roll).
 *
 * <p><b>Who blocks.</b> {@link #enqueue(byte[])} never waits for playback: it converts the audio,
 * appends it under a short lock and returns. The queue is bounded by {@link
 * Builder#maxBuffered(Duration) maxBuffered} (default {@link #DEFAULT_MAX_BUFFERED}); on overflow
 * the <em>oldest</em> queued audio is dropped (so latency stays bounded), counted in {@link
 * #droppedBytes()}, and logged once per overflow episode at WARN. Only the playback thread blocks,
 * inside {@link AudioSink#write(PcmChunk)}, which a device paces in real time.
 *
 * <p><b>Clear.</b> {@link #clear()} drops everything queued and calls {@link AudioSink#discard()}
 * so audio already handed to the device stops too. After {@code clear()} returns, at most one more
 * frame reaches the sink: the one the playback thread had already taken when clear was called.
 *
 * <p><b>Lifecycle.</b> {@link State#NEW} → {@link #start()} → {@link State#RUNNING} ⇄ {@link
 * #stop()} / {@link #start()} ({@link State#STOPPED} pauses playback and keeps the queue) → {@link
 * #close()} → {@link State#CLOSED} (terminal: queue dropped, thread ended). Audio may be enqueued
 * before {@code start()}. The queue never closes its sink: whoever opened the sink closes it, after
 * the queue. If the sink throws, the error is logged, the queue is dropped and the state becomes
 * {@link State#STOPPED}.
 *
 * <p>Thread-safe: every method may be called from any thread, including a listener callback. The
 * playback thread is a daemon named {@code gemini-live-playback}.
 *
 * <pre>{@code
 * try (AudioSink speaker = AudioSink.speaker(PcmFormat.OUTPUT_24K);
 *     PlaybackQueue playback = PlaybackQueue.builder(speaker).build()) {
 *   playback.start();
 *   // in the session listener:
 *   //   onAudio        -> playback.enqueue(pcm24k)
 *   //   onInterrupted  -> playback.clear()
 *   //   onTurnComplete -> playback.endOfTurn()
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class PlaybackQueue implements AutoCloseable {

  /** Default pre-roll (jitter buffer): 60 ms. */
  public static final Duration DEFAULT_PREROLL = Duration.ofMillis(60);

  /** Default frame written to the sink at a time: 20 ms (the bound on stale audio after clear). */
  public static final Duration DEFAULT_FRAME_DURATION = Duration.ofMillis(20);

  /** Default bound of the queue: 2 minutes of audio. */
  public static final Duration DEFAULT_MAX_BUFFERED = Duration.ofMinutes(2);

  private static final Logger log = LoggerFactory.getLogger(PlaybackQueue.class);

  /** Where a queue is in its lifecycle. */
  public enum State {
    /** Created; audio may be enqueued but nothing plays yet. */
    NEW,
    /** The playback thread writes queued audio to the sink. */
    RUNNING,
    /** Paused: the queue is kept, nothing is written until {@link #start()}. */
    STOPPED,
    /** Closed for good. */
    CLOSED
  }

  private final AudioSink sink;
  private final PcmFormat inputFormat;
  private final PcmFormat outputFormat;
  private final int frameBytes;
  private final int startBytes;
  private final long maxBufferedBytes;
  private final long tailTimeoutNanos;

  // Guarded by convertLock (taken before lock, never after): keeps enqueue order and lets clear()
  // reset the resampler without racing a conversion.
  private final Object convertLock = new Object();
  private final FormatConverter converter;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // All fields below are guarded by lock.
  private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
  private int headOffset;
  private long bufferedBytes;
  private State state = State.NEW;
  private @Nullable Thread thread;
  private boolean buffering = true;
  private boolean endOfTurn;
  private boolean writing;
  private boolean overflowing;
  private long lastEnqueueNanos;
  private long droppedBytes;
  private long framesWritten;

  private PlaybackQueue(Builder b) {
    this.sink = b.sink;
    this.inputFormat = b.inputFormat;
    this.outputFormat = b.sink.format();
    this.frameBytes =
        Math.max(outputFormat.bytesPerFrame(), outputFormat.bytesFor(b.frameDuration));
    this.startBytes = Math.max(frameBytes, outputFormat.bytesFor(b.preroll));
    this.maxBufferedBytes = Math.max(startBytes, (long) outputFormat.bytesFor(b.maxBuffered));
    this.tailTimeoutNanos = (b.tailTimeout == null ? b.preroll : b.tailTimeout).toNanos();
    this.converter = new FormatConverter(inputFormat, outputFormat);
  }

  /**
   * Returns a builder for a queue that plays into {@code sink}.
   *
   * @param sink the sink the queue writes to; the queue never closes it
   * @return a new builder
   */
  public static Builder builder(AudioSink sink) {
    return new Builder(sink);
  }

  /**
   * Adds PCM16LE audio in the {@linkplain Builder#inputFormat(PcmFormat) input format} to the end
   * of the queue. Never waits for playback; when the queue is full the oldest audio is dropped.
   *
   * @param pcm PCM16LE bytes, a whole number of frames; the array is not kept
   * @throws IllegalArgumentException if {@code pcm} is not a whole number of frames
   * @throws IllegalStateException if the queue is closed
   */
  public void enqueue(byte[] pcm) {
    Objects.requireNonNull(pcm, "pcm");
    if (pcm.length % inputFormat.bytesPerFrame() != 0) {
      throw new IllegalArgumentException(
          "pcm length " + pcm.length + " is not a whole number of frames of " + inputFormat);
    }
    synchronized (convertLock) {
      byte[] converted = converter.isIdentity() ? pcm.clone() : converter.convert(pcm);
      lock.lock();
      try {
        if (state == State.CLOSED) {
          throw new IllegalStateException("PlaybackQueue is closed");
        }
        append(converted);
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Adds a chunk to the end of the queue, like {@link #enqueue(byte[])}.
   *
   * @param chunk the audio, in the input format
   * @throws IllegalArgumentException if the chunk's format is not the input format
   */
  public void enqueue(PcmChunk chunk) {
    Objects.requireNonNull(chunk, "chunk");
    if (!chunk.format().equals(inputFormat)) {
      throw new IllegalArgumentException(
          "chunk format " + chunk.format() + " is not this queue's input format " + inputFormat);
    }
    enqueue(chunk.data());
  }

  /**
   * Marks the end of the model's turn: what is buffered is played now, even if it is shorter than
   * the pre-roll. The next audio enqueued after the queue ran empty is buffered again.
   */
  public void endOfTurn() {
    lock.lock();
    try {
      endOfTurn = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Drops all audio not yet played and discards what the sink has buffered. After this returns, at
   * most one more frame (the one being written, if any) reaches the sink. No-op when closed.
   */
  public void clear() {
    long dropped;
    synchronized (convertLock) {
      lock.lock();
      try {
        if (state == State.CLOSED) {
          return;
        }
        converter.reset();
        dropped = bufferedBytes;
        dropQueue();
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
    sink.discard();
    log.debug("Playback cleared: {} bytes dropped", dropped);
  }

  /**
   * Starts (or resumes) playback on the playback thread.
   *
   * @throws IllegalStateException if the queue is closed
   */
  public void start() {
    lock.lock();
    try {
      if (state == State.CLOSED) {
        throw new IllegalStateException("PlaybackQueue is closed");
      }
      if (state == State.RUNNING) {
        return;
      }
      state = State.RUNNING;
      buffering = true;
      if (thread == null) {
        Thread t = new Thread(this::run, "gemini-live-playback");
        t.setDaemon(true);
        thread = t;
        t.start();
        log.info("Playback started: {} into {}", inputFormat, outputFormat);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Pauses playback after the frame being written; queued audio is kept. Audio already in the
   * sink's buffer still plays (use {@link #clear()} for silence now). No-op unless running.
   */
  public void stop() {
    lock.lock();
    try {
      if (state == State.RUNNING) {
        state = State.STOPPED;
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops playback for good: drops the queue, discards the sink's buffer and ends the playback
   * thread (waiting up to one second for a blocked sink write). Does not close the sink.
   * Idempotent.
   */
  @Override
  public void close() {
    Thread t;
    lock.lock();
    try {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
      dropQueue();
      t = thread;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    sink.discard();
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        log.warn("Playback thread still blocked in the sink 1 s after close");
      }
    }
    log.info("Playback closed");
  }

  /**
   * Waits until everything enqueued has been written to the sink (queue empty, no write in
   * progress) or the timeout passes. Audio shorter than the pre-roll only drains after {@link
   * #endOfTurn()} or the tail timeout.
   *
   * @param timeout the longest to wait; zero checks without waiting
   * @return whether the queue became idle in time
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long remaining = timeout.toNanos();
    lock.lock();
    try {
      while (bufferedBytes > 0 || writing) {
        if (remaining <= 0) {
          return false;
        }
        remaining = changed.awaitNanos(remaining);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the current lifecycle state.
   *
   * @return the state at the moment of the call
   */
  public State state() {
    lock.lock();
    try {
      return state;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns how much audio is queued and not yet written to the sink.
   *
   * @return the queued duration, zero when the queue is empty
   */
  public Duration bufferedDuration() {
    lock.lock();
    try {
      return outputFormat.durationOf(bufferedBytes);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the total bytes (in the sink's format) dropped because the queue was full.
   *
   * @return the dropped byte count since the queue was built
   */
  public long droppedBytes() {
    lock.lock();
    try {
      return droppedBytes;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns how many frames have been written to the sink.
   *
   * @return the number of frames written since the queue was built
   */
  public long framesWritten() {
    lock.lock();
    try {
      return framesWritten;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The format {@link #enqueue(byte[])} takes.
   *
   * @return the input format
   */
  public PcmFormat inputFormat() {
    return inputFormat;
  }

  /**
   * Bytes of one frame in the sink's format.
   *
   * @return the frame size of the sink's format in bytes
   */
  public int frameBytes() {
    return frameBytes;
  }

  // ---- internals; the helpers below run with lock held ----

  private void append(byte[] converted) {
    lastEnqueueNanos = System.nanoTime();
    endOfTurn = false;
    if (converted.length > 0) {
      queue.addLast(converted);
      bufferedBytes += converted.length;
    }
    long excess = bufferedBytes - maxBufferedBytes;
    if (excess > 0) {
      int frame = outputFormat.bytesPerFrame();
      long drop = (excess + frame - 1) / frame * frame;
      dropHead(drop);
      droppedBytes += drop;
      if (!overflowing) {
        overflowing = true;
        log.warn(
            "Playback queue full ({} buffered): dropping the oldest audio ({} bytes dropped so"
                + " far)",
            outputFormat.durationOf(maxBufferedBytes),
            droppedBytes);
      }
    } else {
      overflowing = false;
    }
    changed.signalAll();
  }

  private void dropHead(long n) {
    long left = n;
    while (left > 0 && !queue.isEmpty()) {
      byte[] head = queue.peekFirst();
      int available = head.length - headOffset;
      if (available <= left) {
        queue.pollFirst();
        headOffset = 0;
        left -= available;
        bufferedBytes -= available;
      } else {
        headOffset += (int) left;
        bufferedBytes -= left;
        left = 0;
      }
    }
  }

  private byte[] take(int n) {
    byte[] out = new byte[n];
    int at = 0;
    while (at < n) {
      byte[] head = queue.peekFirst();
      int count = Math.min(n - at, head.length - headOffset);
      System.arraycopy(head, headOffset, out, at, count);
      at += count;
      headOffset += count;
      if (headOffset == head.length) {
        queue.pollFirst();
        headOffset = 0;
      }
    }
    bufferedBytes -= n;
    return out;
  }

  private void dropQueue() {
    queue.clear();
    headOffset = 0;
    bufferedBytes = 0;
    buffering = true;
    endOfTurn = false;
    overflowing = false;
  }

  private boolean tailDue(long now) {
    return endOfTurn || now - lastEnqueueNanos >= tailTimeoutNanos;
  }

  /** The playback thread: waits for a frame under the lock, writes it without the lock. */
  private void run() {
    while (true) {
      byte[] frame;
      lock.lock();
      try {
        frame = nextFrame();
        if (frame == null) {
          return;
        }
        writing = true;
      } catch (InterruptedException e) {
        return; // only close() could want this thread gone
      } finally {
        lock.unlock();
      }
      try {
        sink.write(new PcmChunk(outputFormat, frame));
      } catch (RuntimeException e) {
        log.error("Playback sink failed; playback stopped and queued audio dropped", e);
        lock.lock();
        try {
          writing = false;
          dropQueue();
          if (state == State.RUNNING) {
            state = State.STOPPED;
          }
          changed.signalAll();
        } finally {
          lock.unlock();
        }
        continue;
      }
      lock.lock();
      try {
        writing = false;
        framesWritten++;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Blocks (lock held) until a frame should be written; null when the queue is closed. */
  private byte @Nullable [] nextFrame() throws InterruptedException {
    while (true) {
      if (state == State.CLOSED) {
        return null;
      }
      if (state != State.RUNNING) {
        changed.await();
        continue;
      }
      long now = System.nanoTime();
      if (buffering) {
        if (bufferedBytes >= startBytes || (bufferedBytes > 0 && tailDue(now))) {
          buffering = false;
        } else {
          if (bufferedBytes > 0 && !endOfTurn) {
            changed.awaitNanos(Math.max(1, lastEnqueueNanos + tailTimeoutNanos - now));
          } else {
            if (bufferedBytes == 0) {
              endOfTurn = false;
            }
            changed.await();
          }
          continue;
        }
      }
      if (bufferedBytes >= frameBytes) {
        return take(frameBytes);
      }
      if (bufferedBytes > 0 && tailDue(now)) {
        return take((int) bufferedBytes);
      }
      buffering = true; // underrun: refill the jitter buffer before playing on
      if (bufferedBytes == 0) {
        endOfTurn = false;
      }
    }
  }

  /**
   * Builds a {@link PlaybackQueue}. Get one with {@link PlaybackQueue#builder(AudioSink)}.
   *
   * <p>Not thread-safe: configure on one thread, then {@link #build()}.
   */
  public static final class Builder {
    private final AudioSink sink;
    private PcmFormat inputFormat = PcmFormat.OUTPUT_24K;
    private Duration preroll = DEFAULT_PREROLL;
    private Duration frameDuration = DEFAULT_FRAME_DURATION;
    private Duration maxBuffered = DEFAULT_MAX_BUFFERED;
    private @Nullable Duration tailTimeout;

    private Builder(AudioSink sink) {
      this.sink = Objects.requireNonNull(sink, "sink");
    }

    /**
     * Format of the audio passed to {@code enqueue}; default {@link PcmFormat#OUTPUT_24K}.
     *
     * @param inputFormat the format of enqueued audio
     * @return this builder
     */
    public Builder inputFormat(PcmFormat inputFormat) {
      this.inputFormat = Objects.requireNonNull(inputFormat, "inputFormat");
      return this;
    }

    /**
     * Audio buffered before playback starts (and restarts after an underrun), 0 to 1 s; default
     * {@link #DEFAULT_PREROLL}. Never less than one frame in effect.
     *
     * @param preroll the preroll duration
     * @return this builder
     */
    public Builder preroll(Duration preroll) {
      this.preroll = range("preroll", preroll, Duration.ZERO, Duration.ofSeconds(1));
      return this;
    }

    /**
     * Audio written to the sink at a time, 5 to 100 ms; default {@link #DEFAULT_FRAME_DURATION}.
     * Also the most stale audio that can follow {@link PlaybackQueue#clear()}.
     *
     * @param frameDuration the write size as a duration
     * @return this builder
     */
    public Builder frameDuration(Duration frameDuration) {
      this.frameDuration =
          range("frameDuration", frameDuration, Duration.ofMillis(5), Duration.ofMillis(100));
      return this;
    }

    /**
     * Bound of the queue, 100 ms to 1 hour; default {@link #DEFAULT_MAX_BUFFERED}.
     *
     * @param maxBuffered the most audio the queue holds before it drops the oldest
     * @return this builder
     */
    public Builder maxBuffered(Duration maxBuffered) {
      this.maxBuffered =
          range("maxBuffered", maxBuffered, Duration.ofMillis(100), Duration.ofHours(1));
      return this;
    }

    /**
     * How long to wait for more audio before playing a tail shorter than the pre-roll, 0 to 1 hour;
     * default: the pre-roll.
     *
     * @param tailTimeout the longest wait for more audio before a short tail plays
     * @return this builder
     */
    public Builder tailTimeout(Duration tailTimeout) {
      this.tailTimeout = range("tailTimeout", tailTimeout, Duration.ZERO, Duration.ofHours(1));
      return this;
    }

    /**
     * Returns the queue, in state {@link State#NEW}.
     *
     * @return the new queue
     */
    public PlaybackQueue build() {
      return new PlaybackQueue(this);
    }

    private static Duration range(String name, Duration value, Duration min, Duration max) {
      Objects.requireNonNull(value, name);
      if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            name + " must be in [" + min + ", " + max + "]: " + value);
      }
      return value;
    }
  }

  /** Describes the state and how much is buffered. */
  @Override
  public String toString() {
    return "PlaybackQueue[" + state() + ", " + bufferedDuration().toMillis() + " ms buffered]";
  }
}
