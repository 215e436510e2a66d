package dev.geminilive.it.reliability;

import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.Recorder;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The waits of {@link dev.geminilive.it.lifecycle.Waits}, for this package's tests. */
final class Waits {
  private Waits() {}

  static void received(
      Recorder recorder, String what, Duration timeout, BooleanSupplier condition) {
    dev.geminilive.it.lifecycle.Waits.received(recorder, what, timeout, condition);
  }

  static String handle(ResilientLiveSession session, Duration timeout) {
    return dev.geminilive.it.lifecycle.Waits.handle(session, timeout);
  }

  static String handleOtherThan(ResilientLiveSession session, String previous, Duration timeout) {
    return dev.geminilive.it.lifecycle.Waits.handleOtherThan(session, previous, timeout);
  }
}
