package dev.geminilive.audio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.audio.Pcm16;
import dev.geminilive.audio.PcmFormat;
import org.junit.jupiter.api.Test;

class FormatConverterTest {

  @Test
  void equalFormatsPassThroughUntouchedEvenInStereo() {
    PcmFormat stereo = PcmFormat.of(48_000, 2);
    FormatConverter c = new FormatConverter(stereo, stereo);
    byte[] pcm = Pcm16.toBytes(new short[] {1, -1, Short.MAX_VALUE, Short.MIN_VALUE});
    assertThat(c.convert(pcm)).isEqualTo(pcm);
    assertThat(c.flush()).isEmpty();
  }

  @Test
  void stereoAtTheSameRateIsDownmixedWithoutResampling() {
    FormatConverter c = new FormatConverter(PcmFormat.of(16_000, 2), PcmFormat.INPUT_16K);
    byte[] out = c.convert(Pcm16.toBytes(new short[] {100, 300, -32_768, -32_768}));
    assertThat(Pcm16.toShorts(out)).containsExactly((short) 200, Short.MIN_VALUE);
  }

  @Test
  void monoIsCopiedToEveryDeviceChannelAfterResampling() {
    FormatConverter c = new FormatConverter(PcmFormat.OUTPUT_24K, PcmFormat.of(48_000, 2));
    short[] in = new short[2_400];
    java.util.Arrays.fill(in, (short) 10_000);
    short[] out = Pcm16.toShorts(concat(c.convert(Pcm16.toBytes(in)), c.flush()));
    assertThat(out).hasSize(2 * 4_800);
    for (int i = 0; i < out.length; i += 2) {
      assertThat(out[i + 1]).isEqualTo(out[i]);
    }
    assertThat(out[4_800]).isEqualTo((short) 10_000); // DC passes at unity gain
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
