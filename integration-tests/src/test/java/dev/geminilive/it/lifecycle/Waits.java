package dev.geminilive.it.lifecycle;

import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.Recorder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Waits for the session tests of this package, {@code dev.geminilive.it.reconnect} and {@code
 * dev.geminilive.it.reliability}.
 */
public final class Waits {
  private Waits() {}

  /**
   * Waits until {@code condition} (about what the fake server received) holds: tested each time the
   * recorder records a message, never on a timer.
   */
  public static void received(
      Recorder recorder, String what, Duration timeout, BooleanSupplier condition) {
    try {
      recorder.awaitUntil(what, timeout, r -> condition.getAsBoolean());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + what, e);
    }
  }

  /** Waits until the session holds a resumption handle and returns it. */
  public static String handle(ResilientLiveSession session, Duration timeout) {
    return handleOtherThan(session, null, timeout);
  }

  /**
   * Waits until the session holds a resumption handle other than {@code previous} and returns it.
   *
   * <p>The one poll left in the integration tests, kept on purpose: the session stores a handle
   * after its listener has seen the frame that carried it and announces the store by no event, so
   * there is nothing to be woken by. It re-checks every millisecond; like every wait here, its
   * timeout only guards against a hang.
   */
  public static String handleOtherThan(
      ResilientLiveSession session, String previous, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<String> handle = session.resumptionHandle();
      if (handle.isPresent() && !handle.get().equals(previous)) {
        return handle.get();
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "no resumption handle"
                + (previous == null ? "" : " after the previous one")
                + " within "
                + timeout.toMillis()
                + " ms (state "
                + session.state()
                + ")");
      }
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }

  /**
   * Waits until no live thread's name matches {@code name} and returns the names still matching at
   * the timeout (empty on success).
   *
   * <p>The second poll kept on purpose: a session's name leaves a thread when a shared pool thread
   * finishes the session's task (it takes its pool name back) or when OkHttp's pooled reader thread
   * moves on; both change a name, which no event announces and no join observes (the threads live
   * on). It re-checks every millisecond; the timeout only guards against a hang.
   */
  public static List<String> threadsGone(Predicate<String> name, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<String> alive =
          Thread.getAllStackTraces().keySet().stream()
              .filter(Thread::isAlive)
              .map(Thread::getName)
              .filter(name)
              .toList();
      if (alive.isEmpty() || System.nanoTime() - deadline > 0) {
        return alive;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }
}
