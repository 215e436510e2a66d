package dev.geminilive.internal;

import dev.geminilive.LiveAuthException;
import dev.geminilive.LiveConnectException;
import dev.geminilive.LiveException;
import dev.geminilive.ReconnectPolicy;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Decides when a session reconnects and when it gives up, and nothing else: it opens no connection,
 * keeps no timer and reads no clock. Its inputs are the policy, the times the session reads from
 * its scheduler and a random source for the jitter, so every decision can be tested by computing it
 * (resilience4j's {@code IntervalFunction} is the model).
 *
 * <p>Terms: an <em>outage</em> begins when a connection that was set up ends, and ends when the
 * next connection is set up. Attempts count the connects tried in the current outage (from 1). The
 * backoff position carries over from one outage to the next until a connection has stayed up for
 * the policy's stable period, so a service that accepts every connection and drops it again is
 * redialled ever more slowly. The first attempt after the drop of a healthy connection (one that
 * had stayed up for the stable period) has no delay, as has a planned move's first attempt; neither
 * advances the backoff, so a second attempt waits the policy's first delay. Reconnects count the
 * connections set up after the first, planned moves included, against {@link
 * ReconnectPolicy#maxReconnects()}.
 *
 * <p>Not thread-safe: owned by the session's queue.
 */
final class ReconnectController {
  /**
   * Resumes refused in a row before the session gives up its handle and opens a fresh session
   * seeded with the conversation: at least this many, and at least half the policy's attempts.
   */
  static final int MIN_REFUSED_RESUMES = 2;

  /** What to do next. */
  sealed interface Decision {
    /** Try attempt {@code attempt} of this outage after {@code delay}. */
    record Retry(int attempt, Duration delay) implements Decision {}

    /** Stop: the session fails with this message. */
    record GiveUp(String message) implements Decision {}
  }

  /** What a failed attempt means for the next one. */
  enum AfterFailure {
    /** Retry with backoff. */
    RETRY,
    /** The handle is gone (refused or expired): retry at once as a fresh, seeded session. */
    FRESH_SESSION,
    /** The failure cannot heal: the session fails with it. */
    FAIL
  }

  private final ReconnectPolicy policy;
  private final DoubleSupplier random;
  // All owned by the session's queue.
  private int attempt;
  private int backoffStep;
  private int resumesRefused;
  private boolean rebuiltAfterInvalidResume;
  private long outageStartNanos;
  private long connectedAtNanos;
  // Whether the outage began with the drop of a connection that had stayed up the stable period.
  private boolean healthyDrop;
  private int reconnects;

  ReconnectController(ReconnectPolicy policy, DoubleSupplier random) {
    this.policy = policy;
    this.random = random;
  }

  /** A connection was set up at {@code now}: the outage (if any) is over. */
  void connected(long now, boolean first) {
    if (!first) {
      reconnects++;
    }
    attempt = 0;
    resumesRefused = 0;
    rebuiltAfterInvalidResume = false;
    connectedAtNanos = now;
  }

  /**
   * The connection set up last ended at {@code now}: a new outage begins. Only if that connection
   * had stayed up for the stable period does the backoff start again, with a first attempt at once.
   */
  void outageBegins(long now) {
    healthyDrop = now - connectedAtNanos >= policy.stablePeriod().toNanos();
    if (healthyDrop) {
      backoffStep = 0;
    }
    attempt = 0;
    outageStartNanos = now;
  }

  /**
   * The next attempt of the outage, or the end of the session.
   *
   * @param cause what ended the last connection or attempt, for the message
   * @param planned whether a planned move or a fresh session asks for it (its first attempt goes at
   *     once, as does the first after the drop of a healthy connection)
   * @param now the current time
   */
  Decision next(String cause, boolean planned, long now) {
    attempt++;
    boolean immediate = (planned || healthyDrop) && attempt == 1;
    if (immediate) {
      outageStartNanos = now;
    }
    long elapsed = now - outageStartNanos;
    if (!policy.enabled()
        || attempt > policy.maxAttempts()
        || reconnects >= policy.maxReconnects()
        || (attempt > 1 && elapsed > policy.maxOutage().toNanos())) {
      return new Decision.GiveUp(
          "Gave up reconnecting after "
              + (attempt - 1)
              + " attempt(s) and "
              + reconnects
              + " reconnect(s) in this session; last problem: "
              + cause
              + ". ("
              + policy
              + ")");
    }
    Duration delay = immediate ? Duration.ZERO : policy.delay(++backoffStep, random);
    return new Decision.Retry(attempt, delay);
  }

  /**
   * Whether the next attempt should give up the handle: the service kept refusing the resume (it
   * may still hold the old socket), and a fresh session seeded with the conversation is better than
   * failing the call. Counted apart from attempts, which also carry outages that healed at once.
   */
  boolean shouldAbandonHandle() {
    return resumesRefused >= Math.max(MIN_REFUSED_RESUMES, policy.maxAttempts() / 2);
  }

  /**
   * An attempt failed with {@code failure}.
   *
   * @param resuming whether it tried to resume with a handle
   * @param renewableTokens whether a spent token can be replaced by the session's token supplier
   */
  AfterFailure attemptFailed(LiveException failure, boolean resuming, boolean renewableTokens) {
    if (resuming) {
      resumesRefused++;
    }
    if (!(failure instanceof LiveConnectException lce)) {
      return AfterFailure.FAIL;
    }
    if (CloseCodes.isHandleRefused(lce.closeCode(), lce.closeReason())) {
      return AfterFailure.FRESH_SESSION;
    }
    if (resuming && lce.closeCode() == 1007 && !rebuiltAfterInvalidResume) {
      // The spec was accepted when the session opened, so "invalid argument" is about the resume
      // (seen after the service ended a long session). Once per outage: a fresh session refused
      // the same way fails the session.
      rebuiltAfterInvalidResume = true;
      return AfterFailure.FRESH_SESSION;
    }
    boolean renewable =
        CloseCodes.isTokenSpent(lce.closeCode(), lce.closeReason()) && renewableTokens;
    return lce.isRetryable() || renewable ? AfterFailure.RETRY : AfterFailure.FAIL;
  }

  /** Connections set up after the first. */
  int reconnects() {
    return reconnects;
  }

  /** The failure of the first connect, which is never retried, as the caller gets it. */
  static LiveException firstConnectFailed(LiveException ex) {
    String message = "The first connection failed (not retried): " + ex.getMessage();
    if (ex instanceof LiveAuthException lae) {
      return new LiveAuthException(message, lae.closeCode(), lae.closeReason(), ex);
    }
    if (ex instanceof LiveConnectException lce) {
      return new LiveConnectException(message, lce.closeCode(), lce.closeReason(), false, ex);
    }
    return ex;
  }
}
