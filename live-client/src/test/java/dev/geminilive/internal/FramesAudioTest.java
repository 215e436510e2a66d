package dev.geminilive.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The audio frame built in one array is, byte for byte, the text the frame was built as before: the
 * prefix, the base64 of the chunk and the suffix concatenated.
 */
class FramesAudioTest {
  private static String concatenated(byte[] pcm, int offset, int length) {
    return "{\"realtimeInput\":{\"audio\":{\"data\":\""
        + Base64.getEncoder().encodeToString(Arrays.copyOfRange(pcm, offset, offset + length))
        + "\",\"mimeType\":\"audio/pcm;rate=16000\"}}}";
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void everySizeFromNothingToTwoChunksIsTheConcatenatedText() {
    for (int n = 0; n <= 1_300; n++) {
      byte[] pcm = random(n, n);
      assertThat(Frames.audio(pcm, 0, n)).as("%d bytes", n).isEqualTo(concatenated(pcm, 0, n));
    }
  }

  @Test
  void theEdgeSizesOfBase64PaddingAreExact() {
    assertThat(Frames.audio(new byte[0], 0, 0))
        .isEqualTo(
            "{\"realtimeInput\":{\"audio\":{\"data\":\"\",\"mimeType\":\"audio/pcm;rate=16000\"}}}");
    assertThat(Frames.audio(new byte[] {(byte) 0xFF}, 0, 1)).contains("\"data\":\"/w==\"");
    assertThat(Frames.audio(new byte[] {(byte) 0xFF, 0x00}, 0, 2)).contains("\"data\":\"/wA=\"");
    assertThat(Frames.audio(new byte[] {(byte) 0xFB, (byte) 0xEF, (byte) 0xBE}, 0, 3))
        .contains("\"data\":\"++++\"");
  }

  @Test
  void aPartOfAnArrayIsEncodedFromItsOffset() {
    byte[] pcm = random(2_000, 7);
    for (int offset : new int[] {1, 2, 3, 640, 1_999}) {
      for (int length : new int[] {0, 1, 2, 3, 640, 2_000 - offset}) {
        if (offset + length <= pcm.length) {
          assertThat(Frames.audio(pcm, offset, length))
              .as("offset %d, length %d", offset, length)
              .isEqualTo(concatenated(pcm, offset, length));
        }
      }
    }
  }

  @Test
  void aLargeChunkIsExactAndParsesBackToItsBytes() throws Exception {
    byte[] pcm = random(3 * 1024 * 1024 + 1, 42);
    String frame = Frames.audio(pcm, 0, pcm.length);
    assertThat(frame).isEqualTo(concatenated(pcm, 0, pcm.length));
    JsonNode audio = Frames.readTree(frame).path("realtimeInput").path("audio");
    assertThat(Base64.getDecoder().decode(audio.path("data").asText())).isEqualTo(pcm);
    assertThat(audio.path("mimeType").asText()).isEqualTo("audio/pcm;rate=16000");
  }

  @Test
  void aRangeOutsideTheArrayIsRefused() {
    assertThatThrownBy(() -> Frames.audio(new byte[4], 2, 3))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
