package dev.geminilive.audio.internal;

import dev.geminilive.audio.AudioDeviceException;
import dev.geminilive.audio.PcmFormat;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;
import org.jspecify.annotations.Nullable;

/** Opens {@code javax.sound} lines, falling back to common device formats, with clear failures. */
final class DeviceLines {
  private DeviceLines() {}

  record Opened<T extends DataLine>(T line, PcmFormat format) {}

  /** The format asked for first, then what nearly every device supports. */
  static List<PcmFormat> candidates(PcmFormat wanted) {
    Set<PcmFormat> set = new LinkedHashSet<>();
    set.add(wanted);
    set.add(PcmFormat.of(48_000, 1));
    set.add(PcmFormat.of(44_100, 1));
    set.add(PcmFormat.of(48_000, 2));
    set.add(PcmFormat.of(44_100, 2));
    return List.copyOf(set);
  }

  static Opened<TargetDataLine> openCapture(PcmFormat wanted, int bufferMillis) {
    return open(TargetDataLine.class, "microphone (capture)", wanted, bufferMillis);
  }

  static Opened<SourceDataLine> openPlayback(PcmFormat wanted, int bufferMillis) {
    return open(SourceDataLine.class, "speaker (playback)", wanted, bufferMillis);
  }

  private static <T extends DataLine> Opened<T> open(
      Class<T> type, String role, PcmFormat wanted, int bufferMillis) {
    List<PcmFormat> tried = candidates(wanted);
    @Nullable Throwable last = null;
    for (PcmFormat format : tried) {
      DataLine.Info info = new DataLine.Info(type, format.toAudioFormat());
      try {
        if (!AudioSystem.isLineSupported(info)) {
          continue;
        }
        T line = type.cast(AudioSystem.getLine(info));
        int bufferBytes =
            Math.max(format.bytesPerFrame(), format.bytesPerSecond() / 1000 * bufferMillis);
        if (line instanceof TargetDataLine capture) {
          capture.open(format.toAudioFormat(), bufferBytes);
        } else if (line instanceof SourceDataLine playback) {
          playback.open(format.toAudioFormat(), bufferBytes);
        }
        return new Opened<>(line, format);
      } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
        last = e;
      }
    }
    throw new AudioDeviceException(
        "No "
            + role
            + " line available for "
            + wanted
            + " (formats tried: "
            + tried
            + "); mixers found: "
            + mixers()
            + ". Is a sound device present and accessible to this JVM?",
        last);
  }

  static String mixers() {
    List<String> names = new ArrayList<>();
    try {
      for (Mixer.Info info : AudioSystem.getMixerInfo()) {
        names.add(info.getName());
      }
    } catch (RuntimeException | LinkageError e) {
      return "unknown (" + e + ")";
    }
    return names.isEmpty() ? "none" : names.toString();
  }
}
