package dev.geminilive.spring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code permits} tokens per principal in each fixed window that starts with the
 * principal's first request.
 *
 * <p>One entry per principal seen in the current window; entries of past windows are dropped as the
 * map is touched, so memory is bounded by the principals active in one window. Thread-safe: each
 * principal's entry is updated atomically with {@link ConcurrentHashMap#compute}.
 */
final class TokenRateLimit {
  private record Window(Instant start, int used) {}

  private final int permits;
  private final Duration window;
  private final Clock clock;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  TokenRateLimit(int permits, Duration window, Clock clock) {
    this.permits = permits;
    this.window = window;
    this.clock = clock;
  }

  /**
   * Takes a permit for {@code principal}.
   *
   * @return empty when granted, else the time until the principal's window ends
   */
  Optional<Duration> tryAcquire(String principal) {
    Instant now = clock.instant();
    Instant horizon = now.minus(window);
    if (windows.size() > 1024) {
      windows.values().removeIf(w -> !w.start().isAfter(horizon));
    }
    boolean[] granted = {false};
    Window w =
        windows.compute(
            principal,
            (k, old) -> {
              if (old == null || !old.start().isAfter(horizon)) {
                granted[0] = true;
                return new Window(now, 1);
              }
              if (old.used() < permits) {
                granted[0] = true;
                return new Window(old.start(), old.used() + 1);
              }
              return old;
            });
    return granted[0]
        ? Optional.empty()
        : Optional.of(Duration.between(now, w.start().plus(window)));
  }
}
