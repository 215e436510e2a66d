package dev.geminilive.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.geminilive.LiveScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ManualSchedulerTest {
  private final ManualScheduler clock = new ManualScheduler();
  private final List<String> ran = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    clock.close();
  }

  private Runnable note(String what) {
    return () -> ran.add(what + "@" + clock.elapsed().toMillis());
  }

  @Test
  void theClockMovesOnlyWhenTheTestMovesIt() {
    long start = clock.nanoTime();
    assertThat(clock.nanoTime()).isEqualTo(start);
    clock.advanceBy(Duration.ofSeconds(30));
    assertThat(clock.nanoTime() - start).isEqualTo(Duration.ofSeconds(30).toNanos());
    assertThat(clock.elapsed()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void executedTasksRunAtOnceInOrderOnTheSchedulersOwnThread() throws Exception {
    CountDownLatch done = new CountDownLatch(3);
    AtomicReference<String> thread = new AtomicReference<>();
    for (String name : List.of("a", "b", "c")) {
      clock.execute(
          () -> {
            thread.set(Thread.currentThread().getName());
            ran.add(name);
            done.countDown();
          });
    }
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ran).containsExactly("a", "b", "c");
    assertThat(thread.get())
        .isEqualTo("manual-scheduler")
        .isNotEqualTo(Thread.currentThread().getName());
  }

  @Test
  void scheduledTasksRunInTimeOrderEachAtItsOwnTime() {
    clock.schedule("late", Duration.ofMillis(300), note("late"));
    clock.schedule("early", Duration.ofMillis(100), note("early"));
    clock.schedule("same time, second", Duration.ofMillis(300), note("late2"));
    clock.schedule(
        "spawner",
        Duration.ofMillis(150),
        () -> {
          ran.add("spawner@" + clock.elapsed().toMillis());
          clock.schedule("spawned", Duration.ofMillis(50), note("spawned"));
        });

    clock.advanceBy(Duration.ofMillis(99));
    assertThat(ran).isEmpty();
    clock.advanceBy(Duration.ofMillis(401));

    assertThat(ran)
        .containsExactly("early@100", "spawner@150", "spawned@200", "late@300", "late2@300");
    assertThat(clock.elapsed()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void aTaskDueNowRunsWithoutMovingTheClock() {
    clock.schedule("now", Duration.ZERO, note("now"));
    clock.runUntilIdle();
    assertThat(ran).containsExactly("now@0");
  }

  @Test
  void pendingTasksAreListedWithTheirNamesAndTimeLeft() {
    clock.schedule("reconnect attempt 2", Duration.ofMillis(40), note("x"));
    clock.schedule("goAway deadline", Duration.ofSeconds(8), note("y"));
    clock.advanceBy(Duration.ofMillis(10));

    assertThat(clock.pending())
        .containsExactly("reconnect attempt 2 in 30 ms", "goAway deadline in 7990 ms");
    assertThat(clock.timeUntil("goAway")).contains(Duration.ofMillis(7990));
    assertThat(clock.timeUntil("stall")).isEmpty();
  }

  @Test
  void aCancelledTaskNeverRuns() {
    LiveScheduler.ScheduledTask t = clock.schedule("cancelled", Duration.ofMillis(10), note("x"));
    assertThat(t.cancel()).isTrue();
    assertThat(t.cancel()).isFalse();
    clock.advanceBy(Duration.ofSeconds(1));
    assertThat(ran).isEmpty();
    assertThat(clock.pending()).isEmpty();
  }

  @Test
  void aTaskThatRanCannotBeCancelled() {
    LiveScheduler.ScheduledTask t = clock.schedule("ran", Duration.ofMillis(10), note("ran"));
    clock.advanceBy(Duration.ofMillis(10));
    assertThat(t.cancel()).isFalse();
    assertThat(ran).containsExactly("ran@10");
  }

  @Test
  void aTaskThatThrowsDoesNotStopTheOthers() {
    clock.execute(
        () -> {
          throw new IllegalStateException("on purpose");
        });
    clock.execute(note("after"));
    clock.runUntilIdle();
    assertThat(ran).containsExactly("after@0");
  }

  @Test
  void theClockCannotBeMovedFromItsOwnTasks() {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    clock.execute(
        () -> {
          try {
            clock.advanceBy(Duration.ofSeconds(1));
          } catch (IllegalStateException e) {
            thrown.set(e);
          }
        });
    clock.runUntilIdle();
    assertThat(thrown.get()).hasMessageContaining("own tasks");
    assertThatThrownBy(() -> clock.advanceBy(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
