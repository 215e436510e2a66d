package dev.geminilive;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How the service decides when the user starts and stops speaking (voice activity detection).
 *
 * <p>{@link #automatic()} lets the service detect speech (the default); {@link #manual()} turns it
 * off, and the application marks each user turn with {@link ResilientLiveSession#activityStart()}
 * and {@link ResilientLiveSession#activityEnd()}. Unset fields use the service's defaults.
 *
 * @param enabled whether the service detects activity itself (automatic detection)
 * @param startSensitivity how readily speech is taken to start, or null for the service default
 * @param endSensitivity how readily speech is taken to end, or null for the service default
 * @param prefixPadding speech needed before a start is committed, or null
 * @param silenceDuration silence needed before an end is committed, or null
 * @since 0.1
 */
public record ActivityDetection(
    boolean enabled,
    @Nullable Sensitivity startSensitivity,
    @Nullable Sensitivity endSensitivity,
    @Nullable Duration prefixPadding,
    @Nullable Duration silenceDuration) {

  /** Sensitivity of start- or end-of-speech detection. */
  public enum Sensitivity {
    /** Detects less often. */
    LOW,
    /** Detects more often. */
    HIGH
  }

  /**
   * Checks the arguments.
   *
   * @param enabled whether the service detects activity itself (automatic detection)
   * @param startSensitivity how readily speech is taken to start, or null for the service default
   * @param endSensitivity how readily speech is taken to end, or null for the service default
   * @param prefixPadding speech needed before a start is committed, or null
   * @param silenceDuration silence needed before an end is committed, or null
   */
  public ActivityDetection {
    requireNonNegative(prefixPadding, "prefixPadding");
    requireNonNegative(silenceDuration, "silenceDuration");
  }

  /**
   * Automatic detection with the service's defaults.
   *
   * @return automatic detection with every setting left to the service
   */
  public static ActivityDetection automatic() {
    return new ActivityDetection(true, null, null, null, null);
  }

  /**
   * No automatic detection: the application sends activity start and end.
   *
   * @return a setting with automatic detection disabled
   */
  public static ActivityDetection manual() {
    return new ActivityDetection(false, null, null, null, null);
  }

  /**
   * A copy with this start-of-speech sensitivity.
   *
   * @param s how readily speech is taken to start; not null
   * @return a new value with {@code startSensitivity} replaced; this one is unchanged
   */
  public ActivityDetection withStartSensitivity(Sensitivity s) {
    return new ActivityDetection(
        enabled, Objects.requireNonNull(s, "s"), endSensitivity, prefixPadding, silenceDuration);
  }

  /**
   * A copy with this end-of-speech sensitivity.
   *
   * @param s how readily speech is taken to end; not null
   * @return a new value with {@code endSensitivity} replaced; this one is unchanged
   */
  public ActivityDetection withEndSensitivity(Sensitivity s) {
    return new ActivityDetection(
        enabled, startSensitivity, Objects.requireNonNull(s, "s"), prefixPadding, silenceDuration);
  }

  /**
   * A copy with this prefix padding.
   *
   * @param d speech needed before a start is committed; not negative
   * @return a new value with {@code prefixPadding} replaced; this one is unchanged
   */
  public ActivityDetection withPrefixPadding(Duration d) {
    return new ActivityDetection(
        enabled, startSensitivity, endSensitivity, Objects.requireNonNull(d, "d"), silenceDuration);
  }

  /**
   * A copy with this silence duration.
   *
   * @param d silence needed before an end is committed; not negative
   * @return a new value with {@code silenceDuration} replaced; this one is unchanged
   */
  public ActivityDetection withSilenceDuration(Duration d) {
    return new ActivityDetection(
        enabled, startSensitivity, endSensitivity, prefixPadding, Objects.requireNonNull(d, "d"));
  }

  private static void requireNonNegative(@Nullable Duration d, String name) {
    if (d != null && d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + d);
    }
  }
}
