package dev.geminilive.audio.internal;

import dev.geminilive.audio.AudioChunker;
import dev.geminilive.audio.AudioSource;
import dev.geminilive.audio.PcmChunk;
import dev.geminilive.audio.PcmFormat;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import javax.sound.sampled.TargetDataLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Captures from a {@link TargetDataLine}; see {@link AudioSource#microphone}. */
public final class MicrophoneSource implements AudioSource {
  private static final Logger log = LoggerFactory.getLogger(MicrophoneSource.class);

  private final TargetDataLine line;
  private final PcmFormat format;
  private final FormatConverter converter;
  private final AudioChunker chunker;
  private final byte[] readBuffer;
  // Owned by the reading thread.
  private final ArrayDeque<PcmChunk> ready = new ArrayDeque<>();
  private volatile boolean closed;

  private MicrophoneSource(
      TargetDataLine line, PcmFormat captureFormat, PcmFormat format, Duration chunkDuration) {
    this.line = line;
    this.format = format;
    this.converter = new FormatConverter(captureFormat, format);
    this.chunker = new AudioChunker(format, chunkDuration);
    this.readBuffer = new byte[captureFormat.bytesFor(chunkDuration)];
  }

  /** Opens and starts the default capture line; see {@link AudioSource#microphone}. */
  public static MicrophoneSource open(PcmFormat format, Duration chunkDuration) {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(chunkDuration, "chunkDuration");
    new AudioChunker(format, chunkDuration); // validates the duration before touching a device
    DeviceLines.Opened<TargetDataLine> opened =
        DeviceLines.openCapture(format, (int) Math.max(4 * chunkDuration.toMillis(), 100));
    MicrophoneSource source =
        new MicrophoneSource(opened.line(), opened.format(), format, chunkDuration);
    opened.line().start();
    log.info("Microphone open: capturing {} as {}", opened.format(), format);
    return source;
  }

  @Override
  public PcmFormat format() {
    return format;
  }

  @Override
  public Optional<PcmChunk> read() {
    while (ready.isEmpty()) {
      if (closed) {
        return Optional.empty();
      }
      int n = line.read(readBuffer, 0, readBuffer.length);
      if (n <= 0) {
        // The line only returns short when stopped, flushed or closed: the stream has ended.
        return Optional.empty();
      }
      int whole = n - n % converter.from().bytesPerFrame();
      byte[] piece = java.util.Arrays.copyOf(readBuffer, whole);
      ready.addAll(chunker.push(converter.convert(piece)));
    }
    return Optional.of(ready.poll());
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    line.stop();
    line.flush();
    line.close();
    log.info("Microphone closed");
  }
}
