package dev.geminilive.audio;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Whether an {@link AudioConversation} sends the user's audio while the agent is speaking.
 *
 * <p>{@link #full()} (the default) always sends: the user can interrupt the agent (barge-in), which
 * needs a headset or a device with echo cancellation, or the agent hears itself and interrupts
 * itself. {@link #half()} drops captured audio while the agent is speaking, for open speakers
 * without echo cancellation: the agent can then not be interrupted by voice.
 *
 * <p>The agent counts as speaking while the conversation's playback queue holds or writes audio,
 * and for an {@linkplain #echoTail() echo tail} after that (audio still in the device's buffer and
 * the room). Dropped audio is not replaced by silence and ends no audio stream: the service's
 * activity detection already ended the user's turn before the agent began to answer.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * AudioConversation conversation = AudioConversation.builder()
 *     .source(AudioSource.microphone(PcmFormat.INPUT_16K))
 *     .sink(AudioSink.speaker(PcmFormat.OUTPUT_24K))
 *     .duplex(DuplexPolicy.half(Duration.ofMillis(300)))
 *     .build();
 * }</pre>
 *
 * @since 0.1
 */
public final class DuplexPolicy {

  /**
   * Echo tail of {@link #half()}: 200 ms, the default speaker buffer ({@link
   * AudioSink#DEFAULT_SPEAKER_BUFFER}) plus room for reverberation.
   */
  public static final Duration DEFAULT_ECHO_TAIL = Duration.ofMillis(200);

  /** Longest echo tail accepted: 5 s. */
  public static final Duration MAX_ECHO_TAIL = Duration.ofSeconds(5);

  private static final DuplexPolicy FULL = new DuplexPolicy(false, Duration.ZERO);

  private final boolean half;
  private final Duration echoTail;

  private DuplexPolicy(boolean half, Duration echoTail) {
    this.half = half;
    this.echoTail = echoTail;
  }

  /**
   * Sends the user's audio at all times (the default): barge-in works.
   *
   * @return the full-duplex policy
   */
  public static DuplexPolicy full() {
    return FULL;
  }

  /**
   * Drops the user's audio while the agent speaks and for {@link #DEFAULT_ECHO_TAIL} after.
   *
   * @return a half-duplex policy with the default echo tail
   */
  public static DuplexPolicy half() {
    return half(DEFAULT_ECHO_TAIL);
  }

  /**
   * Drops the user's audio while the agent speaks and for {@code echoTail} after.
   *
   * @param echoTail how long after playback the agent still counts as speaking; from zero to {@link
   *     #MAX_ECHO_TAIL}
   * @return a half-duplex policy with this echo tail
   * @throws IllegalArgumentException if {@code echoTail} is negative or longer than {@link
   *     #MAX_ECHO_TAIL}
   */
  public static DuplexPolicy half(Duration echoTail) {
    Objects.requireNonNull(echoTail, "echoTail");
    if (echoTail.isNegative() || echoTail.compareTo(MAX_ECHO_TAIL) > 0) {
      throw new IllegalArgumentException(
          "echoTail must be in [0, " + MAX_ECHO_TAIL.toMillis() + " ms]: " + echoTail);
    }
    return new DuplexPolicy(true, echoTail);
  }

  /**
   * Whether captured audio is dropped while the agent speaks.
   *
   * @return true for half duplex, false for full
   */
  public boolean isHalf() {
    return half;
  }

  /**
   * How long after playback went idle the agent still counts as speaking; zero for full.
   *
   * @return the echo tail; {@link Duration#ZERO} for full duplex
   */
  public Duration echoTail() {
    return echoTail;
  }

  /** Compares mode and echo tail. */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof DuplexPolicy other && half == other.half && echoTail.equals(other.echoTail);
  }

  /** Hash consistent with {@link #equals(Object)}. */
  @Override
  public int hashCode() {
    return 31 * Boolean.hashCode(half) + echoTail.hashCode();
  }

  /** Returns e.g. {@code DuplexPolicy.half(200 ms)}. */
  @Override
  public String toString() {
    return half ? "DuplexPolicy.half(" + echoTail.toMillis() + " ms)" : "DuplexPolicy.full()";
  }
}
