package dev.geminilive.audio.internal;

import dev.geminilive.audio.AudioChunker;
import dev.geminilive.audio.AudioSource;
import dev.geminilive.audio.PcmChunk;
import dev.geminilive.audio.PcmFormat;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;

/** Reads a WAV file converted to a requested format; see {@link AudioSource#wavFile}. */
public final class WavFileSource implements AudioSource {
  private final Path path;
  private final InputStream in;
  private final WavHeader header;
  private final PcmFormat format;
  private final FormatConverter converter;
  private final AudioChunker chunker;
  private final byte[] readBuffer;
  // Owned by the reading thread.
  private final ArrayDeque<PcmChunk> ready = new ArrayDeque<>();
  private long remaining;
  private boolean ended;
  private volatile boolean closed;

  private WavFileSource(
      Path path, InputStream in, WavHeader header, PcmFormat format, Duration chunkDuration) {
    this.path = path;
    this.in = in;
    this.header = header;
    this.format = format;
    this.converter = new FormatConverter(header.format(), format);
    this.chunker = new AudioChunker(format, chunkDuration);
    this.readBuffer = new byte[Math.max(header.format().bytesFor(chunkDuration), 2)];
    this.remaining = header.dataBytes() < 0 ? Long.MAX_VALUE : header.dataBytes();
  }

  /** Opens the file and reads its header. */
  public static WavFileSource open(Path path, PcmFormat format, Duration chunkDuration) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(chunkDuration, "chunkDuration");
    new AudioChunker(format, chunkDuration); // validates the duration
    InputStream in = null;
    try {
      in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
      WavHeader header = WavHeader.read(in, path.toString());
      return new WavFileSource(path, in, header, format, chunkDuration);
    } catch (IOException e) {
      closeQuietly(in, e);
      throw new UncheckedIOException("Cannot read WAV file " + path + ": " + e.getMessage(), e);
    }
  }

  /** The format of the file itself. */
  public PcmFormat fileFormat() {
    return header.format();
  }

  @Override
  public PcmFormat format() {
    return format;
  }

  @Override
  public Optional<PcmChunk> read() {
    try {
      while (ready.isEmpty() && !ended && !closed) {
        int frame = header.format().bytesPerFrame();
        int want = (int) Math.min(readBuffer.length - readBuffer.length % frame, remaining);
        int n = in.readNBytes(readBuffer, 0, want);
        remaining -= n;
        int whole = n - n % frame;
        if (whole > 0) {
          ready.addAll(chunker.push(converter.convert(java.util.Arrays.copyOf(readBuffer, whole))));
        }
        if (n < want || remaining == 0 || n == 0) {
          ended = true;
          ready.addAll(chunker.push(converter.flush()));
          chunker.flush().ifPresent(ready::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read WAV file " + path + ": " + e.getMessage(), e);
    }
    if (closed) {
      return Optional.empty();
    }
    return Optional.ofNullable(ready.poll());
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot close WAV file " + path, e);
    }
  }

  private static void closeQuietly(InputStream in, IOException failure) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        failure.addSuppressed(e);
      }
    }
  }
}
