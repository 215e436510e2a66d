package dev.geminilive;

/**
 * Context window compression: when the context reaches {@link #triggerTokens()}, the service drops
 * the oldest turns until {@link #targetTokens()} remain (a sliding window, always cut at the start
 * of a user turn; the system instruction is never dropped). Without it, audio sessions end after
 * about 15 minutes.
 *
 * @param triggerTokens context size that triggers compression
 * @param targetTokens tokens kept after compression; below the trigger
 * @since 0.1
 */
public record ContextCompression(long triggerTokens, long targetTokens) {
  /** Default trigger: 80% of a 128k window. */
  public static final long DEFAULT_TRIGGER_TOKENS = 104_857;

  /** Default target: 40% of a 128k window. */
  public static final long DEFAULT_TARGET_TOKENS = 52_428;

  /**
   * Checks the arguments.
   *
   * @param triggerTokens context size that triggers compression
   * @param targetTokens tokens kept after compression; below the trigger
   */
  public ContextCompression {
    if (triggerTokens <= 0 || targetTokens <= 0) {
      throw new IllegalArgumentException(
          "triggerTokens and targetTokens must be positive: "
              + triggerTokens
              + ", "
              + targetTokens);
    }
    if (targetTokens >= triggerTokens) {
      throw new IllegalArgumentException(
          "targetTokens ("
              + targetTokens
              + ") must be below triggerTokens ("
              + triggerTokens
              + ")");
    }
  }

  /**
   * The defaults: trigger {@value #DEFAULT_TRIGGER_TOKENS}, target {@value #DEFAULT_TARGET_TOKENS}.
   *
   * @return the default compression settings
   */
  public static ContextCompression defaults() {
    return new ContextCompression(DEFAULT_TRIGGER_TOKENS, DEFAULT_TARGET_TOKENS);
  }
}
