package dev.geminilive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SerialQueueTest {
  @Test
  void tasksRunInOrderInOneTurnOnALentThreadNamedAfterTheSession() {
    QueuedScheduler scheduler = new QueuedScheduler();
    SerialQueue queue = new SerialQueue(scheduler, "live-session-x");
    List<String> ran = new ArrayList<>();
    String own = Thread.currentThread().getName();
    for (int i = 0; i < 3; i++) {
      int n = i;
      queue.execute(() -> ran.add(n + " on " + Thread.currentThread().getName()));
    }
    assertThat(scheduler.executes).as("one turn asked for, however many tasks").isEqualTo(1);
    assertThat(queue.pending()).isEqualTo(3);
    assertThat(scheduler.runAll()).isEqualTo(1);
    assertThat(ran)
        .containsExactly(
            "0 on live-session-x-events",
            "1 on live-session-x-events",
            "2 on live-session-x-events");
    assertThat(Thread.currentThread().getName()).as("the thread's name given back").isEqualTo(own);
    assertThat(queue.pending()).isZero();
  }

  @Test
  void aTaskThatThrowsDoesNotStopTheQueue() {
    QueuedScheduler scheduler = new QueuedScheduler();
    SerialQueue queue = new SerialQueue(scheduler, "s");
    List<String> ran = new ArrayList<>();
    queue.execute(
        () -> {
          throw new IllegalStateException("on purpose");
        });
    queue.execute(() -> ran.add("after"));
    scheduler.runAll();
    assertThat(ran).containsExactly("after");
  }

  @Test
  void aLongQueueGivesItsThreadBackAfterAFixedNumberOfTasksAndGoesOnInANewTurn() {
    QueuedScheduler scheduler = new QueuedScheduler();
    SerialQueue queue = new SerialQueue(scheduler, "s");
    List<Integer> ran = new ArrayList<>();
    int total = SerialQueue.TASKS_PER_TURN * 2 + 1;
    for (int i = 0; i < total; i++) {
      int n = i;
      queue.execute(() -> ran.add(n));
    }
    assertThat(scheduler.runAll()).as("turns").isEqualTo(3);
    assertThat(ran).hasSize(total).isSorted();
  }

  @Test
  void aTaskAddedByARunningTaskRunsAfterItInTheSameOrder() {
    QueuedScheduler scheduler = new QueuedScheduler();
    SerialQueue queue = new SerialQueue(scheduler, "s");
    List<String> ran = new ArrayList<>();
    queue.execute(
        () -> {
          ran.add("first");
          queue.execute(() -> ran.add("third"));
          ran.add("second");
          assertThat(queue.isCurrent()).isTrue();
        });
    scheduler.runAll();
    assertThat(ran).containsExactly("first", "second", "third");
    assertThat(queue.isCurrent()).isFalse();
  }

  @Test
  void theSessionsThreadsAreLetGoOnlyOnceTheTurnGaveItsThreadsNameBack() {
    QueuedScheduler scheduler = new QueuedScheduler();
    SessionThreads threads = new SessionThreads("live-session-y");
    SerialQueue queue = new SerialQueue(scheduler, threads);
    String own = Thread.currentThread().getName();
    List<String> namedAtRelease = new ArrayList<>();
    threads.released().thenRun(() -> namedAtRelease.add(Thread.currentThread().getName()));

    // The session's last task lets go of the session's own hold; the turn still holds one.
    queue.execute(threads::release);
    assertThat(threads.released()).as("a turn asked for holds the threads").isNotDone();
    scheduler.runAll();
    assertThat(namedAtRelease).as("the thread's name when the last hold went").containsExactly(own);

    List<String> late = new ArrayList<>();
    queue.execute(() -> late.add(Thread.currentThread().getName()));
    scheduler.runAll();
    assertThat(late)
        .as("a task after the end runs under its thread's own name")
        .containsExactly(own);
  }
}
