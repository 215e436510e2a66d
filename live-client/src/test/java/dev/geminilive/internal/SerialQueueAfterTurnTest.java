package dev.geminilive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.LiveObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * {@link SerialQueue#runAfterTurn}: a task ends its turn early and its thread runs work out of the
 * queue, while the queue's other tasks go on, in order, on another thread of the system scheduler's
 * pool.
 */
class SerialQueueAfterTurnTest {
  private static final long WAIT_SECONDS = 30;

  private final SystemScheduler scheduler = new SystemScheduler("after-turn-test");
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void releaseBlockedWork() {
    release.countDown();
  }

  private void awaitRelease() {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void theWorkAfterTheTurnRunsOnTheTasksThreadWhileTheRestOfTheQueueGoesOnInOrderElsewhere()
      throws Exception {
    SessionThreads threads = new SessionThreads("live-session-a");
    SerialQueue queue = new SerialQueue(scheduler, threads);
    List<String> ran = new CopyOnWriteArrayList<>();
    CompletableFuture<Thread> taskThread = new CompletableFuture<>();
    CompletableFuture<String> afterSaw = new CompletableFuture<>();
    CountDownLatch afterRunning = new CountDownLatch(1);
    CountDownLatch restDone = new CountDownLatch(1);
    queue.execute(
        () -> {
          taskThread.complete(Thread.currentThread());
          boolean taken =
              queue.runAfterTurn(
                  () -> {
                    Thread t = Thread.currentThread();
                    afterSaw.complete(
                        (t == taskThread.getNow(null) ? "same thread" : "another thread")
                            + ", named "
                            + t.getName()
                            + ", mdc "
                            + MDC.get(LiveObserver.MDC_SESSION_ID)
                            + ", on queue "
                            + queue.isCurrent());
                    afterRunning.countDown();
                    awaitRelease();
                  });
          ran.add("first, taken " + taken);
        });
    for (int i = 2; i <= 4; i++) {
      int n = i;
      queue.execute(
          () -> {
            ran.add(n + (Thread.currentThread() == taskThread.getNow(null) ? " same" : " other"));
            if (n == 4) {
              restDone.countDown();
            }
          });
    }

    assertThat(afterRunning.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(restDone.await(WAIT_SECONDS, TimeUnit.SECONDS))
        .as("the queue's other tasks do not wait for the work after the turn")
        .isTrue();
    assertThat(ran).containsExactly("first, taken true", "2 other", "3 other", "4 other");
    assertThat(afterSaw.get())
        .startsWith("same thread, named after-turn-test-worker-")
        .endsWith(", mdc null, on queue false");
    // Once the session lets go of its own hold, none is left while the work still runs: it holds
    // none, so it does not keep the session from terminating.
    threads.release();
    threads.released().get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(afterRunning.getCount()).isZero();
    assertThat(release.getCount()).as("the work still runs").isEqualTo(1);
  }

  @Test
  void aTurnRunsAtMostOneWorkAfterItAndOnlyATaskOfTheQueueAsksForIt() throws Exception {
    SerialQueue queue = new SerialQueue(scheduler, "live-session-b");
    assertThat(queue.runAfterTurn(() -> {})).as("off the queue").isFalse();
    CompletableFuture<List<Boolean>> taken = new CompletableFuture<>();
    List<String> ran = new CopyOnWriteArrayList<>();
    CountDownLatch both = new CountDownLatch(2);
    queue.execute(
        () -> {
          List<Boolean> t = new ArrayList<>();
          t.add(
              queue.runAfterTurn(
                  () -> {
                    ran.add("after");
                    both.countDown();
                  }));
          t.add(queue.runAfterTurn(() -> ran.add("second after")));
          taken.complete(t);
        });
    queue.execute(both::countDown);
    assertThat(taken.get(WAIT_SECONDS, TimeUnit.SECONDS)).containsExactly(true, false);
    assertThat(both.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(ran).containsExactly("after");
  }

  @Test
  void onAnotherSchedulerTheQueueRefusesAndTheTurnRunsToItsEnd() {
    QueuedScheduler queued = new QueuedScheduler();
    SerialQueue queue = new SerialQueue(queued, "live-session-c");
    List<String> ran = new ArrayList<>();
    queue.execute(() -> ran.add("taken " + queue.runAfterTurn(() -> ran.add("after"))));
    queue.execute(() -> ran.add("second"));
    assertThat(queued.runAll()).as("one turn").isEqualTo(1);
    assertThat(ran).containsExactly("taken false", "second");
  }

  @Test
  void aTaskThatThrowsAfterAskingStillHasItsWorkRunAndTheQueueGoesOn() throws Exception {
    SerialQueue queue = new SerialQueue(scheduler, "live-session-d");
    CountDownLatch after = new CountDownLatch(1);
    CountDownLatch next = new CountDownLatch(1);
    queue.execute(
        () -> {
          queue.runAfterTurn(after::countDown);
          throw new IllegalStateException("on purpose, after asking");
        });
    queue.execute(next::countDown);
    assertThat(after.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(next.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
  }
}
