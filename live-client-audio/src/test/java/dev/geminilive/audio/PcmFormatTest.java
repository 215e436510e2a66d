package dev.geminilive.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PcmFormatTest {

  @Test
  void serviceFormatsAreSixteenAndTwentyFourKilohertzMono() {
    assertThat(PcmFormat.INPUT_16K).isEqualTo(PcmFormat.mono(16_000));
    assertThat(PcmFormat.OUTPUT_24K).isEqualTo(PcmFormat.of(24_000, 1));
    assertThat(PcmFormat.INPUT_16K.mimeType()).isEqualTo("audio/pcm;rate=16000");
    assertThat(PcmFormat.INPUT_16K.bytesPerSecond()).isEqualTo(32_000);
    assertThat(PcmFormat.INPUT_16K).hasToString("PCM16LE 16000 Hz mono");
  }

  @Test
  void byteCountsAreRoundedDownToWholeFrames() {
    PcmFormat cd = PcmFormat.of(44_100, 2);
    assertThat(cd.bytesFor(Duration.ofMillis(20))).isEqualTo(3_528);
    PcmFormat odd = PcmFormat.of(11_025, 2);
    assertThat(odd.bytesFor(Duration.ofMillis(10))).isEqualTo(110 * 4);
    assertThat(cd.durationOf(176_400)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void convertsToAJavaSoundFormatThatIsSignedLittleEndian() {
    var format = PcmFormat.of(48_000, 2).toAudioFormat();
    assertThat(format.getSampleRate()).isEqualTo(48_000f);
    assertThat(format.getChannels()).isEqualTo(2);
    assertThat(format.getSampleSizeInBits()).isEqualTo(16);
    assertThat(format.isBigEndian()).isFalse();
    assertThat(format.getEncoding()).isEqualTo(javax.sound.sampled.AudioFormat.Encoding.PCM_SIGNED);
  }

  @Test
  void rejectsRatesAndChannelCountsOutOfRange() {
    assertThatThrownBy(() -> PcmFormat.mono(999)).hasMessageContaining("sampleRateHz");
    assertThatThrownBy(() -> PcmFormat.of(16_000, 0)).hasMessageContaining("channels");
  }

  @Test
  void chunkCopiesItsBytesAndComparesByContent() {
    byte[] data = {1, 2, 3, 4};
    PcmChunk chunk = PcmChunk.of(PcmFormat.INPUT_16K, data);
    data[0] = 99;
    chunk.data()[1] = 99;
    assertThat(chunk.data()).containsExactly(1, 2, 3, 4);
    assertThat(chunk).isEqualTo(PcmChunk.of(PcmFormat.INPUT_16K, new byte[] {1, 2, 3, 4}));
    assertThat(chunk.frames()).isEqualTo(2);
    assertThat(chunk.toString()).contains("4 bytes").doesNotContain("[1, 2");
  }

  @Test
  void chunkRejectsAPartialFrame() {
    assertThatThrownBy(() -> PcmChunk.of(PcmFormat.of(16_000, 2), new byte[6]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whole number of 4-byte frames");
  }
}
