package dev.geminilive.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Pcm16Test {

  @Test
  void bytesAreLittleEndianLowByteFirst() {
    byte[] bytes = Pcm16.toBytes(new short[] {0x1234, -2, Short.MAX_VALUE, Short.MIN_VALUE});
    assertThat(bytes).containsExactly(0x34, 0x12, 0xFE, 0xFF, 0xFF, 0x7F, 0x00, 0x80);
    assertThat(Pcm16.toShorts(bytes))
        .containsExactly((short) 0x1234, (short) -2, Short.MAX_VALUE, Short.MIN_VALUE);
  }

  @Test
  void anOddByteCountIsRejected() {
    assertThatThrownBy(() -> Pcm16.toShorts(new byte[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("even");
  }

  @Test
  void fullScaleSamplesSurviveAFloatRoundTripExactly() {
    short[] all = new short[65_536];
    for (int i = 0; i < all.length; i++) {
      all[i] = (short) (i + Short.MIN_VALUE);
    }
    float[] floats = Pcm16.toFloats(all);
    assertThat(floats[0]).isEqualTo(-1.0f);
    assertThat(floats[all.length - 1]).isEqualTo(32_767 / 32_768f);
    assertThat(Pcm16.fromFloats(floats)).isEqualTo(all);
  }

  @Test
  void floatsBeyondFullScaleClipInsteadOfWrapping() {
    assertThat(Pcm16.fromFloats(new float[] {1.5f, -1.5f, 1.0f, Float.NaN, 0.49f / 32_768}))
        .containsExactly(Short.MAX_VALUE, Short.MIN_VALUE, Short.MAX_VALUE, (short) 0, (short) 0);
    assertThat(Pcm16.floatsToBytes(new float[] {2f})).containsExactly(0xFF, 0x7F);
    assertThat(Pcm16.bytesToFloats(new byte[] {0x00, (byte) 0x80})).containsExactly(-1.0f);
  }

  @Test
  void stereoDownmixAveragesEachFrame() {
    short[] stereo = {100, 300, -32_768, -32_768, 32_767, 32_767, 32_767, -32_768, 1, 2};
    assertThat(Pcm16.downmixToMono(stereo, 2))
        .containsExactly((short) 200, Short.MIN_VALUE, Short.MAX_VALUE, (short) 0, (short) 2);
  }

  @Test
  void downmixOfBytesKeepsTheByteOrder() {
    byte[] stereo = Pcm16.toBytes(new short[] {1000, 3000, -1000, -3000});
    assertThat(Pcm16.toShorts(Pcm16.downmixToMono(stereo, 2)))
        .containsExactly((short) 2000, (short) -2000);
  }

  @Test
  void downmixRejectsAPartialFrame() {
    assertThatThrownBy(() -> Pcm16.downmixToMono(new short[3], 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 channels");
  }
}
