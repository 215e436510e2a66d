package dev.geminilive.it;

import dev.geminilive.testkit.Recorder;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for what the fake server has received: the condition is tested each time the recorder
 * records a message (its monitor is notified), never on a timer.
 */
final class Await {
  private Await() {}

  static void received(
      Recorder recorder, String what, Duration timeout, BooleanSupplier condition) {
    try {
      recorder.awaitUntil(what, timeout, r -> condition.getAsBoolean());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + what, e);
    }
  }
}
