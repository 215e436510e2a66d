package dev.geminilive.internal.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ToolThreadHandoffTest {
  private static final long LONG_WAIT = TimeUnit.SECONDS.toNanos(30);

  /** Takes the woken threads' tasks instead of running them, as if every start found a thread. */
  private final List<Runnable> woken = new ArrayList<>();

  private ToolThreadHandoff handoff(long waitNanos) {
    return new ToolThreadHandoff(
        task -> {
          synchronized (woken) {
            woken.add(task);
          }
          return true;
        },
        waitNanos);
  }

  @Test
  void aCallOfferedBeforeTheWokenThreadRunsIsRunByItOnceItStarts() throws Exception {
    ToolThreadHandoff h = handoff(LONG_WAIT);
    AtomicInteger runs = new AtomicInteger();
    CompletableFuture<Thread> ranOn = new CompletableFuture<>();

    h.expect();
    assertThat(h.offer(() -> ranOn.complete(Thread.currentThread()))).isTrue();
    assertThat(h.offer(runs::incrementAndGet)).as("one call per woken thread").isFalse();
    Thread t = new Thread(woken.get(0), "woken");
    t.start();

    assertThat(ranOn.get(30, TimeUnit.SECONDS)).isSameAs(t);
    t.join(30_000);
    assertThat(runs).hasValue(0);
  }

  @Test
  void aCallOfferedWhileTheWokenThreadWaitsRunsOnThatThread() throws Exception {
    ToolThreadHandoff h = handoff(LONG_WAIT);
    CompletableFuture<Thread> ranOn = new CompletableFuture<>();
    h.expect();
    Thread t = new Thread(woken.get(0), "woken");
    t.start();

    assertThat(h.offer(() -> ranOn.complete(Thread.currentThread()))).isTrue();

    assertThat(ranOn.get(30, TimeUnit.SECONDS)).isSameAs(t);
    t.join(30_000);
    assertThat(t.isAlive()).isFalse();
  }

  @Test
  void onlyOneThreadIsWokenWhileOneIsWaiting() {
    ToolThreadHandoff h = handoff(LONG_WAIT);

    h.expect();
    h.expect();

    assertThat(woken).hasSize(1);
  }

  @Test
  void aThreadLetGoLeavesWithoutRunningAnythingAndTheNextCallTakesTheOrdinaryPath() {
    ToolThreadHandoff h = handoff(LONG_WAIT);
    AtomicInteger runs = new AtomicInteger();
    h.expect();

    h.release();
    woken.get(0).run(); // returns at once: it was let go

    assertThat(h.offer(runs::incrementAndGet)).isFalse();
    assertThat(runs).hasValue(0);
  }

  @Test
  void aThreadNoCallComesForLeavesAtItsBoundAndANewFrameWakesAnother() {
    ToolThreadHandoff h = handoff(TimeUnit.MILLISECONDS.toNanos(1));
    AtomicInteger runs = new AtomicInteger();
    h.expect();

    woken.get(0).run(); // the frame's calls never came (a frame of a replaced connection)
    h.expect();

    assertThat(woken).as("the thread that left does not hold the place").hasSize(2);
    woken.get(1).run();
    assertThat(h.offer(runs::incrementAndGet)).as("the second left as well").isFalse();
    assertThat(runs).hasValue(0);
  }

  @Test
  void withNoIdleThreadNothingIsWokenAndTheCallTakesTheOrdinaryPath() {
    ToolThreadHandoff none = new ToolThreadHandoff(task -> false, LONG_WAIT);
    ToolThreadHandoff shutDown =
        new ToolThreadHandoff(
            task -> {
              throw new RejectedExecutionException("shut down");
            },
            LONG_WAIT);

    none.expect();
    shutDown.expect();

    assertThat(none.offer(() -> {})).isFalse();
    assertThat(shutDown.offer(() -> {})).isFalse();
  }
}
