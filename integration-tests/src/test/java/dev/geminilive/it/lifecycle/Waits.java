package dev.geminilive.it.lifecycle;

import dev.geminilive.ResilientLiveSession;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Polls conditions that have no event to wait on (server-side recordings, session state), for the
 * session tests of this package and {@code dev.geminilive.it.reconnect}.
 */
public final class Waits {
  private Waits() {}

  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms: " + what);
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  public static String handle(ResilientLiveSession session, Duration timeout) {
    until("a resumption handle", timeout, () -> session.resumptionHandle().isPresent());
    return session.resumptionHandle().orElseThrow();
  }
}
