package dev.geminilive;

/**
 * How much a model that thinks by level (such as {@code gemini-3.1-flash-live-preview}) thinks
 * before it answers. Models that think by token budget take {@link
 * LiveSessionBuilder#thinkingBudget(int)} instead.
 *
 * @since 0.1
 */
public enum ThinkingLevel {
  /** The least thinking; the lowest latency. The default of 3.1 Flash Live. */
  MINIMAL,
  /** Some thinking. */
  LOW,
  /** More thinking. */
  MEDIUM,
  /** The most thinking; the highest latency. */
  HIGH
}
