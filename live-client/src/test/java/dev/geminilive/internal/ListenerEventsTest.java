package dev.geminilive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ListenerEventsTest {
  private static final int TRIALS = 100;
  private static final int POSTERS = 4;

  @Test
  void nothingIsDeliveredAfterTheTerminalEventWhilePostersRaceIt() throws Exception {
    int late = 0;
    for (int trial = 0; trial < TRIALS; trial++) {
      ListenerEvents events = new ListenerEvents("events-test-" + trial);
      List<String> delivered = new ArrayList<>(); // written on the delivery thread only
      CountDownLatch done = new CountDownLatch(1);
      AtomicBoolean stop = new AtomicBoolean();
      CyclicBarrier start = new CyclicBarrier(POSTERS + 1);
      List<Thread> posters = new ArrayList<>();
      for (int p = 0; p < POSTERS; p++) {
        Thread t =
            new Thread(
                () -> {
                  await(start);
                  while (!stop.get()) {
                    events.post(() -> delivered.add("event"));
                  }
                });
        posters.add(t);
        t.start();
      }
      await(start);
      events.postTerminal(() -> delivered.add("terminal"), done::countDown);
      stop.set(true);
      for (Thread t : posters) {
        t.join();
      }
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      if (!delivered.get(delivered.size() - 1).equals("terminal")) {
        late++;
      }
    }
    assertThat(late).as("trials with events after the terminal one, of %d", TRIALS).isZero();
  }

  @Test
  void theTerminalEventIsPostedOnce() throws Exception {
    ListenerEvents events = new ListenerEvents("events-test");
    List<String> delivered = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(1);
    assertThat(events.postTerminal(() -> delivered.add("closed"), done::countDown)).isTrue();
    assertThat(events.postTerminal(() -> delivered.add("failed"), () -> {})).isFalse();
    assertThat(events.post(() -> delivered.add("late"))).isFalse();
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(delivered).containsExactly("closed");
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
