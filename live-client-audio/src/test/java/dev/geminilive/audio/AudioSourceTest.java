package dev.geminilive.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AudioSourceTest {

  @Test
  void aMemorySourceReplaysItsAudioInChunks() {
    PcmChunk audio =
        PcmChunk.ofSamples(PcmFormat.INPUT_16K, Signals.sine(16_000, 200, 1000, 1_000));
    List<PcmChunk> chunks = new ArrayList<>();
    try (AudioSource source = AudioSource.of(audio, Duration.ofMillis(20))) {
      source.forEachChunk(chunks::add);
      assertThat(source.read()).isEmpty();
    }
    assertThat(chunks).extracting(PcmChunk::frames).containsExactly(320, 320, 320, 40);
  }

  @Test
  void aMemorySinkRejectsAnotherFormatAndWritesAfterClose() {
    MemoryAudioSink sink = AudioSink.memory(PcmFormat.OUTPUT_24K);
    assertThatThrownBy(() -> sink.write(PcmChunk.of(PcmFormat.INPUT_16K, new byte[2])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not match");
    sink.write(PcmChunk.of(PcmFormat.OUTPUT_24K, new byte[] {1, 2}));
    sink.close();
    assertThatThrownBy(() -> sink.write(PcmChunk.of(PcmFormat.OUTPUT_24K, new byte[2])))
        .isInstanceOf(IllegalStateException.class);
    assertThat(sink.bytes()).containsExactly(1, 2);
  }
}
