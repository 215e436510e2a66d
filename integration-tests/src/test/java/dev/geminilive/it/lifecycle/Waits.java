package dev.geminilive.it.lifecycle;

import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.Recorder;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

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

  /**
   * Waits until the session holds a resumption handle and returns it: woken by the listener's
   * {@code onResumptionHandle}, which the session calls once it has stored the handle.
   */
  public static String handle(
      RecordingLiveListener events, ResilientLiveSession session, Duration timeout) {
    return handleOtherThan(events, session, null, timeout);
  }

  /**
   * Waits until the session holds a resumption handle other than {@code previous} and returns it.
   * Checked each time {@code events} (the session's listener) records an {@code
   * onResumptionHandle}, never on a timer; the timeout only guards against a hang.
   */
  public static String handleOtherThan(
      RecordingLiveListener events,
      ResilientLiveSession session,
      @Nullable String previous,
      Duration timeout) {
    events.awaitMatching(
        e ->
            e.type() == EventType.RESUMPTION_HANDLE
                && session.resumptionHandle().filter(h -> !h.equals(previous)).isPresent(),
        1,
        timeout,
        "a resumption handle"
            + (previous == null ? "" : " after the previous one")
            + " (state "
            + session.state()
            + ")");
    return session.resumptionHandle().orElseThrow();
  }

  /**
   * Waits until no live thread's name matches {@code name} and returns the names still matching at
   * the timeout (empty on success).
   *
   * <p>The one poll kept on purpose: a session's name leaves a thread when a shared pool thread
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
