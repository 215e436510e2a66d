package dev.geminilive.it.reliability;

import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.Recorder;
import dev.geminilive.testkit.RecordingLiveListener;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The waits of {@link dev.geminilive.it.lifecycle.Waits}, for this package's tests. */
final class Waits {
  private Waits() {}

  static void received(
      Recorder recorder, String what, Duration timeout, BooleanSupplier condition) {
    dev.geminilive.it.lifecycle.Waits.received(recorder, what, timeout, condition);
  }

  static String handle(
      RecordingLiveListener events, ResilientLiveSession session, Duration timeout) {
    return dev.geminilive.it.lifecycle.Waits.handle(events, session, timeout);
  }

  static String handleOtherThan(
      RecordingLiveListener events,
      ResilientLiveSession session,
      String previous,
      Duration timeout) {
    return dev.geminilive.it.lifecycle.Waits.handleOtherThan(events, session, previous, timeout);
  }
}
