package dev.geminilive.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Server-wide fault injection for a {@link FakeLiveServer}; faults of one connection are methods of
 * {@link FakeConnection} ({@code drop()}, {@code reset()}, {@code close(..)}, {@code
 * closeHalfOpen(..)}, {@code closeTls()}, {@code stall()}, {@code goAway(..)}).
 *
 * <p>Get it from {@link FakeLiveServer#faults()}. Thread-safe: set faults from the test thread at
 * any time; they apply to frames and connections from then on. {@link #clear()} removes them all.
 *
 * <pre>{@code
 * server.faults().rejectUpgrades(2, 429);           // next two connects fail with HTTP 429
 * server.faults().pongDelay(Duration.ofSeconds(10)); // slow keep-alive answers
 * server.faults().latency(Duration.ofMillis(50));    // every server frame 50 ms late
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Faults {
  private final AtomicInteger upgradesToReject = new AtomicInteger();
  private volatile int upgradeRejectStatus = 429;
  private final AtomicInteger rejectedUpgrades = new AtomicInteger();
  private final AtomicInteger setupsToReject = new AtomicInteger();
  private volatile int setupRejectCode = 1011;
  private volatile String setupRejectReason = "Internal error encountered.";
  private volatile Duration latency = Duration.ZERO;
  private volatile Duration pongDelay = Duration.ZERO;
  private volatile boolean refuseHandles;
  private volatile @Nullable Duration goAwayDelay;
  private volatile Duration goAwayTimeLeft = Duration.ZERO;
  private volatile @Nullable String setupCompleteOverride;
  private final Runnable expireHandles;

  Faults(Runnable expireHandles) {
    this.expireHandles = expireHandles;
  }

  /**
   * Answers the next {@code count} WebSocket upgrades with HTTP {@code httpStatus} (for example 429
   * quota) instead of switching protocols. Clients see a failed connect (browsers see 1006).
   *
   * @param count how many upgrades to reject
   * @param httpStatus the HTTP status to answer with
   * @return these faults
   */
  public Faults rejectUpgrades(int count, int httpStatus) {
    if (count < 0 || httpStatus < 400 || httpStatus > 599) {
      throw new IllegalArgumentException("count >= 0 and 400 <= httpStatus <= 599 required");
    }
    upgradeRejectStatus = httpStatus;
    upgradesToReject.set(count);
    return this;
  }

  /**
   * Closes the next {@code count} connections with {@code code} and {@code reason} when their
   * {@code setup} arrives, without {@code setupComplete}.
   *
   * @param count how many setups to reject
   * @param code the WebSocket close code
   * @param reason the close reason
   * @return these faults
   */
  public Faults rejectSetups(int count, int code, String reason) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0: " + count);
    }
    setupRejectCode = code;
    setupRejectReason = Objects.requireNonNull(reason, "reason");
    setupsToReject.set(count);
    return this;
  }

  /**
   * Delays every server frame (data and close frames, not pongs) by {@code latency}.
   *
   * @param latency the delay per frame; zero for none
   * @return these faults
   */
  public Faults latency(Duration latency) {
    this.latency = Objects.requireNonNull(latency, "latency");
    return this;
  }

  /**
   * Delays every pong by {@code delay} (the service was measured at 8-30 s).
   *
   * @param delay the delay per pong
   * @return these faults
   */
  public Faults pongDelay(Duration delay) {
    this.pongDelay = Objects.requireNonNull(delay, "delay");
    return this;
  }

  /**
   * Makes every resumption handle issued so far invalid ("session not found" on use).
   *
   * @return these faults
   */
  public Faults expireHandles() {
    expireHandles.run();
    return this;
  }

  /**
   * While {@code refuse} is true, every resumption attempt is answered "session not found".
   *
   * @param refuse true to refuse, false to accept again
   * @return these faults
   */
  public Faults refuseHandles(boolean refuse) {
    this.refuseHandles = refuse;
    return this;
  }

  /**
   * Sends {@code goAway {timeLeft}} to every new connection {@code delay} after its {@code
   * setupComplete}, then closes it with 1011 "Deadline expired before operation could complete."
   * when {@code timeLeft} has run out.
   *
   * @param delay the time from setup to the message
   * @param timeLeft the time left announced in the message
   * @return these faults
   */
  public Faults goAwayAfterSetup(Duration delay, Duration timeLeft) {
    this.goAwayTimeLeft = Objects.requireNonNull(timeLeft, "timeLeft");
    this.goAwayDelay = Objects.requireNonNull(delay, "delay");
    return this;
  }

  /**
   * Answers every following {@code setup} with {@code rawFrame} instead of {@code setupComplete}
   * and leaves the connection open (e.g. {@code "{}"}: the SDK then fails its connect and leaks the
   * socket). Null restores normal answers.
   *
   * @param rawFrame the frame sent instead, or null to send the normal one again
   * @return these faults
   */
  public Faults setupCompleteReplacedBy(@Nullable String rawFrame) {
    this.setupCompleteOverride = rawFrame;
    return this;
  }

  /**
   * Removes every server-wide fault.
   *
   * @return these faults
   */
  public Faults clear() {
    upgradesToReject.set(0);
    setupsToReject.set(0);
    latency = Duration.ZERO;
    pongDelay = Duration.ZERO;
    refuseHandles = false;
    goAwayDelay = null;
    setupCompleteOverride = null;
    return this;
  }

  /**
   * Returns how many upgrades {@link #rejectUpgrades} has rejected so far.
   *
   * @return the number of rejected upgrades
   */
  public int rejectedUpgradeCount() {
    return rejectedUpgrades.get();
  }

  /** Returns the HTTP status to reject this upgrade with, or 0 to accept it. */
  int takeUpgradeRejection() {
    if (upgradesToReject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      rejectedUpgrades.incrementAndGet();
      return upgradeRejectStatus;
    }
    return 0;
  }

  boolean takeSetupRejection() {
    return setupsToReject.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
  }

  int setupRejectCode() {
    return setupRejectCode;
  }

  String setupRejectReason() {
    return setupRejectReason;
  }

  @Nullable String setupCompleteOverride() {
    return setupCompleteOverride;
  }

  Duration latency() {
    return latency;
  }

  Duration pongDelay() {
    return pongDelay;
  }

  boolean refuseHandles() {
    return refuseHandles;
  }

  @Nullable Duration goAwayDelay() {
    return goAwayDelay;
  }

  Duration goAwayTimeLeft() {
    return goAwayTimeLeft;
  }
}
