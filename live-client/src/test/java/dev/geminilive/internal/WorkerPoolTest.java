package dev.geminilive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The system scheduler's workers: a burst stays on the pool's parallelism, a blocked pool grows
 * only through the stall check (run here by hand, so no test waits for its delay), idle threads
 * end.
 */
class WorkerPoolTest {
  private static final long WAIT_SECONDS = 30;

  private final List<Runnable> checks = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void releaseBlockedTasks() {
    release.countDown();
  }

  private WorkerPool pool(int parallelism, Duration keepAlive) {
    return new WorkerPool("pool-test", parallelism, keepAlive, (delay, check) -> checks.add(check));
  }

  private void runChecks() {
    List<Runnable> due;
    synchronized (checks) {
      due = new ArrayList<>(checks);
      checks.clear();
    }
    due.forEach(Runnable::run);
  }

  private Runnable blocker(CountDownLatch running) {
    return () -> {
      running.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  @Test
  void aBurstOfShortTasksFromManyThreadsRunsOnNoMoreThreadsThanTheParallelism() throws Exception {
    WorkerPool pool = pool(2, Duration.ofMinutes(1));
    Set<Thread> ran =
        Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    CountDownLatch done = new CountDownLatch(4 * 500);
    List<Thread> senders = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      Thread sender =
          new Thread(
              () -> {
                for (int i = 0; i < 500; i++) {
                  pool.execute(
                      () -> {
                        ran.add(Thread.currentThread());
                        done.countDown();
                      });
                }
              });
      sender.start();
      senders.add(sender);
    }
    for (Thread sender : senders) {
      sender.join();
    }
    assertThat(done.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    // Without the stall check (never run here), the pool never passes its parallelism however the
    // tasks and the threads interleave.
    assertThat(ran).hasSizeLessThanOrEqualTo(2);
    assertThat(pool.threads()).isLessThanOrEqualTo(2);
  }

  @Test
  void whenEveryThreadIsHeldTheStallCheckAddsAThreadAndTheWaitingTaskRuns() throws Exception {
    WorkerPool pool = pool(1, Duration.ofMinutes(1));
    CountDownLatch blocking = new CountDownLatch(1);
    pool.execute(blocker(blocking));
    assertThat(blocking.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    CountDownLatch ran = new CountDownLatch(1);
    pool.execute(ran::countDown);
    // The second task waits behind the blocked one; a check is set, and nothing else grows.
    assertThat(pool.queued()).isEqualTo(1);
    assertThat(pool.threads()).isEqualTo(1);
    assertThat(checks).hasSize(1);

    runChecks();

    assertThat(ran.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(pool.threads()).isEqualTo(2);
  }

  @Test
  void theStallCheckAddsNoThreadWhenATaskStartedSinceItWasSet() throws Exception {
    WorkerPool pool = pool(1, Duration.ofMinutes(1));
    CountDownLatch first = new CountDownLatch(1);
    CountDownLatch firstRunning = new CountDownLatch(1);
    pool.execute(
        () -> {
          firstRunning.countDown();
          try {
            first.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    assertThat(firstRunning.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    CountDownLatch secondRunning = new CountDownLatch(1);
    pool.execute(blocker(secondRunning)); // queued: the check is set now
    CountDownLatch third = new CountDownLatch(1);
    pool.execute(third::countDown);
    assertThat(checks).hasSize(1);
    // The pool makes progress: the first task ends and the second starts before the check runs.
    first.countDown();
    assertThat(secondRunning.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

    runChecks();

    assertThat(pool.threads()).isEqualTo(1);
    assertThat(pool.queued()).isEqualTo(1);
    // The check looks again; with no task started since, the next one adds the thread.
    assertThat(checks).hasSize(1);
    runChecks();
    assertThat(third.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(pool.threads()).isEqualTo(2);
  }

  @Test
  void idleThreadsEndAfterTheKeepAliveAndTheNextTaskStartsANewOne() throws Exception {
    WorkerPool pool = pool(2, Duration.ofMillis(1));
    List<Thread> workers = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch ran = new CountDownLatch(1);
    pool.execute(
        () -> {
          workers.add(Thread.currentThread());
          ran.countDown();
        });
    assertThat(ran.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    workers.get(0).join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertThat(workers.get(0).isAlive()).isFalse();
    assertThat(pool.threads()).isZero();

    CountDownLatch again = new CountDownLatch(1);
    pool.execute(again::countDown);
    assertThat(again.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aTaskThatThrowsOrInterruptsItsThreadLeavesTheThreadToTheNextTask() throws Exception {
    WorkerPool pool = pool(1, Duration.ofMinutes(1));
    List<Thread> workers = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch blocking = new CountDownLatch(1);
    pool.execute(blocker(blocking));
    assertThat(blocking.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    // Queued behind the blocker, so the three run one after another on the same thread.
    pool.execute(
        () -> {
          workers.add(Thread.currentThread());
          throw new IllegalStateException("a bug in a task");
        });
    pool.execute(
        () -> {
          workers.add(Thread.currentThread());
          Thread.currentThread().interrupt();
        });
    CountDownLatch last = new CountDownLatch(1);
    boolean[] interrupted = new boolean[1];
    pool.execute(
        () -> {
          workers.add(Thread.currentThread());
          interrupted[0] = Thread.currentThread().isInterrupted();
          last.countDown();
        });
    release.countDown();

    assertThat(last.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(workers).hasSize(3);
    assertThat(Set.copyOf(workers)).hasSize(1);
    assertThat(interrupted[0]).isFalse();
    assertThat(pool.threads()).isEqualTo(1);
  }

  @Test
  void noTaskIsLostWhenManyThreadsGiveWorkWhileTheWorkersGoIdleAndWake() throws Exception {
    WorkerPool pool = pool(2, Duration.ofMinutes(1));
    int senders = 8;
    int perSender = 2_000;
    for (int round = 0; round < 5; round++) {
      CountDownLatch done = new CountDownLatch(senders * perSender);
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        int seed = s + round * senders;
        Thread sender =
            new Thread(
                () -> {
                  try {
                    go.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  for (int i = 0; i < perSender; i++) {
                    pool.execute(done::countDown);
                    // Uneven gaps, so the workers run dry and wait again in between.
                    for (int k = (i * 31 + seed * 17) % 97; k > 0; k--) {
                      Thread.onSpinWait();
                    }
                  }
                });
        sender.start();
        threads.add(sender);
      }
      go.countDown();
      for (Thread t : threads) {
        t.join();
      }
      assertThat(done.await(WAIT_SECONDS, TimeUnit.SECONDS))
          .as("round %d: %d of %d tasks never ran", round, done.getCount(), senders * perSender)
          .isTrue();
      assertThat(pool.queued()).isZero();
    }
    assertThat(pool.threads()).isLessThanOrEqualTo(2);
  }

  @Test
  void anIdlePoolsThreadsStopUsingTheProcessor() throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    WorkerPool pool = pool(2, Duration.ofMinutes(1));
    Set<Thread> workers =
        Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    // Work that keeps both threads busy, then stops.
    CountDownLatch done = new CountDownLatch(2_000);
    for (int i = 0; i < 2_000; i++) {
      pool.execute(
          () -> {
            workers.add(Thread.currentThread());
            done.countDown();
          });
    }
    assertThat(done.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(workers).isNotEmpty();
    // The window is the test thread's own processor time, not the clock: a worker that spun
    // through it would get about as much as the test thread, however loaded the machine is.
    burn(mx, 50_000_000); // past any short wait a worker makes before it parks
    long before = cpuNanos(mx, workers);
    burn(mx, 200_000_000);
    long used = cpuNanos(mx, workers) - before;
    assertThat(workers).allMatch(Thread::isAlive);
    assertThat(used).as("processor time of the idle workers, ns").isLessThan(5_000_000);
  }

  @Test
  void oneTaskAtATimeRunsOnTheThreadThatParkedLastAndTheSpareThreadEndsAfterTheKeepAlive()
      throws Exception {
    WorkerPool pool = pool(2, Duration.ofMillis(300));
    Thread[] warmAndSpare = warmAndSpare(pool);
    Thread warm = warmAndSpare[0];
    Thread spare = warmAndSpare[1];
    // One task at a time, each given once the thread before it parked again: the thread that ran
    // the last one runs the next, and the spare, never woken, ends after its keep-alive. With a
    // first-in first-out wake the tasks would take the two threads in turn and neither would end.
    int tasks = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (spare.isAlive() && System.nanoTime() < deadline) {
      awaitEveryThreadParked(pool);
      assertThat(runOne(pool)).as("the thread of task %d", tasks).isSameAs(warm);
      tasks++;
    }
    assertThat(spare.isAlive()).as("the spare thread, after %d tasks", tasks).isFalse();
    assertThat(warm.isAlive()).isTrue();
    assertThat(pool.threads()).isEqualTo(1);
    assertThat(tasks).isPositive();
  }

  @Test
  void aParkedThreadThatWakesWithoutATaskKeepsItsPlaceAndTakesNoTaskGivenToAnother()
      throws Exception {
    WorkerPool pool = pool(2, Duration.ofMinutes(1));
    Thread[] warmAndSpare = warmAndSpare(pool);
    Thread warm = warmAndSpare[0];
    Thread spare = warmAndSpare[1];
    // A park may return with nothing to wake it (the JDK allows it; a timed park may also return a
    // little before its time). Such a thread stays where it was on the idle stack, below the warm
    // one, and leaves a task to the thread that was woken for it: were it to park again on top,
    // or take the task, the next task would run on the spare.
    for (int task = 0; task < 200; task++) {
      awaitEveryThreadParked(pool);
      LockSupport.unpark(spare);
      assertThat(runOne(pool)).as("the thread of task %d", task).isSameAs(warm);
    }
    assertThat(pool.threads()).isEqualTo(2);
  }

  @Test
  void twoTasksGivenTogetherWakeTwoParkedThreadsAndRunAtOnce() throws Exception {
    WorkerPool pool = pool(2, Duration.ofMinutes(1));
    startBothThreads(pool);
    awaitEveryThreadParked(pool);
    // Each task waits for the other: they end only if both run at the same time.
    CountDownLatch together = new CountDownLatch(2);
    CountDownLatch done = new CountDownLatch(2);
    for (int i = 0; i < 2; i++) {
      pool.execute(
          () -> {
            together.countDown();
            try {
              if (together.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                done.countDown();
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
    }
    assertThat(done.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(pool.threads()).isEqualTo(2);
  }

  /**
   * Starts the pool's two threads, lets both park, and runs one task: returns the thread that ran
   * it (the warm one, which parked last) and the other (the spare).
   */
  private Thread[] warmAndSpare(WorkerPool pool) throws InterruptedException {
    Thread[] both = startBothThreads(pool);
    awaitEveryThreadParked(pool);
    Thread warm = runOne(pool);
    assertThat(warm).isIn((Object[]) both);
    return new Thread[] {warm, warm == both[0] ? both[1] : both[0]};
  }

  /** Starts the pool's two threads with two tasks that run at once; returns the two threads. */
  private Thread[] startBothThreads(WorkerPool pool) throws InterruptedException {
    Thread[] both = new Thread[2];
    CountDownLatch running = new CountDownLatch(2);
    CountDownLatch go = new CountDownLatch(1);
    for (int i = 0; i < 2; i++) {
      int slot = i;
      pool.execute(
          () -> {
            both[slot] = Thread.currentThread();
            running.countDown();
            try {
              go.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
    }
    assertThat(running.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    go.countDown();
    assertThat(both[0]).isNotSameAs(both[1]);
    return both;
  }

  /** Runs one task on the pool and returns the thread that ran it. */
  private static Thread runOne(WorkerPool pool) throws InterruptedException {
    Thread[] ran = new Thread[1];
    CountDownLatch done = new CountDownLatch(1);
    pool.execute(
        () -> {
          ran[0] = Thread.currentThread();
          done.countDown();
        });
    assertThat(done.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    return ran[0];
  }

  /** Waits (yielding, with a generous limit) until every thread of the pool is parked for work. */
  private static void awaitEveryThreadParked(WorkerPool pool) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (pool.idle() != pool.threads() || pool.queued() != 0) {
      assertThat(System.nanoTime()).as("every thread parked in time").isLessThan(deadline);
      Thread.yield();
    }
  }

  /** Spins until the calling thread has used {@code nanos} more of processor time. */
  private static void burn(ThreadMXBean mx, long nanos) {
    long end = mx.getCurrentThreadCpuTime() + nanos;
    while (mx.getCurrentThreadCpuTime() < end) {
      Thread.onSpinWait();
    }
  }

  private static long cpuNanos(ThreadMXBean mx, Set<Thread> threads) {
    long sum = 0;
    synchronized (threads) {
      for (Thread t : threads) {
        sum += Math.max(0, mx.getThreadCpuTime(t.getId()));
      }
    }
    return sum;
  }
}
