package dev.geminilive.audio;

import dev.geminilive.audio.internal.SpeakerSink;
import dev.geminilive.audio.internal.WavFileSink;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A destination for PCM audio: a speaker, a WAV file, or memory.
 *
 * <p>{@link #write(PcmChunk)} may block to pace the caller (a speaker accepts audio only as fast as
 * it plays, plus its small buffer). {@link #discard()} drops whatever the sink has accepted but not
 * yet played; it is how {@link PlaybackQueue#clear()} silences stale audio within one frame.
 *
 * <p>Thread-safety: one thread writes; {@link #discard()} and {@link #close()} may be called from
 * any other thread at any time, including while {@code write} blocks (which then returns soon).
 * Whoever opens a sink closes it; a {@link PlaybackQueue} never closes its sink.
 *
 * <pre>{@code
 * try (AudioSink speaker = AudioSink.speaker(PcmFormat.OUTPUT_24K)) {
 *   speaker.write(chunk);
 *   speaker.drain();
 * }
 * }</pre>
 *
 * @since 0.1
 */
public interface AudioSink extends AutoCloseable {

  /** Device buffer of a speaker unless told otherwise: 100 ms. */
  Duration DEFAULT_SPEAKER_BUFFER = Duration.ofMillis(100);

  /**
   * The format {@link #write(PcmChunk)} accepts.
   *
   * @return the accepted format
   */
  PcmFormat format();

  /**
   * Writes a chunk, blocking while the sink's buffer is full.
   *
   * @param chunk the audio, in {@link #format()}
   * @throws IllegalArgumentException if the chunk's format is not {@link #format()}
   * @throws IllegalStateException if the sink is closed
   * @throws AudioDeviceException if a device fails
   * @throws java.io.UncheckedIOException if a file cannot be written
   */
  void write(PcmChunk chunk);

  /** Drops audio written but not yet played (a no-op for sinks that do not buffer). */
  void discard();

  /** Blocks until everything written has been played (a no-op for sinks that do not buffer). */
  default void drain() {}

  /** Finishes and releases the device or file; idempotent. */
  @Override
  void close();

  /**
   * Opens the default speaker ({@code SourceDataLine}) with a device buffer of {@code
   * bufferDuration}. If the device cannot play {@code format} itself, 48 kHz and 44.1 kHz (mono,
   * then stereo) are tried and converted.
   *
   * @param format the format to play
   * @param bufferDuration the size of the device buffer as a duration
   * @return a sink playing to the speaker; the caller closes it
   * @throws AudioDeviceException if no playback line is available, naming the format asked for and
   *     the mixers found
   */
  static AudioSink speaker(PcmFormat format, Duration bufferDuration) {
    return SpeakerSink.open(format, bufferDuration);
  }

  /**
   * Opens the default speaker with a {@link #DEFAULT_SPEAKER_BUFFER} device buffer.
   *
   * @param format the format to play
   * @return a sink playing to the speaker; the caller closes it
   */
  static AudioSink speaker(PcmFormat format) {
    return speaker(format, DEFAULT_SPEAKER_BUFFER);
  }

  /**
   * Creates (or replaces) a RIFF/WAVE PCM16 file; sizes in the header are written on {@link
   * #close()}.
   *
   * @param path the file to write
   * @param format the format of the written audio
   * @return a sink writing the file; the caller closes it, which completes the header
   * @throws java.io.UncheckedIOException if the file cannot be created
   */
  static AudioSink wavFile(Path path, PcmFormat format) {
    return WavFileSink.create(path, format);
  }

  /**
   * Returns a sink that keeps everything written in memory, for tests and offline processing.
   *
   * @param format the format the sink accepts
   * @return an empty in-memory sink
   */
  static MemoryAudioSink memory(PcmFormat format) {
    return new MemoryAudioSink(format);
  }
}
