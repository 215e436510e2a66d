package dev.geminilive.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReceiveSplitTest {
  private static final long MS = 1_000_000;

  @Test
  void eachSlowFrameIsPutDownToItsLargestPartAndAFrameThatJoinedATurnIsCountedApart() {
    ReceivePathBench.Counter c = new ReceivePathBench.Counter();
    int n = 200;
    c.reset(n);
    for (int i = 0; i < n; i++) {
      // Most frames: 0.1 ms before the hand-off, 0.02 waiting, 0.01 on the worker.
      frame(c, i, 100_000, 20_000, 10_000);
    }
    frame(c, 10, 5 * MS, 20_000, 10_000); // slow before the hand-off
    frame(c, 20, 100_000, 4 * MS, 10_000); // slow waiting for a worker
    c.latencies[30] = 3 * MS; // slow, and it joined a turn handed over before its stamp
    c.handed[30] = -MS;
    c.started[30] = -MS + 10_000;
    ReceivePathBench.Split s = ReceivePathBench.split(c, n);
    assertThat(s.own()).isEqualTo(n - 1);
    assertThat(s.joined()).isEqualTo(1);
    // The p99 of 200 frames is the third slowest: frames 10, 20 and 30 are at or above it.
    assertThat(s.slowBy()).containsExactly(1, 1, 0, 1);
    assertThat(s.before()[0]).isEqualTo(100_000);
    assertThat(s.waiting()[0]).isEqualTo(20_000);
    assertThat(s.on()[0]).isEqualTo(10_000);
  }

  @Test
  void aPathThatDoesNotGoThroughTheStampingSchedulerHasNoSplit() {
    ReceivePathBench.Counter c = new ReceivePathBench.Counter();
    c.reset(10);
    for (int i = 0; i < 10; i++) {
      c.latencies[i] = MS;
    }
    assertThat(ReceivePathBench.split(c, 10)).isNull();
  }

  private static void frame(ReceivePathBench.Counter c, int i, long before, long wait, long on) {
    c.handed[i] = before;
    c.started[i] = before + wait;
    c.latencies[i] = before + wait + on;
  }
}
