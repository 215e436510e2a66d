package dev.geminilive;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * When and how often a {@link ResilientLiveSession} tries to reconnect after a connection ends.
 *
 * <p>Immutable. Get one from a static factory and adjust it with the {@code with*} methods:
 *
 * <pre>{@code
 * ReconnectPolicy policy =
 *     ReconnectPolicy.exponential(Duration.ofMillis(250), 2.0, Duration.ofSeconds(10))
 *         .withJitter(0.2)
 *         .withMaxAttempts(6)
 *         .withMaxReconnects(100);
 * }</pre>
 *
 * <p>Two limits keep a session from looping: {@link #maxAttempts()} failed attempts in one outage,
 * and {@link #maxReconnects()} successful reconnects over the whole session (a server that accepts
 * and at once closes would otherwise loop for ever). An outage begins when a connection that was
 * set up ends and ends when the next one is set up, so every outage counts its attempts from 1:
 * drops that each heal at once never add up to {@code maxAttempts}. {@link #maxOutage()} bounds the
 * total time one outage may take.
 *
 * <p>The backoff delay ({@link #delay}) carries over from one outage to the next while connections
 * drop within {@link #stablePeriod()} of being set up: a service that keeps dropping fresh
 * connections is redialled ever more slowly, up to the maximum delay. When a connection that had
 * stayed up that long drops, the first attempt goes at once (a healthy connection's drop is most
 * often a network blip that a redial heals) and the backoff starts again from the first delay for
 * the attempts after it.
 *
 * <p>Planned moves after {@code goAway} are not failures: they count towards {@link
 * #maxReconnects()} but their first attempt has no delay.
 *
 * @since 0.1
 */
public final class ReconnectPolicy {
  /** Default number of failed attempts allowed in one outage. */
  public static final int DEFAULT_MAX_ATTEMPTS = 8;

  /** Default number of reconnects allowed over the life of a session. */
  public static final int DEFAULT_MAX_RECONNECTS = 1_000;

  /**
   * Default time a connection must stay up before the backoff starts again from its first delay.
   */
  public static final Duration DEFAULT_STABLE_PERIOD = Duration.ofSeconds(10);

  /** Default upper bound on the time one outage may take. */
  public static final Duration DEFAULT_MAX_OUTAGE = Duration.ofMinutes(2);

  private final Duration initialDelay;
  private final double multiplier;
  private final Duration maxDelay;
  private final double jitter;
  private final int maxAttempts;
  private final int maxReconnects;
  private final Duration stablePeriod;
  private final Duration maxOutage;

  private ReconnectPolicy(
      Duration initialDelay,
      double multiplier,
      Duration maxDelay,
      double jitter,
      int maxAttempts,
      int maxReconnects,
      Duration stablePeriod,
      Duration maxOutage) {
    this.initialDelay = initialDelay;
    this.multiplier = multiplier;
    this.maxDelay = maxDelay;
    this.jitter = jitter;
    this.maxAttempts = maxAttempts;
    this.maxReconnects = maxReconnects;
    this.stablePeriod = stablePeriod;
    this.maxOutage = maxOutage;
  }

  /**
   * Never reconnect: the first lost connection fails the session.
   *
   * @return a policy that never reconnects
   */
  public static ReconnectPolicy none() {
    return new ReconnectPolicy(
        Duration.ZERO, 1.0, Duration.ZERO, 0, 0, 0, DEFAULT_STABLE_PERIOD, Duration.ZERO);
  }

  /**
   * Reconnect after the same delay every time.
   *
   * @param delay the delay before every attempt; not negative
   * @return a fixed-delay policy with the default limits and no jitter
   */
  public static ReconnectPolicy fixed(Duration delay) {
    requireNonNegative(delay, "delay");
    return new ReconnectPolicy(
        delay,
        1.0,
        delay,
        0,
        DEFAULT_MAX_ATTEMPTS,
        DEFAULT_MAX_RECONNECTS,
        DEFAULT_STABLE_PERIOD,
        DEFAULT_MAX_OUTAGE);
  }

  /**
   * Reconnect with capped exponential backoff: attempt n waits {@code initial × multiplier^(n-1)},
   * at most {@code max}.
   *
   * @param initial the delay before the first attempt; not negative
   * @param multiplier the factor each later delay grows by; at least 1
   * @param max the cap on any one delay; not below {@code initial}
   * @return an exponential-backoff policy with the default limits and no jitter
   */
  public static ReconnectPolicy exponential(Duration initial, double multiplier, Duration max) {
    requireNonNegative(initial, "initial");
    requireNonNegative(max, "max");
    if (!(multiplier >= 1.0)) {
      throw new IllegalArgumentException("multiplier must be at least 1.0: " + multiplier);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max (" + max + ") is below initial (" + initial + ")");
    }
    return new ReconnectPolicy(
        initial,
        multiplier,
        max,
        0,
        DEFAULT_MAX_ATTEMPTS,
        DEFAULT_MAX_RECONNECTS,
        DEFAULT_STABLE_PERIOD,
        DEFAULT_MAX_OUTAGE);
  }

  /**
   * The default policy: exponential from 200 ms, doubling, capped at 8 s, with 20% jitter, {@value
   * #DEFAULT_MAX_ATTEMPTS} attempts per outage.
   *
   * @return the default policy
   */
  public static ReconnectPolicy defaults() {
    return exponential(Duration.ofMillis(200), 2.0, Duration.ofSeconds(8)).withJitter(0.2);
  }

  /**
   * Spreads each delay randomly by up to this fraction either way (0 to 1), so that many sessions
   * dropped together do not reconnect in step.
   *
   * @param fraction the jitter, from 0 (none) to 1
   * @return a copy with this jitter; this policy is unchanged
   */
  public ReconnectPolicy withJitter(double fraction) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("jitter must be between 0 and 1: " + fraction);
    }
    return new ReconnectPolicy(
        initialDelay,
        multiplier,
        maxDelay,
        fraction,
        maxAttempts,
        maxReconnects,
        stablePeriod,
        maxOutage);
  }

  /**
   * The number of failed attempts allowed in one outage before the session fails; an outage ends
   * when a connection is set up again.
   *
   * @param attempts failed attempts allowed per outage; 0 or more
   * @return a copy with this limit; this policy is unchanged
   */
  public ReconnectPolicy withMaxAttempts(int attempts) {
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative: " + attempts);
    }
    return new ReconnectPolicy(
        initialDelay,
        multiplier,
        maxDelay,
        jitter,
        attempts,
        maxReconnects,
        stablePeriod,
        maxOutage);
  }

  /**
   * The number of reconnects allowed over the whole session.
   *
   * @param reconnects reconnects allowed per session; 0 or more
   * @return a copy with this limit; this policy is unchanged
   */
  public ReconnectPolicy withMaxReconnects(int reconnects) {
    if (reconnects < 0) {
      throw new IllegalArgumentException("reconnects must not be negative: " + reconnects);
    }
    return new ReconnectPolicy(
        initialDelay,
        multiplier,
        maxDelay,
        jitter,
        maxAttempts,
        reconnects,
        stablePeriod,
        maxOutage);
  }

  /**
   * How long a connection must stay up before the backoff starts again from its first delay; a
   * connection that drops sooner continues the backoff where the last outage left it.
   *
   * @param period the time a connection must stay up; not negative
   * @return a copy with this stable period; this policy is unchanged
   */
  public ReconnectPolicy withStablePeriod(Duration period) {
    requireNonNegative(period, "period");
    return new ReconnectPolicy(
        initialDelay, multiplier, maxDelay, jitter, maxAttempts, maxReconnects, period, maxOutage);
  }

  /**
   * The longest one outage may last, all attempts together, before the session fails.
   *
   * @param budget the longest outage; not negative
   * @return a copy with this outage limit; this policy is unchanged
   */
  public ReconnectPolicy withMaxOutage(Duration budget) {
    requireNonNegative(budget, "budget");
    return new ReconnectPolicy(
        initialDelay,
        multiplier,
        maxDelay,
        jitter,
        maxAttempts,
        maxReconnects,
        stablePeriod,
        budget);
  }

  /**
   * The delay at the given step of the backoff, without jitter: after the drop of a stable
   * connection the first attempt goes at once and the second is step 1; while connections keep
   * dropping, the first attempt of each outage goes on from the step the last one reached.
   *
   * @param attempt the backoff step, from 1
   * @return the delay before the attempt, at most the policy's maximum delay
   */
  public Duration baseDelay(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt counts from 1: " + attempt);
    }
    double millis = initialDelay.toMillis() * Math.pow(multiplier, attempt - 1);
    return Duration.ofMillis((long) Math.min(millis, maxDelay.toMillis()));
  }

  /**
   * The delay before the given attempt, with jitter drawn from {@code random} (values in [0, 1)).
   *
   * @param attempt the backoff step, starting at 1 (see {@link #baseDelay})
   * @param random a source of uniformly distributed values in [0, 1)
   * @return the delay before the attempt, never negative
   */
  public Duration delay(int attempt, DoubleSupplier random) {
    Objects.requireNonNull(random, "random");
    long base = baseDelay(attempt).toMillis();
    double spread = (random.getAsDouble() * 2 - 1) * jitter;
    return Duration.ofMillis(Math.max(0, Math.round(base * (1 + spread))));
  }

  /**
   * Whether the policy ever reconnects.
   *
   * @return true if at least one attempt and one reconnect are allowed; false for {@link #none()}
   */
  public boolean enabled() {
    return maxAttempts > 0 && maxReconnects > 0;
  }

  /**
   * Failed attempts allowed per outage.
   *
   * @return the number of failed attempts allowed in one outage
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Reconnects allowed per session.
   *
   * @return the number of reconnects allowed in one session
   */
  public int maxReconnects() {
    return maxReconnects;
  }

  /**
   * The time after which a connection counts as stable.
   *
   * @return the time a connection must stay up to count as stable
   */
  public Duration stablePeriod() {
    return stablePeriod;
  }

  /**
   * The longest one outage may last.
   *
   * @return the longest one outage may last, all attempts together
   */
  public Duration maxOutage() {
    return maxOutage;
  }

  /**
   * The jitter fraction.
   *
   * @return the jitter fraction, from 0 to 1
   */
  public double jitter() {
    return jitter;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReconnectPolicy p
        && initialDelay.equals(p.initialDelay)
        && multiplier == p.multiplier
        && maxDelay.equals(p.maxDelay)
        && jitter == p.jitter
        && maxAttempts == p.maxAttempts
        && maxReconnects == p.maxReconnects
        && stablePeriod.equals(p.stablePeriod)
        && maxOutage.equals(p.maxOutage);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        initialDelay,
        multiplier,
        maxDelay,
        jitter,
        maxAttempts,
        maxReconnects,
        stablePeriod,
        maxOutage);
  }

  @Override
  public String toString() {
    return "ReconnectPolicy[initial="
        + initialDelay
        + ", multiplier="
        + multiplier
        + ", max="
        + maxDelay
        + ", jitter="
        + jitter
        + ", maxAttempts="
        + maxAttempts
        + ", maxReconnects="
        + maxReconnects
        + ", stablePeriod="
        + stablePeriod
        + ", maxOutage="
        + maxOutage
        + "]";
  }

  private static void requireNonNegative(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + d);
    }
  }
}
