package dev.geminilive.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlaybackQueueTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final PcmFormat OUT = PcmFormat.OUTPUT_24K;
  private final List<PlaybackQueue> queues = new ArrayList<>();

  @AfterEach
  void closeQueues() {
    queues.forEach(PlaybackQueue::close);
  }

  private PlaybackQueue track(PlaybackQueue q) {
    queues.add(q);
    return q;
  }

  private static byte[] millisOf(int millis, int value) {
    short[] s = new short[OUT.sampleRateHz() * millis / 1000];
    java.util.Arrays.fill(s, (short) value);
    return Pcm16.toBytes(s);
  }

  /** A sink whose writes block until the test hands out permits; records every write. */
  static final class GatedSink implements AudioSink {
    final Semaphore permits = new Semaphore(0);
    final AtomicBoolean clearReturned = new AtomicBoolean();
    final AtomicLong enqueuedBytes = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition entered = lock.newCondition();
    private int entries;
    final List<PcmChunk> written = new ArrayList<>();
    final List<Boolean> afterClear = new ArrayList<>();
    final List<Long> enqueuedAtWrite = new ArrayList<>();
    int discards;

    @Override
    public PcmFormat format() {
      return OUT;
    }

    @Override
    public void write(PcmChunk chunk) {
      long enqueued = enqueuedBytes.get();
      lock.lock();
      try {
        entries++;
        entered.signalAll();
      } finally {
        lock.unlock();
      }
      permits.acquireUninterruptibly();
      boolean after = clearReturned.get();
      lock.lock();
      try {
        written.add(chunk);
        afterClear.add(after);
        enqueuedAtWrite.add(enqueued);
        entered.signalAll();
      } finally {
        lock.unlock();
      }
    }

    void awaitEntries(int n) throws InterruptedException {
      long left = WAIT.toNanos();
      lock.lock();
      try {
        while (entries < n) {
          assertThat(left).as("timed out waiting for write %d", n).isPositive();
          left = entered.awaitNanos(left);
        }
      } finally {
        lock.unlock();
      }
    }

    /** Waits until {@code n} writes have been recorded (not merely entered). */
    void awaitWritten(int n) throws InterruptedException {
      long left = WAIT.toNanos();
      lock.lock();
      try {
        while (written.size() < n) {
          assertThat(left).as("timed out waiting for recorded write %d", n).isPositive();
          left = entered.awaitNanos(left);
        }
      } finally {
        lock.unlock();
      }
    }

    <T> T read(java.util.function.Supplier<T> s) {
      lock.lock();
      try {
        return s.get();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void discard() {
      lock.lock();
      try {
        discards++;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void close() {}
  }

  @Test
  void playsEverythingEnqueuedInOrderInWholeFrames() throws InterruptedException {
    MemoryAudioSink sink = AudioSink.memory(OUT);
    PlaybackQueue playback = track(PlaybackQueue.builder(sink).build());
    playback.start();
    byte[] audio = Pcm16.toBytes(Signals.sine(24_000, 440, 20_000, 24_000));
    int[] cuts = {0, 8, 1_002, 4_800, 20_000, 33_334, 48_000}; // whole 2-byte frames
    for (int i = 1; i < cuts.length; i++) {
      playback.enqueue(java.util.Arrays.copyOfRange(audio, cuts[i - 1], cuts[i]));
    }
    playback.endOfTurn();

    assertThat(sink.awaitBytes(audio.length, WAIT)).isTrue();
    assertThat(playback.awaitIdle(WAIT)).isTrue();
    assertThat(sink.bytes()).isEqualTo(audio);
    assertThat(sink.chunks()).allSatisfy(c -> assertThat(c.sizeBytes()).isEqualTo(960));
    assertThat(playback.framesWritten()).isEqualTo(50);
  }

  @Test
  void convertsTheModelsAudioToTheSinkFormat() throws InterruptedException {
    PcmFormat device = PcmFormat.of(48_000, 2);
    MemoryAudioSink sink = AudioSink.memory(device);
    PlaybackQueue playback = track(PlaybackQueue.builder(sink).build());
    playback.start();
    playback.enqueue(PcmChunk.ofSamples(OUT, Signals.sine(24_000, 1_000, 16_000, 24_000)));
    playback.endOfTurn();
    assertThat(playback.awaitIdle(WAIT)).isTrue();

    short[] stereo = PcmChunk.of(device, sink.bytes()).samples();
    short[] left = new short[stereo.length / 2];
    for (int i = 0; i < left.length; i++) {
      left[i] = stereo[2 * i];
      assertThat(stereo[2 * i + 1]).isEqualTo(stereo[2 * i]);
    }
    // Everything but the resampler's tail (not flushed: the stream goes on) arrives.
    assertThat(left.length).isBetween(47_800, 48_000);
    assertThat(Signals.amplitude(left, 4_800, 43_200, 48_000, 1_000))
        .isCloseTo(16_000, org.assertj.core.data.Offset.offset(20.0));
  }

  @Test
  void waitsForThePrerollBeforeTheFirstFrame() throws InterruptedException {
    GatedSink sink = new GatedSink();
    sink.permits.release(1_000);
    PlaybackQueue playback =
        track(
            PlaybackQueue.builder(sink)
                .preroll(Duration.ofMillis(60))
                .tailTimeout(Duration.ofHours(1))
                .build());
    playback.start();
    for (int i = 0; i < 4; i++) {
      byte[] piece = millisOf(20, i);
      sink.enqueuedBytes.addAndGet(piece.length);
      playback.enqueue(piece);
    }
    sink.awaitWritten(1);
    // When the first frame was written, at least the pre-roll (60 ms = 2880 bytes) had arrived.
    assertThat(sink.read(() -> sink.enqueuedAtWrite.get(0))).isGreaterThanOrEqualTo(2_880L);
  }

  @Test
  void endOfTurnPlaysATailShorterThanThePreroll() throws InterruptedException {
    MemoryAudioSink sink = AudioSink.memory(OUT);
    PlaybackQueue playback =
        track(PlaybackQueue.builder(sink).tailTimeout(Duration.ofHours(1)).build());
    playback.start();
    playback.enqueue(millisOf(30, 5));
    playback.endOfTurn();
    assertThat(sink.awaitBytes(1_440, WAIT)).isTrue();
    assertThat(sink.chunks()).extracting(PcmChunk::sizeBytes).containsExactly(960, 480);
  }

  @Test
  void aTailShorterThanThePrerollPlaysAfterTheTailTimeout() throws InterruptedException {
    MemoryAudioSink sink = AudioSink.memory(OUT);
    PlaybackQueue playback =
        track(PlaybackQueue.builder(sink).tailTimeout(Duration.ofMillis(30)).build());
    playback.start();
    playback.enqueue(millisOf(30, 5));
    assertThat(sink.awaitBytes(1_440, WAIT)).isTrue();
  }

  @Test
  void afterClearReturnsAtMostOneMoreFrameReachesTheSink() throws InterruptedException {
    GatedSink sink = new GatedSink();
    PlaybackQueue playback =
        track(PlaybackQueue.builder(sink).frameDuration(Duration.ofMillis(20)).build());
    playback.start();
    for (int i = 0; i < 100; i++) {
      playback.enqueue(millisOf(20, i)); // 2 s of model audio, far ahead of playback
    }
    sink.permits.release(3);
    sink.awaitEntries(4); // three frames played; the thread now blocks writing the fourth

    long start = System.nanoTime();
    playback.clear();
    long clearNanos = System.nanoTime() - start;
    sink.clearReturned.set(true);
    sink.permits.release(1_000);
    assertThat(playback.awaitIdle(WAIT)).isTrue();

    long framesAfterClear = sink.read(() -> sink.afterClear.stream().filter(b -> b).count());
    System.out.printf(
        "clear() returned in %.1f us; frames reaching the sink after it returned: %d (%d ms)%n",
        clearNanos / 1e3, framesAfterClear, framesAfterClear * 20);
    assertThat(framesAfterClear).isLessThanOrEqualTo(1);
    assertThat(sink.read(() -> sink.written.size())).isLessThanOrEqualTo(4);
    assertThat(sink.read(() -> sink.discards)).isEqualTo(1);
    assertThat(playback.bufferedDuration()).isZero();
  }

  @Test
  void audioEnqueuedAfterClearPlaysNormally() throws InterruptedException {
    MemoryAudioSink sink = AudioSink.memory(OUT);
    PlaybackQueue playback = track(PlaybackQueue.builder(sink).build());
    playback.enqueue(millisOf(100, 1)); // before start: only buffered
    playback.clear();
    playback.start();
    playback.enqueue(millisOf(100, 2));
    playback.endOfTurn();
    assertThat(sink.awaitBytes(4_800, WAIT)).isTrue();
    assertThat(playback.awaitIdle(WAIT)).isTrue();
    assertThat(Pcm16.toShorts(sink.bytes())).hasSize(2_400).containsOnly((short) 2);
  }

  @Test
  void enqueueNeverBlocksAndDropsTheOldestAudioWhenFull() throws InterruptedException {
    GatedSink sink = new GatedSink(); // no permits: the playback thread is stuck in write
    PlaybackQueue playback =
        track(PlaybackQueue.builder(sink).maxBuffered(Duration.ofMillis(200)).build());
    playback.start();
    for (int i = 0; i < 100; i++) {
      playback.enqueue(millisOf(20, i));
    }
    sink.awaitEntries(1);
    // The blocked write took one 20 ms frame, before or after the queue filled up.
    assertThat(playback.bufferedDuration())
        .isBetween(Duration.ofMillis(180), Duration.ofMillis(200));
    // 2 s enqueued, at most 200 ms kept, one frame held by the blocked write.
    assertThat(playback.droppedBytes()).isBetween(1_780L * 48, 1_800L * 48);

    sink.permits.release(1_000);
    playback.endOfTurn();
    assertThat(playback.awaitIdle(WAIT)).isTrue();
    List<Short> firstSamples = new ArrayList<>();
    for (PcmChunk c : sink.read(() -> List.copyOf(sink.written))) {
      firstSamples.add(c.samples()[0]);
    }
    // Whatever frame the blocked write held, what remained was the newest audio, in order.
    assertThat(firstSamples).hasSizeBetween(10, 11);
    assertThat(firstSamples.subList(firstSamples.size() - 9, firstSamples.size()))
        .containsExactly(
            (short) 91,
            (short) 92,
            (short) 93,
            (short) 94,
            (short) 95,
            (short) 96,
            (short) 97,
            (short) 98,
            (short) 99);
  }

  @Test
  void stopPausesWithTheQueueKeptAndStartResumes() throws InterruptedException {
    MemoryAudioSink sink = AudioSink.memory(OUT);
    PlaybackQueue playback = track(PlaybackQueue.builder(sink).build());
    assertThat(playback.state()).isEqualTo(PlaybackQueue.State.NEW);
    playback.enqueue(millisOf(100, 3));
    playback.start();
    playback.stop();
    assertThat(playback.state()).isEqualTo(PlaybackQueue.State.STOPPED);
    playback.start();
    playback.endOfTurn();
    assertThat(sink.awaitBytes(4_800, WAIT)).isTrue();
    assertThat(playback.state()).isEqualTo(PlaybackQueue.State.RUNNING);
  }

  @Test
  void closeIsTerminalIdempotentAndLeavesTheSinkOpen() {
    MemoryAudioSink sink = AudioSink.memory(OUT);
    PlaybackQueue playback = track(PlaybackQueue.builder(sink).build());
    playback.start();
    playback.enqueue(millisOf(40, 1));
    playback.close();
    playback.close();
    playback.clear(); // harmless
    assertThat(playback.state()).isEqualTo(PlaybackQueue.State.CLOSED);
    assertThatThrownBy(() -> playback.enqueue(millisOf(20, 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(playback::start).isInstanceOf(IllegalStateException.class);
    sink.write(PcmChunk.of(OUT, new byte[2])); // the sink belongs to the caller and still works
  }

  @Test
  void rejectsBadSettingsAndPartialFrames() {
    MemoryAudioSink sink = AudioSink.memory(OUT);
    assertThatThrownBy(() -> PlaybackQueue.builder(sink).frameDuration(Duration.ofMillis(1)))
        .hasMessageContaining("frameDuration");
    assertThatThrownBy(() -> PlaybackQueue.builder(sink).preroll(Duration.ofSeconds(-1)))
        .hasMessageContaining("preroll");
    PlaybackQueue playback = track(PlaybackQueue.builder(sink).build());
    assertThatThrownBy(() -> playback.enqueue(new byte[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whole number of frames");
    assertThatThrownBy(() -> playback.enqueue(PcmChunk.of(PcmFormat.INPUT_16K, new byte[2])))
        .hasMessageContaining("input format");
  }

  @Test
  void aFailingSinkStopsPlaybackAndDropsTheQueue() throws InterruptedException {
    AudioSink broken =
        new AudioSink() {
          @Override
          public PcmFormat format() {
            return OUT;
          }

          @Override
          public void write(PcmChunk chunk) {
            throw new IllegalStateException("device unplugged");
          }

          @Override
          public void discard() {}

          @Override
          public void close() {}
        };
    PlaybackQueue playback = track(PlaybackQueue.builder(broken).build());
    playback.start();
    playback.enqueue(millisOf(200, 1));
    assertThat(playback.awaitIdle(WAIT)).isTrue();
    assertThat(playback.state()).isEqualTo(PlaybackQueue.State.STOPPED);
    assertThat(playback.bufferedDuration()).isZero();
  }
}
