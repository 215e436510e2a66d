package dev.geminilive.audio;

import dev.geminilive.audio.internal.WavHeader;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads and writes whole RIFF/WAVE files of 16-bit PCM.
 *
 * <p>For long files or live streams use {@link AudioSource#wavFile} and {@link AudioSink#wavFile}
 * instead, which work chunk by chunk. Reading accepts {@code WAVE_FORMAT_PCM} and {@code
 * WAVE_FORMAT_EXTENSIBLE} with 16-bit PCM at any rate and channel count, skips unknown chunks, and
 * reads to the end of the file when the header's data size was never filled in. Other encodings
 * (8-bit, 24-bit, float, compressed) are rejected with a message saying so: this module
 * deliberately does not decode them.
 *
 * <p>Stateless and thread-safe.
 *
 * <pre>{@code
 * PcmChunk greeting = WavFile.read(Path.of("hello.wav"), PcmFormat.INPUT_16K);
 * WavFile.write(Path.of("reply.wav"), PcmChunk.of(PcmFormat.OUTPUT_24K, replyBytes));
 * }</pre>
 *
 * @since 0.1
 */
public final class WavFile {
  private WavFile() {}

  /**
   * Reads a whole file in its own format.
   *
   * @param path the file to read
   * @return the whole audio, in the file's format
   * @throws UncheckedIOException if the file cannot be read or is not 16-bit PCM WAV
   */
  public static PcmChunk read(Path path) {
    Objects.requireNonNull(path, "path");
    try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
      WavHeader header = WavHeader.read(in, path.toString());
      byte[] data =
          header.dataBytes() < 0
              ? in.readAllBytes()
              : in.readNBytes((int) Math.min(header.dataBytes(), Integer.MAX_VALUE - 8));
      int whole = data.length - data.length % header.format().bytesPerFrame();
      return new PcmChunk(header.format(), java.util.Arrays.copyOf(data, whole));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read WAV file " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a whole file converted to {@code format} (downmix to mono and {@link Resampler} as
   * needed).
   *
   * @param path the file to read
   * @param format the format to convert to
   * @return the whole audio, in {@code format}
   * @throws UncheckedIOException if the file cannot be read or is not 16-bit PCM WAV
   */
  public static PcmChunk read(Path path, PcmFormat format) {
    Objects.requireNonNull(format, "format");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (AudioSource source = AudioSource.wavFile(path, format, AudioChunker.MAX_CHUNK_DURATION)) {
      source.forEachChunk(chunk -> out.writeBytes(chunk.data()));
    }
    return new PcmChunk(format, out.toByteArray());
  }

  /**
   * Writes {@code audio} as a canonical 44-byte-header WAV file, replacing any existing file.
   *
   * @param path the file to write
   * @param audio the audio to write, in its own format
   * @throws UncheckedIOException if the file cannot be written
   */
  public static void write(Path path, PcmChunk audio) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(audio, "audio");
    try (OutputStream out = Files.newOutputStream(path)) {
      out.write(WavHeader.canonical(audio.format(), audio.sizeBytes()));
      out.write(audio.data());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write WAV file " + path + ": " + e.getMessage(), e);
    }
  }
}
