package dev.geminilive.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.TurnComplete;
import dev.geminilive.testkit.RecordingLiveListener.Event;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What {@link RecordingLiveListener} records, and the waits over it: the events in arrival order,
 * the cursor of the events taken in order, the types stepped over, and the raw messages.
 *
 * <p>Thread-safe: every field is guarded by {@code lock}; the session adds on its event thread
 * while the test waits and reads on its own. Waits block on {@code arrived}, signalled by each new
 * event, never by polling.
 */
final class EventLog {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();

  /** Every event, in arrival order; guarded by {@code lock}. */
  private final List<Event> events = new ArrayList<>();

  /** Index of the next event {@link #next} takes; guarded by {@code lock}. */
  private int cursor;

  /**
   * Types {@link #next} and {@link #assertNoMoreEvents} step over; guarded by {@code lock}. Handles
   * always: they come at the service's cadence (after a turn, before or after a close), not as a
   * step of the conversation a test reads.
   */
  private final Set<EventType> ignored = EnumSet.of(EventType.RESUMPTION_HANDLE);

  /** Whether raw messages are kept; guarded by {@code lock}. */
  private boolean recordRaw;

  /** The raw messages, when kept; guarded by {@code lock}. */
  private final List<JsonNode> raw = new ArrayList<>();

  void add(EventType type, @Nullable Object value) {
    lock.lock();
    try {
      events.add(new Event(type, value, Thread.currentThread().getName()));
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void recordRaw() {
    lock.lock();
    try {
      recordRaw = true;
    } finally {
      lock.unlock();
    }
  }

  void addRaw(JsonNode message) {
    lock.lock();
    try {
      if (recordRaw) {
        raw.add(message);
      }
    } finally {
      lock.unlock();
    }
  }

  List<Event> events() {
    lock.lock();
    try {
      return List.copyOf(events);
    } finally {
      lock.unlock();
    }
  }

  List<JsonNode> raw() {
    lock.lock();
    try {
      return List.copyOf(raw);
    } finally {
      lock.unlock();
    }
  }

  void ignore(EventType... types) {
    lock.lock();
    try {
      ignored.addAll(List.of(types));
    } finally {
      lock.unlock();
    }
  }

  /** Waits for the n-th event matching {@code matcher}, from the first event on. */
  Event awaitMatching(Predicate<Event> matcher, int n, Duration timeout, String what) {
    return waitFor(
        () -> {
          int seen = 0;
          for (Event e : events) {
            if (matcher.test(e) && ++seen == n) {
              return e;
            }
          }
          return null;
        },
        timeout,
        what);
  }

  /** Watches for {@code wait} and fails as soon as an event of {@code type} is there. */
  void assertNone(EventType type, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    lock.lock();
    try {
      while (true) {
        for (Event e : events) {
          if (e.type() == type) {
            throw new AssertionError("unexpected " + type + ": " + e.value());
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        arrived.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  /** Takes the next event not of an ignored type, waiting up to {@code timeout} for it. */
  Event next(Duration timeout) {
    return waitFor(
        () -> {
          while (cursor < events.size()) {
            Event e = events.get(cursor++);
            if (!ignored.contains(e.type())) {
              return e;
            }
          }
          return null;
        },
        timeout,
        "the next event");
  }

  /** Takes the next event and fails unless it is of {@code type}. */
  Event next(EventType type, Duration timeout) {
    Event e = next(timeout);
    if (e.type() != type) {
      throw new AssertionError(
          "expected " + type + " next but got " + describe(e) + "; events: " + summary());
    }
    return e;
  }

  /**
   * Takes the next events of {@code type}, as many as it takes to make up {@code expected} (a
   * transcript or a text may arrive in fragments), and fails at the first that does not fit.
   */
  void nextText(EventType type, String expected, Duration timeout) {
    StringBuilder seen = new StringBuilder();
    do {
      seen.append((String) next(type, timeout).value());
      if (!expected.startsWith(seen.toString())) {
        throw new AssertionError(
            "expected "
                + type
                + " \""
                + expected
                + "\" but got \""
                + seen
                + "\"; events: "
                + summary());
      }
    } while (seen.length() < expected.length());
  }

  void assertNoMoreEvents() {
    lock.lock();
    try {
      List<Event> left = new ArrayList<>();
      for (int i = cursor; i < events.size(); i++) {
        if (!ignored.contains(events.get(i).type())) {
          left.add(events.get(i));
        }
      }
      if (!left.isEmpty()) {
        throw new AssertionError(
            "expected no more events but got " + EventSummary.of(left, EventSummary.RUNS));
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits, holding {@code lock} between looks, until {@code look} finds something (it runs with
   * {@code lock} held, after each new event), and fails with the events seen after {@code timeout}.
   */
  private <T> T waitFor(Supplier<@Nullable T> look, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        T found = look.get();
        if (found != null) {
          return found;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "timed out after "
                  + timeout.toMillis()
                  + " ms waiting for "
                  + what
                  + "; events: "
                  + summary());
        }
        arrived.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + what, e);
    } finally {
      lock.unlock();
    }
  }

  private String summary() {
    lock.lock();
    try {
      return EventSummary.of(events, EventSummary.RUNS);
    } finally {
      lock.unlock();
    }
  }

  private static String describe(Event e) {
    Object v = e.value();
    return e.type() == EventType.AUDIO || v == null || TurnComplete.NORMAL.equals(v)
        ? e.type().name()
        : e.type() + "(" + EventSummary.shorten(String.valueOf(v)) + ")";
  }
}
