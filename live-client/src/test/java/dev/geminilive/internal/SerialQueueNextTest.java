package dev.geminilive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SerialQueue#executeNext}: a worker of the system scheduler that adds a task to an idle
 * queue runs the task's turn itself once its own task returns, waking no other worker; in every
 * other case the task is added as {@link SerialQueue#execute} adds it, and the queue's order holds
 * either way. (The MDC is not checked here: SLF4J's simple logger, on this module's test class
 * path, keeps no MDC; the turn is the same ordinary turn that enters it.)
 */
class SerialQueueNextTest {
  private static final long WAIT_SECONDS = 30;

  private final SystemScheduler scheduler = new SystemScheduler("next-test");
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

  /** Runs {@code work} on one of the scheduler's workers and waits for it to return. */
  private void onWorker(Runnable work) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    scheduler.execute(
        () -> {
          try {
            work.run();
            done.complete(null);
          } catch (Throwable t) {
            done.completeExceptionally(t);
          }
        });
    done.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void onAWorkerTheTurnRunsOnThatWorkerAfterItsTaskWithTheSessionsNameMdcAndHold()
      throws Exception {
    SessionThreads threads = new SessionThreads("live-session-a");
    SerialQueue queue = new SerialQueue(scheduler, threads);
    CompletableFuture<Thread> caller = new CompletableFuture<>();
    CompletableFuture<String> saw = new CompletableFuture<>();
    List<String> order = new CopyOnWriteArrayList<>();
    onWorker(
        () -> {
          caller.complete(Thread.currentThread());
          boolean left =
              queue.executeNext(
                  () ->
                      saw.complete(
                          (Thread.currentThread() == caller.getNow(null) ? "same" : "another")
                              + " thread, named "
                              + Thread.currentThread().getName()
                              + ", on queue "
                              + queue.isCurrent()
                              + ", held "
                              + !threads.released().isDone()));
          order.add(
              "left "
                  + left
                  + ", ran yet "
                  + saw.isDone()
                  + ", "
                  + Thread.currentThread().getName());
          // The session's own hold goes: the turn's hold alone keeps the session's threads.
          threads.release();
        });
    assertThat(saw.get(WAIT_SECONDS, TimeUnit.SECONDS))
        .isEqualTo("same thread, named live-session-a-events, on queue true, held true");
    assertThat(order)
        .singleElement()
        .asString()
        .startsWith("left true, ran yet false, next-test-worker-");
    threads.released().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void aFrameForABusyQueueWaitsForTheRunningTurnAndRunsOnItsThreadNotTheCallers() throws Exception {
    SerialQueue queue = new SerialQueue(scheduler, "live-session-b");
    CompletableFuture<Thread> busyThread = new CompletableFuture<>();
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch go = new CountDownLatch(1);
    queue.execute(
        () -> {
          busyThread.complete(Thread.currentThread());
          busy.countDown();
          try {
            go.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    assertThat(busy.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Thread> frameThread = new CompletableFuture<>();
    CompletableFuture<Thread> caller = new CompletableFuture<>();
    CompletableFuture<Boolean> left = new CompletableFuture<>();
    // The caller returns while the queue is still busy: it neither waits nor takes the turn.
    onWorker(
        () -> {
          caller.complete(Thread.currentThread());
          left.complete(queue.executeNext(() -> frameThread.complete(Thread.currentThread())));
        });
    assertThat(left.get()).isFalse();
    assertThat(frameThread).isNotDone();
    go.countDown();
    assertThat(frameThread.get(WAIT_SECONDS, TimeUnit.SECONDS))
        .isSameAs(busyThread.get())
        .isNotSameAs(caller.get());
  }

  @Test
  void framesLeftToTheCallerAndFramesHandedOffRunInTheOrderTheyWereAdded() throws Exception {
    SerialQueue queue = new SerialQueue(scheduler, "live-session-c");
    List<Integer> ran = new CopyOnWriteArrayList<>();
    int rounds = 2_000;
    CountDownLatch all = new CountDownLatch(3 * rounds);
    int[] leftHere = new int[1];
    for (int r = 0; r < rounds; r++) {
      int base = 3 * r;
      // From a worker: one task the worker may run itself, then two more the same way, which
      // find the queue busy with the first; then one from a plain thread, handed off.
      onWorker(
          () -> {
            if (queue.executeNext(record(ran, all, base))) {
              leftHere[0]++;
            }
            queue.executeNext(record(ran, all, base + 1));
          });
      queue.execute(record(ran, all, base + 2));
    }
    assertThat(all.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 3 * rounds; i++) {
      assertThat(ran.get(i)).as("task at position %d", i).isEqualTo(i);
    }
    // Each test worker's task returns before the next round starts, so the queue is often idle.
    assertThat(leftHere[0]).isPositive();
  }

  private static Runnable record(List<Integer> ran, CountDownLatch all, int n) {
    return () -> {
      ran.add(n);
      all.countDown();
    };
  }

  @Test
  void aThreadOutsideThePoolHandsTheTurnToAWorker() throws Exception {
    SerialQueue queue = new SerialQueue(scheduler, "live-session-d");
    CompletableFuture<String> ranOn = new CompletableFuture<>();
    Thread caller = Thread.currentThread();
    boolean left =
        queue.executeNext(
            () ->
                ranOn.complete(
                    (Thread.currentThread() == caller ? "the caller" : "another thread")
                        + " named "
                        + Thread.currentThread().getName()));
    assertThat(left).isFalse();
    assertThat(ranOn.get(WAIT_SECONDS, TimeUnit.SECONDS))
        .isEqualTo("another thread named live-session-d-events");
  }

  @Test
  void aWorkerWithATurnToRunNextAlreadyHandsASecondQueuesTurnToAnotherWorker() throws Exception {
    SerialQueue first = new SerialQueue(scheduler, "live-session-e");
    SerialQueue second = new SerialQueue(scheduler, "live-session-f");
    CompletableFuture<Thread> caller = new CompletableFuture<>();
    CompletableFuture<Thread> secondRanOn = new CompletableFuture<>();
    CompletableFuture<String> lefts = new CompletableFuture<>();
    CountDownLatch firstRan = new CountDownLatch(1);
    onWorker(
        () -> {
          caller.complete(Thread.currentThread());
          boolean a = first.executeNext(firstRan::countDown);
          boolean b = second.executeNext(() -> secondRanOn.complete(Thread.currentThread()));
          lefts.complete(a + " " + b);
        });
    assertThat(lefts.get()).isEqualTo("true false");
    assertThat(firstRan.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(secondRanOn.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void aTurnLeftToAWorkerWhoseTaskThrowsStillRuns() throws Exception {
    SerialQueue queue = new SerialQueue(scheduler, "live-session-g");
    CountDownLatch ran = new CountDownLatch(1);
    scheduler
        .workers()
        .execute(
            () -> {
              queue.executeNext(ran::countDown);
              throw new IllegalStateException("planted: the JDK's task fails after the hand-off");
            });
    assertThat(ran.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aTurnLeftToAWorkerMayEndEarlyForAToolHandlerAndTheQueueGoesOnElsewhere() throws Exception {
    SerialQueue queue = new SerialQueue(scheduler, "live-session-h");
    CountDownLatch handlerRunning = new CountDownLatch(1);
    CountDownLatch nextRan = new CountDownLatch(1);
    CompletableFuture<Boolean> taken = new CompletableFuture<>();
    onWorker(
        () ->
            queue.executeNext(
                () ->
                    taken.complete(
                        queue.runAfterTurn(
                            () -> {
                              handlerRunning.countDown();
                              awaitRelease();
                            }))));
    assertThat(taken.get(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(handlerRunning.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    queue.execute(nextRan::countDown);
    assertThat(nextRan.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
  }
}
