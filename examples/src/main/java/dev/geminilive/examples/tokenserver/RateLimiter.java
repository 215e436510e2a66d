package dev.geminilive.examples.tokenserver;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A per-user sliding-window limit: at most {@code permits} grants in any {@code window}.
 *
 * <p>Keeps the times of each user's recent grants (at most {@code permits} per user) and forgets
 * users whose grants have all left the window, so memory is bounded by the users active in the last
 * window. Thread-safe (one lock; each call is a few map operations).
 */
final class RateLimiter {
  private final int permits;
  private final Duration window;
  private final Clock clock;
  // Guarded by this: user id -> times of the grants still inside the window, oldest first.
  private final Map<String, Deque<Instant>> grants = new HashMap<>();
  private Instant lastSweep;

  RateLimiter(int permits, Duration window, Clock clock) {
    this.permits = permits;
    this.window = window;
    this.clock = clock;
    this.lastSweep = clock.instant();
  }

  /**
   * Takes a permit for {@code user}.
   *
   * @return empty when granted, else how long until the next permit frees up
   */
  synchronized Optional<Duration> tryAcquire(String user) {
    Instant now = clock.instant();
    sweep(now);
    Deque<Instant> times = grants.computeIfAbsent(user, u -> new ArrayDeque<>(permits));
    expire(times, now);
    if (times.size() >= permits) {
      return Optional.of(Duration.between(now, times.peekFirst().plus(window)));
    }
    times.addLast(now);
    return Optional.empty();
  }

  private void expire(Deque<Instant> times, Instant now) {
    Instant horizon = now.minus(window);
    while (!times.isEmpty() && !times.peekFirst().isAfter(horizon)) {
      times.removeFirst();
    }
  }

  /** Once per window, drops users without grants inside it. */
  private void sweep(Instant now) {
    if (Duration.between(lastSweep, now).compareTo(window) < 0) {
      return;
    }
    lastSweep = now;
    grants
        .values()
        .removeIf(
            times -> {
              expire(times, now);
              return times.isEmpty();
            });
  }

  @Override
  public String toString() {
    return "RateLimiter[" + permits + " per " + window + "]";
  }
}
