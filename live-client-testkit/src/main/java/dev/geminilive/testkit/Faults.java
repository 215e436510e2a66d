package dev.geminilive.testkit;

import dev.geminilive.testkit.internal.FaultState;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Server-wide fault injection for a {@link FakeLiveServer}; faults of one connection are {@link
 * ServerEffect} values applied with {@link FakeConnection#apply(ServerEffect)} (or its shorthands
 * {@code drop()}, {@code reset()}, {@code close(..)}, {@code closeHalfOpen(..)}, {@code
 * closeTls()}, {@code stall()}, {@code goAway(..)}).
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
  private final FaultState state;
  private final Runnable expireHandles;

  Faults(FaultState state, Runnable expireHandles) {
    this.state = state;
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
    state.rejectUpgrades(count, httpStatus);
    return this;
  }

  /**
   * Applies {@code effect} to the next {@code count} connections when their {@code setup} arrives,
   * instead of answering {@code setupComplete}.
   *
   * @param count how many setups to affect
   * @param effect what the server does instead
   * @return these faults
   */
  public Faults onSetup(int count, ServerEffect effect) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0: " + count);
    }
    state.onSetup(count, Objects.requireNonNull(effect, "effect"));
    return this;
  }

  /**
   * Closes the next {@code count} connections with {@code code} and {@code reason} when their
   * {@code setup} arrives, without {@code setupComplete}: {@code onSetup(count,
   * ServerEffect.close(code, reason))}.
   *
   * @param count how many setups to reject
   * @param code the WebSocket close code
   * @param reason the close reason
   * @return these faults
   */
  public Faults rejectSetups(int count, int code, String reason) {
    return onSetup(count, ServerEffect.close(code, reason));
  }

  /**
   * Delays every server frame (data and close frames, not pongs) by {@code latency}.
   *
   * @param latency the delay per frame; zero for none
   * @return these faults
   */
  public Faults latency(Duration latency) {
    state.latency(Objects.requireNonNull(latency, "latency"));
    return this;
  }

  /**
   * Delays every pong by {@code delay} (the service was measured at 8-30 s).
   *
   * @param delay the delay per pong
   * @return these faults
   */
  public Faults pongDelay(Duration delay) {
    state.pongDelay(Objects.requireNonNull(delay, "delay"));
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
    state.refuseHandles(refuse);
    return this;
  }

  /**
   * Applies {@code effect} to every new connection {@code delay} after its {@code setupComplete}.
   *
   * @param delay the time from setup to the effect
   * @param effect what the server does then
   * @return these faults
   */
  public Faults afterSetup(Duration delay, ServerEffect effect) {
    state.afterSetup(
        Objects.requireNonNull(delay, "delay"), Objects.requireNonNull(effect, "effect"));
    return this;
  }

  /**
   * Sends {@code goAway {timeLeft}} to every new connection {@code delay} after its {@code
   * setupComplete}, then closes it with 1011 "Deadline expired before operation could complete."
   * when {@code timeLeft} has run out: {@code afterSetup(delay, ServerEffect.goAway(timeLeft))}.
   *
   * @param delay the time from setup to the message
   * @param timeLeft the time left announced in the message
   * @return these faults
   */
  public Faults goAwayAfterSetup(Duration delay, Duration timeLeft) {
    return afterSetup(delay, ServerEffect.goAway(timeLeft));
  }

  /**
   * Answers every following {@code setup} with {@code rawFrame} instead of {@code setupComplete}
   * and leaves the connection open (e.g. {@code "{}"}: the SDK then fails its connect and leaks the
   * socket). Null restores normal answers. Counted {@link #onSetup} effects come first.
   *
   * @param rawFrame the frame sent instead, or null to send the normal one again
   * @return these faults
   */
  public Faults setupCompleteReplacedBy(@Nullable String rawFrame) {
    state.onEverySetup(rawFrame == null ? null : ServerEffect.sendRaw(rawFrame));
    return this;
  }

  /**
   * Removes every server-wide fault.
   *
   * @return these faults
   */
  public Faults clear() {
    state.clear();
    return this;
  }

  /**
   * Returns how many upgrades {@link #rejectUpgrades} has rejected so far.
   *
   * @return the number of rejected upgrades
   */
  public int rejectedUpgradeCount() {
    return state.rejectedUpgradeCount();
  }
}
