package dev.geminilive.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the scale section counts the threads a step added. */
class ThreadCensusTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<Thread> started = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    release.countDown();
    for (Thread t : started) {
      t.join();
    }
  }

  private Thread park(String name) {
    return park(name, release);
  }

  private Thread park(String name, CountDownLatch release) {
    Thread t =
        new Thread(
            () -> {
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            name);
    t.setDaemon(true);
    t.start();
    started.add(t);
    return t;
  }

  @Test
  void sessionsOwnTheirSocketReadersByNameAndShareThePoolsThreads() {
    Set<Thread> before = ThreadCensus.snapshot();
    park("census-a-socket-1");
    park("census-b-socket-1");
    park("OkHttp http://127.0.0.1:1/live");
    park("gemini-live-worker-1");

    ThreadCensus census = ThreadCensus.since(before, 3);

    assertThat(census.owned()).isEqualTo(3);
    assertThat(census.shared()).isEqualTo(1);
    assertThat(census.perSession()).isEqualTo(4 / 3.0);
    assertThat(census.pools()).containsExactly(java.util.Map.entry("gemini-live-worker", 1));
  }

  @Test
  void aReaderReusedFromAnEarlierStepIsStillItsSessionsAndAnEndedPoolThreadTakesNothingAway()
      throws Exception {
    CountDownLatch endEarlier = new CountDownLatch(1);
    Thread earlier = park("census-earlier-pool-1", endEarlier);
    Thread reused = park("OkHttp Dispatcher");
    Set<Thread> before = ThreadCensus.snapshot();
    reused.setName("census-d-socket-1"); // an idle pool thread becomes a session's reader
    park("census-e-socket-1");
    // A pool thread from an earlier step ends as the readers start: the JVM's live count went up
    // by one for two sessions.
    endEarlier.countDown();
    earlier.join();

    ThreadCensus census = ThreadCensus.since(before, 2);

    assertThat(census.owned()).isEqualTo(2);
    assertThat(census.shared()).isZero();
    assertThat(census.perSession()).isEqualTo(1.0);
  }
}
