package dev.geminilive.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The receive section's one-hand-off baseline and its wake-up measurement. */
class HandOffBaselineTest {
  @Test
  void everyCallReachesTheSinkOnTheExecutorsThreadNotTheCallers() throws Exception {
    List<String> threads = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch done = new CountDownLatch(3);
    Peers.Sink behind =
        new Peers.Sink() {
          @Override
          public void onAudio(byte[] pcm) {
            threads.add(Thread.currentThread().getName());
            done.countDown();
          }

          @Override
          public void onFrame() {
            threads.add(Thread.currentThread().getName());
            done.countDown();
          }

          @Override
          public void onTurnComplete() {
            threads.add(Thread.currentThread().getName());
            done.countDown();
          }
        };
    try (HandOffSink.Baselines executors = new HandOffSink.Baselines()) {
      HandOffSink sink = new HandOffSink(behind, executors.single());
      sink.onAudio(new byte[10]);
      sink.onFrame();
      sink.onTurnComplete();
      assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(threads).hasSize(3).allMatch(name -> name.startsWith("handoff-single-"));
  }

  @Test
  void aWakeSeriesSeesEveryWakeAndOrdersItsPercentiles() throws Exception {
    WakeLatency.Series s = WakeLatency.measure(200, 200_000, 0);
    // 200 wakes 0.2 ms apart: the parked thread sees at least one, each takes a positive time.
    assertThat(s.missed()).isLessThan(200);
    assertThat(s.wakeP50()).isPositive();
    assertThat(s.wakeP99()).isGreaterThanOrEqualTo(s.wakeP50());
    assertThat(s.timerP99()).isGreaterThanOrEqualTo(0);
  }
}
