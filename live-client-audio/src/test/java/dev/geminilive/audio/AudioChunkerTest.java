package dev.geminilive.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AudioChunkerTest {

  @Test
  void defaultChunksAreFiftyMilliseconds() {
    AudioChunker chunker = new AudioChunker(PcmFormat.INPUT_16K);
    assertThat(chunker.chunkSizeBytes()).isEqualTo(1_600);
    assertThat(chunker.push(new byte[4_000]))
        .hasSize(2)
        .allSatisfy(c -> assertThat(c.duration()).isEqualTo(Duration.ofMillis(50)));
    assertThat(chunker.pendingBytes()).isEqualTo(800);
  }

  @Test
  void oddSizedPiecesAreReassembledWithoutLosingOrSplittingSamples() {
    PcmFormat stereo = PcmFormat.of(44_100, 2);
    AudioChunker chunker = new AudioChunker(stereo, Duration.ofMillis(10));
    byte[] stream = new byte[stereo.bytesPerSecond()];
    new Random(1).nextBytes(stream);
    List<PcmChunk> chunks = new ArrayList<>();
    Random sizes = new Random(2);
    for (int pos = 0; pos < stream.length; ) {
      int n = Math.min(stream.length - pos, 1 + sizes.nextInt(999));
      chunks.addAll(chunker.push(stream, pos, n));
      pos += n;
    }
    chunker.flush().ifPresent(chunks::add);

    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (int i = 0; i < chunks.size(); i++) {
      PcmChunk c = chunks.get(i);
      assertThat(c.sizeBytes() % 4).isZero();
      if (i < chunks.size() - 1) {
        assertThat(c.sizeBytes()).isEqualTo(441 * 4);
      }
      joined.writeBytes(c.data());
    }
    assertThat(joined.toByteArray()).isEqualTo(stream);
  }

  @Test
  void flushReturnsTheRemainderAndDropsAHalfSample() {
    AudioChunker chunker = new AudioChunker(PcmFormat.INPUT_16K, Duration.ofMillis(20));
    assertThat(chunker.push(new byte[101])).isEmpty();
    assertThat(chunker.flush()).hasValueSatisfying(c -> assertThat(c.sizeBytes()).isEqualTo(100));
    assertThat(chunker.flush()).isEmpty();
  }

  @Test
  void acceptsOnlyTenToOneHundredMilliseconds() {
    assertThatThrownBy(() -> new AudioChunker(PcmFormat.INPUT_16K, Duration.ofMillis(9)))
        .hasMessageContaining("[10 ms, 100 ms]");
    assertThatThrownBy(() -> new AudioChunker(PcmFormat.INPUT_16K, Duration.ofMillis(101)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new AudioChunker(PcmFormat.OUTPUT_24K, Duration.ofMillis(100)).chunkSizeBytes())
        .isEqualTo(4_800);
  }
}
