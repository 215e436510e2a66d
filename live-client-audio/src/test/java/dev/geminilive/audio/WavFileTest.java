package dev.geminilive.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavFileTest {

  @TempDir Path dir;

  @Test
  void aWrittenFileReadsBackIdenticallyWithACanonicalHeader() throws IOException {
    PcmChunk audio =
        PcmChunk.ofSamples(PcmFormat.OUTPUT_24K, Signals.sine(24_000, 440, 32_767, 24_000));
    Path file = dir.resolve("tone.wav");
    WavFile.write(file, audio);

    byte[] bytes = Files.readAllBytes(file);
    assertThat(bytes).hasSize(44 + 48_000);
    assertThat(new String(bytes, 0, 4, "US-ASCII")).isEqualTo("RIFF");
    assertThat(le32(bytes, 4)).isEqualTo(36 + 48_000);
    assertThat(le32(bytes, 24)).isEqualTo(24_000);
    assertThat(le32(bytes, 40)).isEqualTo(48_000);
    assertThat(WavFile.read(file)).isEqualTo(audio);
  }

  @Test
  void theStreamingSinkPatchesSizesOnClose() {
    Path file = dir.resolve("streamed.wav");
    PcmFormat stereo = PcmFormat.of(48_000, 2);
    short[] samples = new short[9_600];
    samples[0] = Short.MIN_VALUE;
    samples[9_599] = Short.MAX_VALUE;
    try (AudioSink sink = AudioSink.wavFile(file, stereo)) {
      sink.write(PcmChunk.ofSamples(stereo, java.util.Arrays.copyOf(samples, 4_800)));
      sink.write(PcmChunk.ofSamples(stereo, java.util.Arrays.copyOfRange(samples, 4_800, 9_600)));
    }
    PcmChunk back = WavFile.read(file);
    assertThat(back.format()).isEqualTo(stereo);
    assertThat(back.samples()).isEqualTo(samples);
  }

  @Test
  void readingConvertsStereo44kToMono16kThroughTheResampler() {
    PcmFormat cd = PcmFormat.of(44_100, 2);
    short[] mono = Signals.sine(44_100, 1_000, 16_000, 44_100);
    short[] stereo = new short[mono.length * 2];
    for (int i = 0; i < mono.length; i++) {
      stereo[2 * i] = mono[i];
      stereo[2 * i + 1] = mono[i];
    }
    Path file = dir.resolve("cd.wav");
    WavFile.write(file, PcmChunk.ofSamples(cd, stereo));

    PcmChunk converted = WavFile.read(file, PcmFormat.INPUT_16K);
    assertThat(converted.format()).isEqualTo(PcmFormat.INPUT_16K);
    assertThat(converted.frames()).isEqualTo(16_000);
    short[] out = converted.samples();
    assertThat(Signals.amplitude(out, 800, 15_200, 16_000, 1_000)).isCloseTo(16_000, within(20));
  }

  @Test
  void theSourceDeliversFixedChunksAndAShorterLastOne() {
    Path file = dir.resolve("short.wav");
    WavFile.write(file, PcmChunk.of(PcmFormat.INPUT_16K, new byte[32_000 + 100]));
    List<PcmChunk> chunks = new ArrayList<>();
    try (AudioSource source =
        AudioSource.wavFile(file, PcmFormat.INPUT_16K, Duration.ofMillis(20))) {
      source.forEachChunk(chunks::add);
    }
    assertThat(chunks).hasSize(51);
    assertThat(chunks.subList(0, 50)).allSatisfy(c -> assertThat(c.sizeBytes()).isEqualTo(640));
    assertThat(chunks.get(50).sizeBytes()).isEqualTo(100);
  }

  @Test
  void unknownChunksAndAnUnpatchedDataSizeAreTolerated() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("RIFF".getBytes("US-ASCII"));
    out.writeBytes(le32(0));
    out.writeBytes("WAVE".getBytes("US-ASCII"));
    out.writeBytes("LIST".getBytes("US-ASCII"));
    out.writeBytes(le32(3)); // odd size: followed by a pad byte
    out.writeBytes(new byte[] {1, 2, 3, 0});
    out.writeBytes("fmt ".getBytes("US-ASCII"));
    out.writeBytes(le32(16));
    out.writeBytes(new byte[] {1, 0, 1, 0});
    out.writeBytes(le32(8_000));
    out.writeBytes(le32(16_000));
    out.writeBytes(new byte[] {2, 0, 16, 0});
    out.writeBytes("data".getBytes("US-ASCII"));
    out.writeBytes(le32(0xFFFFFFFF)); // a recorder that never patched the header
    out.writeBytes(new byte[] {0x34, 0x12, 0x00, (byte) 0x80});
    Path file = dir.resolve("odd.wav");
    Files.write(file, out.toByteArray());

    PcmChunk audio = WavFile.read(file);
    assertThat(audio.format()).isEqualTo(PcmFormat.TELEPHONY_8K);
    assertThat(audio.samples()).containsExactly((short) 0x1234, Short.MIN_VALUE);
  }

  @Test
  void nonPcm16FilesAreRejectedWithAClearMessage() throws IOException {
    byte[] header = WavFileTestSupport.floatHeader();
    Path file = dir.resolve("float.wav");
    Files.write(file, header);
    assertThatThrownBy(() -> WavFile.read(file))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("only 16-bit PCM");
    Path text = dir.resolve("text.wav");
    Files.writeString(text, "hello, this is not audio");
    assertThatThrownBy(() -> WavFile.read(text)).hasMessageContaining("not a RIFF/WAVE file");
  }

  private static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }

  private static long le32(byte[] b, int at) {
    return (b[at] & 0xFFL)
        | (b[at + 1] & 0xFFL) << 8
        | (b[at + 2] & 0xFFL) << 16
        | (b[at + 3] & 0xFFL) << 24;
  }

  private static byte[] le32(int v) {
    return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
  }

  static final class WavFileTestSupport {
    static byte[] floatHeader() {
      byte[] h = dev.geminilive.audio.internal.WavHeader.canonical(PcmFormat.INPUT_16K, 0);
      h[20] = 3; // WAVE_FORMAT_IEEE_FLOAT
      h[34] = 32;
      return h;
    }
  }
}
