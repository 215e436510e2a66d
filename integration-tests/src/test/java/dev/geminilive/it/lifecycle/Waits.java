package dev.geminilive.it.lifecycle;

import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.Recorder;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
   * Waits for the sessions' {@code termination()} (normal or failed) and returns the names of the
   * live threads that then match {@code name}: empty when the library keeps its promise that a
   * terminated session holds no thread. One check, at the moment the promise applies; the timeout
   * only guards against a session that never terminates.
   */
  public static List<String> threadsGone(
      Collection<? extends ResilientLiveSession> sessions,
      Predicate<String> name,
      Duration timeout) {
    CompletableFuture<?>[] ends =
        sessions.stream()
            .map(s -> s.termination().handle((v, e) -> null))
            .toArray(CompletableFuture<?>[]::new);
    try {
      CompletableFuture.allOf(ends).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for the sessions to terminate", e);
    } catch (ExecutionException e) {
      throw new AssertionError("unreachable: the failures were handled", e);
    } catch (TimeoutException e) {
      throw new AssertionError(
          "not terminated within "
              + timeout
              + ": "
              + sessions.stream().filter(s -> !s.termination().isDone()).toList(),
          e);
    }
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name)
        .toList();
  }
}
