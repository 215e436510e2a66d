package dev.geminilive.audio;

import dev.geminilive.audio.internal.MemorySource;
import dev.geminilive.audio.internal.MicrophoneSource;
import dev.geminilive.audio.internal.WavFileSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A pull source of PCM audio in fixed-size chunks: a microphone, a WAV file, or bytes in memory.
 *
 * <p>Every chunk has the {@link #format()} the source was opened with (conversion from the device's
 * or file's own format, by downmix and {@link Resampler}, happens inside) and the chunk duration it
 * was opened with, except possibly a shorter last one. {@link #read()} blocks until the next chunk
 * is ready and returns empty at the end of the stream (a file's end, or {@link #close()} on a
 * microphone).
 *
 * <p>Thread-safety: one thread reads; {@link #close()} may be called from any thread and makes a
 * blocked {@code read()} return empty. Whoever opens a source closes it.
 *
 * <pre>{@code
 * try (AudioSource mic = AudioSource.microphone(PcmFormat.INPUT_16K, Duration.ofMillis(40))) {
 *   mic.forEachChunk(chunk -> session.sendAudio(chunk.data()));
 * }
 * }</pre>
 *
 * @since 0.1
 */
public interface AudioSource extends AutoCloseable {

  /**
   * The format of every chunk this source returns.
   *
   * @return the format of the chunks
   */
  PcmFormat format();

  /**
   * Returns the next chunk, blocking until it is available; empty at the end of the stream or after
   * {@link #close()}.
   *
   * @return the next chunk, or empty once the stream has ended or the source is closed
   * @throws AudioDeviceException if a device fails while reading
   * @throws java.io.UncheckedIOException if a file cannot be read
   */
  Optional<PcmChunk> read();

  /**
   * Reads until the end of the stream, handing each chunk to {@code consumer} on this thread.
   *
   * @param consumer receives each chunk in order
   */
  default void forEachChunk(Consumer<? super PcmChunk> consumer) {
    Objects.requireNonNull(consumer, "consumer");
    for (Optional<PcmChunk> chunk = read(); chunk.isPresent(); chunk = read()) {
      consumer.accept(chunk.get());
    }
  }

  /** Releases the device or file; idempotent. */
  @Override
  void close();

  /**
   * Opens the default microphone ({@code TargetDataLine}) and starts capturing. If the device
   * cannot capture {@code format} itself, 48 kHz and 44.1 kHz (mono, then stereo) are tried and
   * converted.
   *
   * @param format the format to capture in
   * @param chunkDuration the length of each chunk returned by {@link #read()}
   * @return a source capturing from the microphone; the caller closes it
   * @throws AudioDeviceException if no capture line is available, naming the format asked for and
   *     the mixers found
   */
  static AudioSource microphone(PcmFormat format, Duration chunkDuration) {
    return MicrophoneSource.open(format, chunkDuration);
  }

  /**
   * Opens the default microphone with {@link AudioChunker#DEFAULT_CHUNK_DURATION} chunks.
   *
   * @param format the format to capture in
   * @return a source capturing from the microphone; the caller closes it
   */
  static AudioSource microphone(PcmFormat format) {
    return microphone(format, AudioChunker.DEFAULT_CHUNK_DURATION);
  }

  /**
   * Opens a RIFF/WAVE file of 16-bit PCM (any rate, any channel count) and reads it converted to
   * {@code format}.
   *
   * @param path the file to read
   * @param format the format to convert to
   * @param chunkDuration the length of each chunk returned by {@link #read()}
   * @return a source reading the file; the caller closes it
   * @throws java.io.UncheckedIOException if the file cannot be read or is not 16-bit PCM WAV
   */
  static AudioSource wavFile(Path path, PcmFormat format, Duration chunkDuration) {
    return WavFileSource.open(path, format, chunkDuration);
  }

  /**
   * Like {@link #wavFile(Path, PcmFormat, Duration)} with the default chunk duration.
   *
   * @param path the file to read
   * @param format the format to convert to
   * @return a source reading the file; the caller closes it
   */
  static AudioSource wavFile(Path path, PcmFormat format) {
    return wavFile(path, format, AudioChunker.DEFAULT_CHUNK_DURATION);
  }

  /**
   * Returns a source that reads {@code audio} in chunks of {@code chunkDuration}.
   *
   * @param audio the audio to read
   * @param chunkDuration the length of each chunk; the last one may be shorter
   * @return a source over {@code audio}
   */
  static AudioSource of(PcmChunk audio, Duration chunkDuration) {
    return new MemorySource(audio, chunkDuration);
  }

  /**
   * Returns a source that reads {@code audio} in chunks of the default duration.
   *
   * @param audio the audio to read
   * @return a source over {@code audio}
   */
  static AudioSource of(PcmChunk audio) {
    return of(audio, AudioChunker.DEFAULT_CHUNK_DURATION);
  }
}
