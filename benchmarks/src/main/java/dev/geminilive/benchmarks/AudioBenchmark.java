package dev.geminilive.benchmarks;

import dev.geminilive.audio.G711;
import dev.geminilive.audio.Resampler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Section 6 (JMH): every operation converts one second of audio (a 1 kHz tone at half scale), the
 * library in 20 ms chunks as a live stream would, the JDK through {@code
 * AudioSystem.getAudioInputStream(targetFormat, stream)}. Speed in × real time = 1 s / time per op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AudioBenchmark {
  short[][] chunks48k;
  short[][] chunks24k;
  short[][] chunks8k;
  byte[][] mulaw8k;
  byte[] pcm48k;
  byte[] pcm24k;
  byte[] pcm8k;
  byte[] ulawBytes;
  Resampler r48to16;
  Resampler r24to48;
  Resampler r24to8;

  /** Builds one second of input per rate. */
  @Setup
  public void setUp() {
    chunks48k = AudioQuality.chunks(AudioQuality.tone(48_000, 1_000, 0.5, 48_000), 960);
    chunks24k = AudioQuality.chunks(AudioQuality.tone(24_000, 1_000, 0.5, 24_000), 480);
    chunks8k = AudioQuality.chunks(AudioQuality.tone(8_000, 1_000, 0.5, 8_000), 160);
    mulaw8k = new byte[chunks8k.length][];
    for (int i = 0; i < chunks8k.length; i++) {
      mulaw8k[i] = G711.encodeMuLaw(chunks8k[i]);
    }
    pcm48k = AudioQuality.le(AudioQuality.tone(48_000, 1_000, 0.5, 48_000));
    pcm24k = AudioQuality.le(AudioQuality.tone(24_000, 1_000, 0.5, 24_000));
    pcm8k = AudioQuality.le(AudioQuality.tone(8_000, 1_000, 0.5, 8_000));
    ulawBytes = AudioQuality.concat(mulaw8k);
    r48to16 = Resampler.create(48_000, 16_000);
    r24to48 = Resampler.create(24_000, 48_000);
    r24to8 = Resampler.create(24_000, 8_000);
  }

  private static void stream(Resampler r, short[][] chunks, Blackhole bh) {
    for (short[] c : chunks) {
      bh.consume(r.process(c));
    }
  }

  /** Library 48 kHz → 16 kHz. */
  @Benchmark
  public void libraryResample48kTo16k(Blackhole bh) {
    stream(r48to16, chunks48k, bh);
  }

  /** Library 24 kHz → 48 kHz. */
  @Benchmark
  public void libraryResample24kTo48k(Blackhole bh) {
    stream(r24to48, chunks24k, bh);
  }

  /** Library 24 kHz → 8 kHz. */
  @Benchmark
  public void libraryResample24kTo8k(Blackhole bh) {
    stream(r24to8, chunks24k, bh);
  }

  /** Library mu-law encode at 8 kHz. */
  @Benchmark
  public void libraryMuLawEncode(Blackhole bh) {
    for (short[] c : chunks8k) {
      bh.consume(G711.encodeMuLaw(c));
    }
  }

  /** Library mu-law decode at 8 kHz. */
  @Benchmark
  public void libraryMuLawDecode(Blackhole bh) {
    for (byte[] c : mulaw8k) {
      bh.consume(G711.decodeMuLaw(c));
    }
  }

  /** JDK 48 kHz → 16 kHz. */
  @Benchmark
  public byte[] jdkResample48kTo16k() throws IOException {
    return AudioQuality.jdkConvert(pcm48k, AudioQuality.pcm(48_000), AudioQuality.pcm(16_000));
  }

  /** JDK 24 kHz → 48 kHz. */
  @Benchmark
  public byte[] jdkResample24kTo48k() throws IOException {
    return AudioQuality.jdkConvert(pcm24k, AudioQuality.pcm(24_000), AudioQuality.pcm(48_000));
  }

  /** JDK 24 kHz → 8 kHz. */
  @Benchmark
  public byte[] jdkResample24kTo8k() throws IOException {
    return AudioQuality.jdkConvert(pcm24k, AudioQuality.pcm(24_000), AudioQuality.pcm(8_000));
  }

  /** JDK mu-law encode at 8 kHz. */
  @Benchmark
  public byte[] jdkMuLawEncode() throws IOException {
    return AudioQuality.jdkConvert(pcm8k, AudioQuality.pcm(8_000), AudioQuality.ulaw());
  }

  /** JDK mu-law decode at 8 kHz. */
  @Benchmark
  public byte[] jdkMuLawDecode() throws IOException {
    return AudioQuality.jdkConvert(ulawBytes, AudioQuality.ulaw(), AudioQuality.pcm(8_000));
  }

  static AudioInputStream stream(byte[] data, AudioFormat format) {
    return new AudioInputStream(
        new ByteArrayInputStream(data), format, data.length / format.getFrameSize());
  }

  static AudioInputStream convert(AudioInputStream in, AudioFormat target) {
    return AudioSystem.getAudioInputStream(target, in);
  }
}
