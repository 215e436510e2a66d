package dev.geminilive.audio.internal;

import dev.geminilive.audio.Pcm16;
import dev.geminilive.audio.PcmFormat;
import dev.geminilive.audio.Resampler;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Streams PCM16 from one {@link PcmFormat} to another: downmix to mono, resample, then copy the
 * mono signal to every output channel. Equal formats pass through untouched (stereo stays stereo);
 * a rate change of multi-channel audio goes through mono.
 *
 * <p>Not thread-safe: one instance per stream.
 */
public final class FormatConverter {
  private final PcmFormat from;
  private final PcmFormat to;
  private final @Nullable Resampler resampler;

  /** Creates a converter for one stream from {@code from} to {@code to}. */
  public FormatConverter(PcmFormat from, PcmFormat to) {
    this.from = Objects.requireNonNull(from, "from");
    this.to = Objects.requireNonNull(to, "to");
    this.resampler =
        from.sampleRateHz() == to.sampleRateHz()
            ? null
            : Resampler.create(from.sampleRateHz(), to.sampleRateHz());
  }

  /** The input format. */
  public PcmFormat from() {
    return from;
  }

  /** The output format. */
  public PcmFormat to() {
    return to;
  }

  /** Whether input passes through unchanged. */
  public boolean isIdentity() {
    return from.equals(to);
  }

  /** Converts whole frames of {@code from}; returns whole frames of {@code to}. */
  public byte[] convert(byte[] pcm) {
    if (isIdentity()) {
      return pcm;
    }
    short[] mono = Pcm16.downmixToMono(Pcm16.toShorts(pcm), from.channels());
    short[] resampled = resampler == null ? mono : resampler.process(mono);
    return Pcm16.toBytes(spread(resampled));
  }

  /** Ends the stream: returns the resampler's tail and resets for a new stream. */
  public byte[] flush() {
    if (resampler == null) {
      return new byte[0];
    }
    return Pcm16.toBytes(spread(resampler.flush()));
  }

  /** Forgets the stream state without output (e.g. after playback was cleared). */
  public void reset() {
    if (resampler != null) {
      resampler.reset();
    }
  }

  private short[] spread(short[] mono) {
    int channels = to.channels();
    if (channels == 1) {
      return mono;
    }
    short[] out = new short[mono.length * channels];
    for (int i = 0, j = 0; i < mono.length; i++) {
      for (int c = 0; c < channels; c++) {
        out[j++] = mono[i];
      }
    }
    return out;
  }
}
