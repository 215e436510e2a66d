package dev.geminilive.it.reconnect;

import dev.geminilive.ResilientLiveSession;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls conditions that have no event to wait on (server-side recordings, session state). */
final class Waits {
  private Waits() {}

  static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms: " + what);
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  static String handle(ResilientLiveSession session, Duration timeout) {
    until("a resumption handle", timeout, () -> session.resumptionHandle().isPresent());
    return session.resumptionHandle().orElseThrow();
  }
}
