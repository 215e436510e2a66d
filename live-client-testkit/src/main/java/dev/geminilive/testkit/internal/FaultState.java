package dev.geminilive.testkit.internal;

import dev.geminilive.testkit.ServerEffect;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The server-wide faults in force, as the public {@code Faults} sets them and the engine reads
 * them. Thread-safe: set from any thread, read by the server and Netty threads.
 */
public final class FaultState {
  private final AtomicInteger upgradesToReject = new AtomicInteger();
  private volatile int upgradeRejectStatus = 429;
  private final AtomicInteger rejectedUpgrades = new AtomicInteger();
  private final AtomicInteger setupsToAffect = new AtomicInteger();
  private volatile @Nullable ServerEffect countedSetupEffect;
  private volatile @Nullable ServerEffect everySetupEffect;
  private volatile Duration latency = Duration.ZERO;
  private volatile Duration pongDelay = Duration.ZERO;
  private volatile boolean refuseHandles;
  private volatile @Nullable Duration afterSetupDelay;
  private volatile @Nullable ServerEffect afterSetupEffect;

  /** Rejects the next {@code count} upgrades with {@code httpStatus}. */
  public void rejectUpgrades(int count, int httpStatus) {
    upgradeRejectStatus = httpStatus;
    upgradesToReject.set(count);
  }

  /** Applies {@code effect} instead of {@code setupComplete} to the next {@code count} setups. */
  public void onSetup(int count, ServerEffect effect) {
    countedSetupEffect = effect;
    setupsToAffect.set(count);
  }

  /** Applies {@code effect} instead of {@code setupComplete} to every later setup; null: none. */
  public void onEverySetup(@Nullable ServerEffect effect) {
    everySetupEffect = effect;
  }

  /** Applies {@code effect} to every new connection {@code delay} after its setupComplete. */
  public void afterSetup(Duration delay, ServerEffect effect) {
    afterSetupEffect = effect;
    afterSetupDelay = delay;
  }

  public void latency(Duration latency) {
    this.latency = latency;
  }

  public void pongDelay(Duration pongDelay) {
    this.pongDelay = pongDelay;
  }

  public void refuseHandles(boolean refuse) {
    this.refuseHandles = refuse;
  }

  /** Removes every fault. */
  public void clear() {
    upgradesToReject.set(0);
    setupsToAffect.set(0);
    countedSetupEffect = null;
    everySetupEffect = null;
    latency = Duration.ZERO;
    pongDelay = Duration.ZERO;
    refuseHandles = false;
    afterSetupDelay = null;
    afterSetupEffect = null;
  }

  public int rejectedUpgradeCount() {
    return rejectedUpgrades.get();
  }

  /** Returns the HTTP status to reject this upgrade with, or 0 to accept it. */
  public int takeUpgradeRejection() {
    if (upgradesToReject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      rejectedUpgrades.incrementAndGet();
      return upgradeRejectStatus;
    }
    return 0;
  }

  /** Returns the effect to apply instead of this setup's {@code setupComplete}, if any. */
  public @Nullable ServerEffect takeSetupEffect() {
    ServerEffect counted = countedSetupEffect;
    if (counted != null && setupsToAffect.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return counted;
    }
    return everySetupEffect;
  }

  public Duration latency() {
    return latency;
  }

  public Duration pongDelay() {
    return pongDelay;
  }

  public boolean refuseHandles() {
    return refuseHandles;
  }

  public @Nullable Duration afterSetupDelay() {
    return afterSetupDelay;
  }

  public @Nullable ServerEffect afterSetupEffect() {
    return afterSetupEffect;
  }
}
