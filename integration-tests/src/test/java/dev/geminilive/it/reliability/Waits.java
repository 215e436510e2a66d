package dev.geminilive.it.reliability;

import dev.geminilive.ResilientLiveSession;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Polls conditions that have no event to wait on (server-side recordings, session state). */
final class Waits {
  private Waits() {}

  static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms: " + what);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  static String handle(ResilientLiveSession session, Duration timeout) {
    until("a resumption handle", timeout, () -> session.resumptionHandle().isPresent());
    return session.resumptionHandle().orElseThrow();
  }
}
