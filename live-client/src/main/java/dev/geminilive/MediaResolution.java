package dev.geminilive;

/**
 * How many tokens each image or video frame costs the context ({@code mediaResolution}): higher
 * resolutions let the model see more detail and fill the context sooner.
 *
 * @since 0.1
 */
public enum MediaResolution {
  /** Fewest tokens per frame. */
  LOW,
  /** The middle setting. */
  MEDIUM,
  /** Most detail, most tokens per frame. */
  HIGH
}
