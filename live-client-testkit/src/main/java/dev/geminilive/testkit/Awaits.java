package dev.geminilive.testkit;

import dev.geminilive.LiveException;
import dev.geminilive.flow.StageChange;
import dev.geminilive.testkit.RecordingLiveListener.Event;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * The waiting half of {@link RecordingLiveListener}: each {@code await*} method blocks until a
 * matching event has arrived, looking at every event from the first (the in-order cursor of the
 * {@code assert*} methods does not move), and fails after its timeout with the events seen so far.
 *
 * <p>A part of {@link RecordingLiveListener}, its only public subclass, which documents these
 * methods as its own. Thread-safe: every wait is on the {@link EventLog}.
 */
abstract sealed class Awaits extends InOrderAssertions permits RecordingLiveListener {
  /**
   * Waits until at least {@code n} events of a type have arrived and returns the n-th.
   *
   * @param type the event type
   * @param n the count to wait for, from 1
   * @param timeout the longest to wait
   * @return the n-th event of the type
   * @throws AssertionError when the timeout passes first
   */
  public Event await(EventType type, int n, Duration timeout) {
    return log.awaitMatching(e -> e.type() == type, n, timeout, n + " × " + type);
  }

  /**
   * Waits for the first event of a type.
   *
   * @param type the event type
   * @return the first event of the type
   */
  public Event await(EventType type) {
    return await(type, 1, RecordingLiveListener.DEFAULT_TIMEOUT);
  }

  /**
   * Waits until {@code n} turns have completed.
   *
   * @param n the turn count to wait for
   * @param timeout the longest to wait
   */
  public void awaitTurnComplete(int n, Duration timeout) {
    await(EventType.TURN_COMPLETE, n, timeout);
  }

  /** Waits for the first completed turn. */
  public void awaitTurnComplete() {
    await(EventType.TURN_COMPLETE);
  }

  /**
   * Waits for the flow's change from {@code from} to {@code to} (other events may come between).
   *
   * @param from the stage left
   * @param to the stage entered
   * @return the change, with its trigger and what it carried
   * @throws AssertionError if it does not come within {@link RecordingLiveListener#DEFAULT_TIMEOUT}
   */
  public StageChange awaitStageChanged(String from, String to) {
    return (StageChange)
        awaitMatching(
                e ->
                    e.type() == EventType.STAGE_CHANGED
                        && ((StageChange) e.value()).from().equals(from)
                        && ((StageChange) e.value()).to().equals(to),
                1,
                RecordingLiveListener.DEFAULT_TIMEOUT,
                "the stage change " + from + " -> " + to)
            .value();
  }

  /**
   * Waits until the session ended (closed or failed) and returns that event.
   *
   * @param timeout the longest to wait
   * @return the closed or failed event
   */
  public Event awaitEnd(Duration timeout) {
    return log.awaitMatching(
        e -> e.type() == EventType.CLOSED || e.type() == EventType.FAILURE,
        1,
        timeout,
        "CLOSED or FAILURE");
  }

  /**
   * Waits until the session failed and returns the failure.
   *
   * @param timeout the longest to wait
   * @return the failure
   */
  public LiveException awaitFailure(Duration timeout) {
    Event e = awaitEnd(timeout);
    if (e.type() != EventType.FAILURE) {
      throw new AssertionError("the session closed normally instead of failing");
    }
    return (LiveException) e.value();
  }

  /**
   * Waits for the n-th event matching a predicate.
   *
   * @param matcher the test on each event
   * @param n the count to wait for, from 1
   * @param timeout the longest to wait
   * @param what a description of the awaited event, for the failure message
   * @return the n-th matching event
   */
  public Event awaitMatching(Predicate<Event> matcher, int n, Duration timeout, String what) {
    return log.awaitMatching(matcher, n, timeout, what);
  }

  /**
   * Waits up to the timeout and fails if any event of this type arrives.
   *
   * <p>The wait is in real time, so it proves nothing about an event that a timer of the session
   * would cause later (a reconnect after its backoff, a stall check): give the session a {@link
   * ManualScheduler} and move it past that time instead, then read what arrived.
   *
   * @param type the event type
   * @param wait the time to watch for events
   */
  public void assertNone(EventType type, Duration wait) {
    log.assertNone(type, wait);
  }
}
