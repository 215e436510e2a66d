package dev.geminilive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.LiveObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * {@link SerialQueue#runAfterTurn}: a task ends its turn early and its thread runs work out of the
 * queue, while the queue's other tasks go on, in order, on another thread of the system scheduler's
 * pool; and, once that work says it is ending ({@link SerialQueue#workEnding}), the turn its last
 * tasks need is kept for its thread unless another thread adds a task.
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

  /**
   * Runs {@code work} after a turn of {@code queue}, on the turn's thread; completes with that
   * thread once the work has returned.
   */
  private static CompletableFuture<Thread> afterATurn(SerialQueue queue, Runnable work) {
    CompletableFuture<Thread> thread = new CompletableFuture<>();
    CompletableFuture<Boolean> taken = new CompletableFuture<>();
    queue.execute(
        () ->
            taken.complete(
                queue.runAfterTurn(
                    () -> {
                      work.run();
                      thread.complete(Thread.currentThread());
                    })));
    assertThat(taken.join()).as("the queue lets the thread go").isTrue();
    return thread;
  }

  @Test
  void aTaskTheEndingWorkAddsRunsOnItsThreadOnceItReturnsUnderTheSessionsName() throws Exception {
    SessionThreads threads = new SessionThreads("live-session-e");
    SerialQueue queue = new SerialQueue(scheduler, threads);
    CompletableFuture<String> task = new CompletableFuture<>();
    AtomicBoolean workReturned = new AtomicBoolean();
    CompletableFuture<Thread> workThread = new CompletableFuture<>();
    CountDownLatch probe = new CountDownLatch(1);
    CompletableFuture<Thread> ranOn =
        afterATurn(
            queue,
            () -> {
              workThread.complete(Thread.currentThread());
              queue.workEnding();
              queue.execute(
                  () ->
                      task.complete(
                          (Thread.currentThread() == workThread.getNow(null)
                                  ? "on the work's thread"
                                  : "on another thread")
                              + (workReturned.get() ? " after" : " while")
                              + " the work ran, named "
                              + Thread.currentThread().getName()));
              // The pool runs its tasks in order: a turn asked for above would be taken by another
              // thread before this one is, so the work would not be the one to run the task.
              scheduler.execute(probe::countDown);
              try {
                assertThat(probe.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              // Kept, it holds the session's threads: the session's own hold let go now does not
              // end them.
              threads.release();
              workReturned.set(true);
            });
    assertThat(task.get(WAIT_SECONDS, TimeUnit.SECONDS))
        .isEqualTo("on the work's thread after the work ran, named live-session-e-events");
    assertThat(ranOn.get()).isSameAs(workThread.get());
    threads.released().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void aTaskOfAnotherThreadDoesNotWaitForTheEndingWorkAndTheKeptTaskRunsBeforeIt()
      throws Exception {
    SerialQueue queue = new SerialQueue(scheduler, "live-session-f");
    List<String> ran = new CopyOnWriteArrayList<>();
    CountDownLatch added = new CountDownLatch(1);
    CountDownLatch othersRan = new CountDownLatch(1);
    CompletableFuture<Thread> workThread = new CompletableFuture<>();
    CompletableFuture<Thread> returned =
        afterATurn(
            queue,
            () -> {
              workThread.complete(Thread.currentThread());
              queue.workEnding();
              queue.execute(() -> ran.add("kept, " + where(workThread)));
              added.countDown();
              try {
                // Returns only once the other thread's task ran, which must not wait for it.
                assertThat(othersRan.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    assertThat(added.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    queue.execute(
        () -> {
          ran.add("other's, " + where(workThread));
          othersRan.countDown();
        });
    returned.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(ran).containsExactly("kept, elsewhere", "other's, elsewhere");
  }

  private static String where(CompletableFuture<Thread> workThread) {
    return Thread.currentThread() == workThread.getNow(null) ? "on the work's thread" : "elsewhere";
  }

  @Test
  void aKeptTurnMayItselfEndEarlyForWorkOfItsOwnAndTheQueueGoesOn() throws Exception {
    SerialQueue queue = new SerialQueue(scheduler, "live-session-g");
    CompletableFuture<Thread> secondWork = new CompletableFuture<>();
    CompletableFuture<Boolean> secondTaken = new CompletableFuture<>();
    CountDownLatch last = new CountDownLatch(1);
    CompletableFuture<Thread> workThread =
        afterATurn(
            queue,
            () -> {
              queue.workEnding();
              queue.execute(
                  () ->
                      secondTaken.complete(
                          queue.runAfterTurn(() -> secondWork.complete(Thread.currentThread()))));
              queue.execute(last::countDown);
            });
    assertThat(secondTaken.get(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(secondWork.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(workThread.get());
    assertThat(last.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aTurnKeptForWorkThatThrowsGoesToTheScheduler() throws Exception {
    SerialQueue queue = new SerialQueue(scheduler, "live-session-h");
    CountDownLatch kept = new CountDownLatch(1);
    queue.execute(
        () ->
            queue.runAfterTurn(
                () -> {
                  queue.workEnding();
                  queue.execute(kept::countDown);
                  throw new IllegalStateException("on purpose, with a turn kept");
                }));
    assertThat(kept.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    CountDownLatch next = new CountDownLatch(1);
    queue.execute(next::countDown);
    assertThat(next.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void onlyTheThreadRunningTheQueuesWorkKeepsATurn() throws Exception {
    SerialQueue queue = new SerialQueue(scheduler, "live-session-i");
    SerialQueue other = new SerialQueue(scheduler, "live-session-j");
    // Off any work: nothing to keep, the task runs on the scheduler.
    queue.workEnding();
    CountDownLatch first = new CountDownLatch(1);
    queue.execute(first::countDown);
    assertThat(first.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    // From another queue's work, this queue's task does not wait for it.
    CountDownLatch ran = new CountDownLatch(1);
    CompletableFuture<Thread> done =
        afterATurn(
            other,
            () -> {
              queue.workEnding();
              other.workEnding();
              queue.execute(ran::countDown);
              try {
                assertThat(ran.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    done.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }
}
