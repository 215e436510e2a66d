package dev.geminilive.audio.internal;

import dev.geminilive.audio.AudioSink;
import dev.geminilive.audio.PcmChunk;
import dev.geminilive.audio.PcmFormat;
import java.time.Duration;
import java.util.Objects;
import javax.sound.sampled.SourceDataLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Plays through a {@link SourceDataLine}; see {@link AudioSink#speaker}. */
public final class SpeakerSink implements AudioSink {
  private static final Logger log = LoggerFactory.getLogger(SpeakerSink.class);

  private final SourceDataLine line;
  private final PcmFormat format;
  private final FormatConverter converter; // guarded by itself: discard() resets it
  private volatile boolean closed;

  private SpeakerSink(SourceDataLine line, PcmFormat deviceFormat, PcmFormat format) {
    this.line = line;
    this.format = format;
    this.converter = new FormatConverter(format, deviceFormat);
  }

  /** Opens and starts the default playback line; see {@link AudioSink#speaker}. */
  public static SpeakerSink open(PcmFormat format, Duration bufferDuration) {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(bufferDuration, "bufferDuration");
    if (bufferDuration.toMillis() < 10) {
      throw new IllegalArgumentException(
          "bufferDuration must be at least 10 ms: " + bufferDuration.toMillis() + " ms");
    }
    DeviceLines.Opened<SourceDataLine> opened =
        DeviceLines.openPlayback(format, (int) bufferDuration.toMillis());
    opened.line().start();
    log.info("Speaker open: playing {} as {}", format, opened.format());
    return new SpeakerSink(opened.line(), opened.format(), format);
  }

  @Override
  public PcmFormat format() {
    return format;
  }

  @Override
  public void write(PcmChunk chunk) {
    Objects.requireNonNull(chunk, "chunk");
    if (!chunk.format().equals(format)) {
      throw new IllegalArgumentException(
          "chunk format " + chunk.format() + " does not match sink format " + format);
    }
    if (closed) {
      throw new IllegalStateException("Speaker is closed");
    }
    byte[] device;
    synchronized (converter) {
      device = converter.convert(chunk.data());
    }
    line.write(device, 0, device.length); // blocks while the device buffer is full
  }

  @Override
  public void discard() {
    synchronized (converter) {
      converter.reset();
    }
    line.flush(); // a write blocked on a full buffer returns after this
  }

  @Override
  public void drain() {
    if (!closed) {
      line.drain();
    }
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
    log.info("Speaker closed");
  }
}
