package dev.geminilive.audio.internal;

import dev.geminilive.audio.AudioSink;
import dev.geminilive.audio.PcmChunk;
import dev.geminilive.audio.PcmFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/** Writes a canonical PCM16 WAV file; see {@link AudioSink#wavFile}. */
public final class WavFileSink implements AudioSink {
  private final Path path;
  private final PcmFormat format;
  private final FileChannel channel;
  // Guarded by this.
  private long dataBytes;
  private boolean closed;

  private WavFileSink(Path path, PcmFormat format, FileChannel channel) {
    this.path = path;
    this.format = format;
    this.channel = channel;
  }

  /** Creates or truncates the file and writes a provisional header. */
  public static WavFileSink create(Path path, PcmFormat format) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(format, "format");
    try {
      FileChannel channel =
          FileChannel.open(
              path,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE);
      WavFileSink sink = new WavFileSink(path, format, channel);
      sink.writeFully(ByteBuffer.wrap(WavHeader.canonical(format, 0)), 0);
      return sink;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create WAV file " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public PcmFormat format() {
    return format;
  }

  @Override
  public synchronized void write(PcmChunk chunk) {
    Objects.requireNonNull(chunk, "chunk");
    if (!chunk.format().equals(format)) {
      throw new IllegalArgumentException(
          "chunk format " + chunk.format() + " does not match sink format " + format);
    }
    if (closed) {
      throw new IllegalStateException("WAV sink for " + path + " is closed");
    }
    try {
      writeFully(ByteBuffer.wrap(chunk.data()), WavHeader.CANONICAL_SIZE + dataBytes);
      dataBytes += chunk.sizeBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write WAV file " + path + ": " + e.getMessage(), e);
    }
  }

  /** Nothing is buffered for playback in a file: a no-op. */
  @Override
  public void discard() {}

  /** Writes the final sizes into the header and closes the file. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try (FileChannel c = channel) {
      writeFully(ByteBuffer.wrap(WavHeader.canonical(format, dataBytes)), 0);
      c.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot finish WAV file " + path + ": " + e.getMessage(), e);
    }
  }

  private void writeFully(ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      at += channel.write(buffer, at);
    }
  }
}
