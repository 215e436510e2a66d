package dev.geminilive.audio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HornerKernelTest {

  private static final int WINDOWS = 150;

  private static float[] input(int length) {
    Random random = new Random(11);
    float[] x = new float[length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (20_000 * Math.sin(i * 0.37) + 3_000 * random.nextGaussian());
    }
    return x;
  }

  /** The reference: each phase on its own, as the block path runs it. */
  private static short[] perPhase(PolyphaseFilter f, float[] x, int available, int start) {
    HornerKernel k = new HornerKernel(f, 512);
    short[] out = new short[WINDOWS * f.up()];
    for (int p = 0; p < f.up(); p++) {
      k.run(x, available, start, WINDOWS, f.phase(p), out, p, f.up());
    }
    return out;
  }

  @ParameterizedTest(name = "{0} Hz -> {1} Hz")
  @CsvSource({"8000, 16000", "8000, 24000", "16000, 48000", "8000, 32000", "8000, 48000"})
  void allPhasesOfAWindowTogetherGiveExactlyWhatEachPhaseGivesAlone(int from, int to) {
    PolyphaseFilter f = PolyphaseFilter.of(from, to, 0.9, 100);
    int phases = f.up();
    float[] x = input(WINDOWS + f.taps() + 40);
    // The last windows reach past `available`: those samples must read as zeros on both paths.
    int available = x.length - 30;
    short[] expected = perPhase(f, x, available, 5);

    short[] together = new short[expected.length];
    new HornerKernel(f, 512)
        .runPhases(x, available, 5, WINDOWS, f, together, null, 1f, 0, 0, together.length);
    assertThat(together).isEqualTo(expected);

    // A stretch that starts and ends inside a window stores only its own outputs, and a phase
    // computed without its partner (at the edges) gives the same sums as when paired.
    int from2 = 2 * phases + 1;
    int to2 = expected.length - phases - 1;
    short[] part = new short[expected.length + 2 * phases];
    new HornerKernel(f, 512)
        .runPhases(
            x, available, 5, WINDOWS, f, part, null, 1f, phases, from2 + phases, to2 + phases);
    for (int o = 0; o < expected.length; o++) {
      short want = o >= from2 && o < to2 ? expected[o] : 0;
      assertThat(part[o + phases]).as("output %d", o).isEqualTo(want);
    }
  }

  @ParameterizedTest(name = "{0} Hz -> {1} Hz")
  @CsvSource({"8000, 16000", "8000, 24000"})
  void theFloatFormOfAllPhasesKeepsTheExactSums(int from, int to) {
    PolyphaseFilter f = PolyphaseFilter.of(from, to, 0.9, 100);
    float[] x = input(WINDOWS + f.taps() + 40);
    float[] expected = new float[WINDOWS * f.up()];
    HornerKernel alone = new HornerKernel(f, 512);
    for (int p = 0; p < f.up(); p++) {
      alone.run(x, x.length, 3, WINDOWS, f.phase(p), expected, 0.5f, p, f.up());
    }
    float[] together = new float[expected.length];
    new HornerKernel(f, 512)
        .runPhases(x, x.length, 3, WINDOWS, f, null, together, 0.5f, 0, 0, together.length);
    assertThat(together).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} Hz -> {1} Hz")
  @CsvSource({"48000, 16000", "24000, 16000"})
  void aDecimatingFilterIsRefusedWithAClearMessage(int from, int to) {
    PolyphaseFilter f = PolyphaseFilter.of(from, to, 0.9, 100);
    HornerKernel k = new HornerKernel(f, 512);
    assertThatThrownBy(
            () -> k.runPhases(new float[4096], 4096, 0, 10, f, new short[64], null, 1f, 0, 0, 64))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without decimation");
  }
}
