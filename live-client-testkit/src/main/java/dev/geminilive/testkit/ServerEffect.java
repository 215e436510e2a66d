package dev.geminilive.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * An adverse action the fake server takes on a connection: a value, applied in one place.
 *
 * <p>Apply one to a connection now with {@link FakeConnection#apply(ServerEffect)}, or have the
 * server apply it to later connections with {@link Faults#onSetup(int, ServerEffect)} (instead of
 * {@code setupComplete}) and {@link Faults#afterSetup(Duration, ServerEffect)}. The shorthand
 * methods of {@link FakeConnection} ({@code drop()}, {@code goAway(..)}...) and {@link Faults}
 * ({@code rejectSetups(..)}, {@code goAwayAfterSetup(..)}...) build these values. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * connection.apply(ServerEffect.closeHalfOpen(1011, "Internal error encountered."));
 * server.faults().afterSetup(Duration.ofSeconds(2), ServerEffect.goAway(Duration.ofSeconds(1)));
 * }</pre>
 *
 * @since 0.1.0
 */
public sealed interface ServerEffect {

  /**
   * A close frame with {@code code} and {@code reason}; TCP closes when the client answers or after
   * one second, as a well-behaved server does.
   *
   * @param code the WebSocket close code
   * @param reason the close reason
   */
  record Close(int code, String reason) implements ServerEffect {
    /**
     * Checks the reason.
     *
     * @param code the WebSocket close code
     * @param reason the close reason
     */
    public Close {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * A close frame with {@code code} and {@code reason}, and the TCP connection kept open (the
   * google-genai SDK never answers a close frame, so it stays half-closed and never notices).
   *
   * @param code the WebSocket close code
   * @param reason the close reason
   */
  record CloseHalfOpen(int code, String reason) implements ServerEffect {
    /**
     * Checks the reason.
     *
     * @param code the WebSocket close code
     * @param reason the close reason
     */
    public CloseHalfOpen {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** TCP closed without a close frame (clients see 1006 / EOF). */
  record Drop() implements ServerEffect {}

  /** TCP reset (SO_LINGER 0, then close: the client sees "connection reset"). */
  record Reset() implements ServerEffect {}

  /** TLS close_notify and TCP close, without a WebSocket close frame; plain servers: a drop. */
  record CloseTls() implements ServerEffect {}

  /** No more reading, writing or answering pings; the TCP connection stays open. */
  record Stall() implements ServerEffect {}

  /**
   * {@code goAway {timeLeft}}, then a 1011 close "Deadline expired before operation could
   * complete." when {@code timeLeft} has run out.
   *
   * @param timeLeft the time left announced in the message
   */
  record GoAway(Duration timeLeft) implements ServerEffect {
    /**
     * Checks the time left.
     *
     * @param timeLeft the time left announced in the message
     */
    public GoAway {
      Objects.requireNonNull(timeLeft, "timeLeft");
    }
  }

  /**
   * One server frame sent as it is (it need not be valid JSON), ordered after the frames already
   * sent; on setup, sent instead of {@code setupComplete} and the connection left open.
   *
   * @param frame the frame text
   */
  record SendRaw(String frame) implements ServerEffect {
    /**
     * Checks the frame.
     *
     * @param frame the frame text
     */
    public SendRaw {
      Objects.requireNonNull(frame, "frame");
    }
  }

  /**
   * Returns a {@link Close}.
   *
   * @param code the WebSocket close code
   * @param reason the close reason
   * @return the effect
   */
  static ServerEffect close(int code, String reason) {
    return new Close(code, reason);
  }

  /**
   * Returns a {@link CloseHalfOpen}.
   *
   * @param code the WebSocket close code
   * @param reason the close reason
   * @return the effect
   */
  static ServerEffect closeHalfOpen(int code, String reason) {
    return new CloseHalfOpen(code, reason);
  }

  /**
   * Returns a {@link Drop}.
   *
   * @return the effect
   */
  static ServerEffect drop() {
    return new Drop();
  }

  /**
   * Returns a {@link Reset}.
   *
   * @return the effect
   */
  static ServerEffect reset() {
    return new Reset();
  }

  /**
   * Returns a {@link CloseTls}.
   *
   * @return the effect
   */
  static ServerEffect closeTls() {
    return new CloseTls();
  }

  /**
   * Returns a {@link Stall}.
   *
   * @return the effect
   */
  static ServerEffect stall() {
    return new Stall();
  }

  /**
   * Returns a {@link GoAway}.
   *
   * @param timeLeft the time left announced in the message
   * @return the effect
   */
  static ServerEffect goAway(Duration timeLeft) {
    return new GoAway(timeLeft);
  }

  /**
   * Returns a {@link SendRaw}.
   *
   * @param frame the frame text
   * @return the effect
   */
  static ServerEffect sendRaw(String frame) {
    return new SendRaw(frame);
  }
}
