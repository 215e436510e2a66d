package dev.geminilive.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A task that takes its thread out of the {@link WorkerPool} ({@code reserveLeave}, {@code
 * runAway}): the pool counts the thread out, replaces it at once when tasks wait (the stall check
 * never runs here, so nothing else could add a thread), keeps at most {@code maxAway} threads away,
 * and takes the thread back when the task ends.
 */
class WorkerPoolAwayTest {
  private static final long WAIT_SECONDS = 30;

  private final List<Runnable> checks = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void releaseBlockedTasks() {
    release.countDown();
  }

  private WorkerPool pool(int parallelism, int maxAway) {
    return new WorkerPool(
        "away-test", parallelism, maxAway, Duration.ofMinutes(1), (d, c) -> checks.add(c));
  }

  private void awaitRelease() {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aThreadAwayIsCountedOutAndTheTaskBehindItRunsOnAThreadStartedInItsPlace() throws Exception {
    WorkerPool pool = pool(1, 4);
    CountDownLatch away = new CountDownLatch(1);
    CompletableFuture<Thread> awayThread = new CompletableFuture<>();
    CompletableFuture<Integer> awayOnReturn = new CompletableFuture<>();
    pool.execute(
        () -> {
          if (pool.reserveLeave()) {
            pool.runAway(
                () -> {
                  awayThread.complete(Thread.currentThread());
                  away.countDown();
                  awaitRelease();
                });
          }
          awayOnReturn.complete(pool.away());
        });
    assertThat(away.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(pool.threads()).as("threads in the pool").isZero();
    assertThat(pool.away()).isEqualTo(1);
    assertThat(awayThread.get().isDaemon()).as("lets the JVM exit").isTrue();

    // With a blocked thread that stayed in the pool, this would wait for the stall check.
    CompletableFuture<Thread> next = new CompletableFuture<>();
    pool.execute(() -> next.complete(Thread.currentThread()));
    assertThat(next.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNotSameAs(awayThread.get());
    assertThat(checks).as("no stall check needed").isEmpty();

    release.countDown();
    assertThat(awayOnReturn.get(WAIT_SECONDS, TimeUnit.SECONDS)).isZero();
    assertThat(pool.threads()).as("back in the pool, beside the one started for it").isEqualTo(2);
  }

  @Test
  void aThreadGoesAwayWithoutStartingAnotherWhenNoTaskWaits() throws Exception {
    WorkerPool pool = pool(2, 4);
    CountDownLatch away = new CountDownLatch(1);
    pool.execute(
        () -> {
          if (pool.reserveLeave()) {
            pool.runAway(
                () -> {
                  away.countDown();
                  awaitRelease();
                });
          }
        });
    assertThat(away.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(pool.threads()).isZero();
    assertThat(pool.away()).isEqualTo(1);
  }

  @Test
  void manyBlockingTasksTakeAtMostMaxAwayThreadsAndTheRestRunInThePool() throws Exception {
    int parallelism = 2;
    int maxAway = 3;
    int tasks = 20;
    WorkerPool pool = pool(parallelism, maxAway);
    AtomicInteger refused = new AtomicInteger();
    CountDownLatch awayNow = new CountDownLatch(maxAway);
    CountDownLatch done = new CountDownLatch(tasks - maxAway);
    for (int i = 0; i < tasks; i++) {
      pool.execute(
          () -> {
            if (pool.reserveLeave()) {
              pool.runAway(
                  () -> {
                    awayNow.countDown();
                    awaitRelease();
                  });
            } else {
              refused.incrementAndGet();
              done.countDown();
            }
          });
    }
    assertThat(awayNow.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(done.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(refused).hasValue(tasks - maxAway);
    assertThat(pool.away()).isEqualTo(maxAway);
    // Every thread the pool ever had: the away ones plus those in the pool.
    assertThat(pool.threads() + pool.away()).isLessThanOrEqualTo(parallelism + maxAway);
  }

  @Test
  void onlyThePoolsOwnThreadsLeaveAndOnlyWithAReservation() throws Exception {
    WorkerPool pool = pool(1, 4);
    WorkerPool other = pool(1, 4);
    assertThat(pool.reserveLeave()).as("a thread not of the pool").isFalse();
    assertThatThrownBy(() -> pool.runAway(() -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has no leave reserved");

    CompletableFuture<List<Object>> seen = new CompletableFuture<>();
    pool.execute(
        () -> {
          List<Object> s = new ArrayList<>();
          s.add(other.reserveLeave()); // another pool's thread
          s.add(pool.reserveLeave());
          s.add(pool.reserveLeave()); // a second reservation for the same thread
          pool.runAway(() -> {});
          try {
            pool.runAway(() -> {}); // the reservation was used
          } catch (IllegalStateException e) {
            s.add("refused");
          }
          s.add(pool.away());
          seen.complete(s);
        });
    assertThat(seen.get(WAIT_SECONDS, TimeUnit.SECONDS))
        .containsExactly(false, true, false, "refused", 0);
  }

  @Test
  void aTaskThatThrowsAwayGivesItsThreadBackAndTheCallerSeesTheFailure() throws Exception {
    WorkerPool pool = pool(1, 4);
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    CompletableFuture<Integer> after = new CompletableFuture<>();
    pool.execute(
        () -> {
          pool.reserveLeave();
          try {
            pool.runAway(
                () -> {
                  throw new IllegalStateException("a handler's bug");
                });
          } catch (IllegalStateException e) {
            thrown.complete(e);
          }
          after.complete(pool.away());
        });
    assertThat(thrown.get(WAIT_SECONDS, TimeUnit.SECONDS)).hasMessage("a handler's bug");
    assertThat(after.get(WAIT_SECONDS, TimeUnit.SECONDS)).isZero();
    assertThat(pool.threads()).isEqualTo(1);
  }
}
