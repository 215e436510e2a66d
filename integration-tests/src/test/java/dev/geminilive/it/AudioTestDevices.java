package dev.geminilive.it;

import dev.geminilive.audio.AudioSink;
import dev.geminilive.audio.AudioSource;
import dev.geminilive.audio.MemoryAudioSink;
import dev.geminilive.audio.Pcm16;
import dev.geminilive.audio.PcmChunk;
import dev.geminilive.audio.PcmFormat;
import dev.geminilive.audio.WavFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Stand-ins for audio devices in end-to-end tests: a source that delivers a file in real time like
 * a microphone, and a sink that accepts audio only as fast as it plays, like a speaker. Both pace
 * by the wall clock because that is what the devices do (the fake model paces its replies too).
 */
final class AudioTestDevices {
  private AudioTestDevices() {}

  /** Writes a mono WAV file of {@code rateHz}: each segment is a 300 Hz tone or silence. */
  static Path wav(Path dir, int rateHz, Segment... segments) {
    int total = 0;
    for (Segment s : segments) {
      total += (int) (s.duration().toNanos() * rateHz / 1_000_000_000L);
    }
    short[] samples = new short[total];
    int at = 0;
    for (Segment s : segments) {
      int n = (int) (s.duration().toNanos() * rateHz / 1_000_000_000L);
      for (int i = 0; i < n; i++, at++) {
        samples[at] =
            s.tone()
                ? Pcm16.clip(TONE_AMPLITUDE * Math.sin(2 * Math.PI * TONE_HZ * at / rateHz))
                : 0;
      }
    }
    Path path = dir.resolve("user-" + rateHz + ".wav");
    WavFile.write(path, PcmChunk.ofSamples(PcmFormat.mono(rateHz), samples));
    return path;
  }

  static final double TONE_HZ = 300;
  static final double TONE_AMPLITUDE = 8_000;

  /** A piece of the synthetic user recording. */
  record Segment(boolean tone, Duration duration) {
    static Segment tone(long millis) {
      return new Segment(true, Duration.ofMillis(millis));
    }

    static Segment silence(long millis) {
      return new Segment(false, Duration.ofMillis(millis));
    }
  }

  /** Amplitude of the best-fitting {@code freqHz} sinusoid in {@code x[from, to)}. */
  static double toneAmplitude(short[] x, int from, int to, int rateHz, double freqHz) {
    double cc = 0, ss = 0, cs = 0, yc = 0, ys = 0;
    for (int i = from; i < to; i++) {
      double w = 2 * Math.PI * freqHz * i / rateHz;
      double c = Math.cos(w);
      double s = Math.sin(w);
      cc += c * c;
      ss += s * s;
      cs += c * s;
      yc += x[i] * c;
      ys += x[i] * s;
    }
    double det = cc * ss - cs * cs;
    return Math.hypot((yc * ss - ys * cs) / det, (ys * cc - yc * cs) / det);
  }

  /** Delivers each chunk of {@code source} when its capture would have finished. */
  static AudioSource realTime(AudioSource source) {
    return new AudioSource() {
      private long startNanos = -1; // owned by the reading thread
      private long deliveredNanos;

      @Override
      public PcmFormat format() {
        return source.format();
      }

      @Override
      public Optional<PcmChunk> read() {
        Optional<PcmChunk> chunk = source.read();
        if (startNanos < 0) {
          startNanos = System.nanoTime();
        }
        if (chunk.isPresent()) {
          deliveredNanos += chunk.get().duration().toNanos();
          parkUntil(startNanos + deliveredNanos);
        }
        return chunk;
      }

      @Override
      public void close() {
        source.close();
      }
    };
  }

  private static void parkUntil(long deadlineNanos) {
    long left;
    while ((left = deadlineNanos - System.nanoTime()) > 0) {
      java.util.concurrent.locks.LockSupport.parkNanos(left);
    }
  }

  /**
   * A speaker: {@code write} returns when the device buffer ({@code buffer} long) has room, and
   * {@code discard} drops what is buffered. Everything written is also kept in {@link #recorded()}
   * with the time of the last write.
   */
  static final class Speaker implements AudioSink {
    private final PcmFormat format;
    private final long bufferNanos;
    private final MemoryAudioSink recorded;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition discarded = lock.newCondition();
    // Guarded by lock.
    private long playheadNanos; // when what is buffered has played
    private long lastWriteNanos;

    Speaker(PcmFormat format, Duration buffer) {
      this.format = format;
      this.bufferNanos = buffer.toNanos();
      this.recorded = AudioSink.memory(format);
    }

    MemoryAudioSink recorded() {
      return recorded;
    }

    long totalBytes() {
      return recorded.totalBytes();
    }

    long lastWriteNanos() {
      lock.lock();
      try {
        return lastWriteNanos;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public PcmFormat format() {
      return format;
    }

    @Override
    public void write(PcmChunk chunk) {
      lock.lock();
      try {
        long now = System.nanoTime();
        playheadNanos = Math.max(playheadNanos, now) + chunk.duration().toNanos();
        recorded.write(chunk);
        lastWriteNanos = now;
        long left;
        while ((left = playheadNanos - bufferNanos - System.nanoTime()) > 0) {
          discarded.awaitNanos(left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void discard() {
      lock.lock();
      try {
        playheadNanos = System.nanoTime();
        discarded.signalAll();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void close() {
      discard();
      recorded.close();
    }
  }
}
