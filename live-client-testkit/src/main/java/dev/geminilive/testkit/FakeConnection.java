package dev.geminilive.testkit;

import dev.geminilive.testkit.internal.ConnectionEngine;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One WebSocket connection to a {@link FakeLiveServer}, with its faults.
 *
 * <p>Get them from {@link FakeLiveServer#connections()} or {@link
 * FakeLiveServer#awaitConnections(int, Duration)}; index 0 is the first connection whose upgrade
 * was accepted (connections rejected with a close code after the upgrade count too). Thread-safe:
 * every method may be called from any thread. A connection is open until either side closes it or
 * the server closes.
 *
 * <pre>{@code
 * FakeConnection c = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
 * c.goAway(Duration.ofSeconds(1));      // goAway, then 1011 after one second
 * c.closeHalfOpen(1011, "Internal error encountered."); // close frame, TCP stays open
 * c.drop();                             // TCP closed without a close frame
 * }</pre>
 *
 * @since 0.1.0
 */
public final class FakeConnection {
  /** Default end-of-speech silence when the setup has no {@code silenceDurationMs}. */
  public static final Duration DEFAULT_SILENCE = Duration.ofMillis(500);

  private final ConnectionEngine engine;

  FakeConnection(ConnectionEngine engine) {
    this.engine = engine;
  }

  /**
   * Returns this connection's position in {@link FakeLiveServer#connections()}, from 0.
   *
   * @return the index, from 0
   */
  public int index() {
    return engine.index();
  }

  /**
   * Returns true until the TCP connection is closed.
   *
   * @return true while the connection is open
   */
  public boolean isOpen() {
    return engine.isOpen();
  }

  /**
   * Returns the id of the session this connection serves, once its setup succeeded.
   *
   * @return the session id, or empty before setup succeeded
   */
  public Optional<String> sessionId() {
    return engine.sessionId();
  }

  /**
   * Returns the session this connection serves, once its setup succeeded.
   *
   * @return the session, or empty before setup succeeded
   */
  public Optional<FakeSession> session() {
    return engine.session().map(s -> s.handle());
  }

  /**
   * Returns the request path of the upgrade.
   *
   * @return the path, such as {@code /ws/...BidiGenerateContent}
   */
  public String path() {
    return engine.path();
  }

  /**
   * Returns {@code v1alpha} or {@code v1beta}, from the path.
   *
   * @return the API version
   */
  public String apiVersion() {
    return engine.apiVersion();
  }

  /**
   * Returns true for the {@code BidiGenerateContentConstrained} (ephemeral token) path.
   *
   * @return true for the ephemeral token path
   */
  public boolean isConstrained() {
    return engine.isConstrained();
  }

  /**
   * Returns an upgrade request header (name case-insensitive).
   *
   * @param name the header name
   * @return the header value, or empty if absent
   */
  public Optional<String> requestHeader(String name) {
    return engine.requestHeader(name);
  }

  /**
   * Returns the close code the client sent, if it sent a close frame.
   *
   * @return the close code, or empty if the client sent no close frame
   */
  public OptionalInt clientCloseCode() {
    return engine.clientCloseCode();
  }

  /**
   * Returns the close reason the client sent (empty if none).
   *
   * @return the close reason, or an empty string
   */
  public String clientCloseReason() {
    return engine.clientCloseReason();
  }

  /**
   * Waits until the TCP connection is closed; returns false on timeout.
   *
   * @param timeout the longest to wait
   * @return true if the connection closed in time
   * @throws java.lang.InterruptedException if the thread is interrupted while waiting
   */
  public boolean awaitClosed(Duration timeout) throws InterruptedException {
    return engine.awaitClosed(timeout);
  }

  /**
   * The WebSocket pings the client has sent on this connection so far, answered or not.
   *
   * @return the pings received so far
   */
  public long pingsReceived() {
    return engine.pingsReceived();
  }

  /**
   * Waits until the client has sent at least {@code count} WebSocket pings on this connection
   * (counted as they arrive, answered or not); returns false on timeout. A test that must know a
   * client kept its connection alive for some ping intervals waits for pings rather than for time:
   * a client that fails a connection whose ping went unanswered sends no further ping on it.
   *
   * @param count the pings to wait for
   * @param timeout the longest to wait
   * @return true if that many pings arrived in time
   * @throws java.lang.InterruptedException if the thread is interrupted while waiting
   */
  public boolean awaitPings(long count, Duration timeout) throws InterruptedException {
    return engine.awaitPings(count, timeout);
  }

  /**
   * Sends a close frame with {@code code} and {@code reason}, then closes TCP when the client
   * answers or after one second, as a well-behaved server does.
   *
   * @param code the WebSocket close code
   * @param reason the close reason
   */
  public void close(int code, String reason) {
    apply(ServerEffect.close(code, reason));
  }

  /**
   * Sends a close frame with {@code code} and {@code reason} and keeps the TCP connection open (the
   * google-genai SDK never answers a close frame, so it stays half-closed and never notices).
   *
   * @param code the WebSocket close code
   * @param reason the close reason
   */
  public void closeHalfOpen(int code, String reason) {
    apply(ServerEffect.closeHalfOpen(code, reason));
  }

  /** Closes the TCP connection abruptly, without a close frame (clients see 1006 / EOF). */
  public void drop() {
    apply(ServerEffect.drop());
  }

  /** Resets the TCP connection (SO_LINGER 0, then close: the client sees "connection reset"). */
  public void reset() {
    apply(ServerEffect.reset());
  }

  /**
   * Sends TLS close_notify and closes TCP, without a WebSocket close frame; plain: {@link #drop}.
   */
  public void closeTls() {
    apply(ServerEffect.closeTls());
  }

  /** Stops reading, writing and answering pings; the TCP connection stays open. */
  public void stall() {
    apply(ServerEffect.stall());
  }

  /**
   * Sends {@code goAway {timeLeft}} now and closes with 1011 "Deadline expired before operation
   * could complete." when {@code timeLeft} has run out.
   *
   * @param timeLeft the time left announced in the message
   */
  public void goAway(Duration timeLeft) {
    apply(ServerEffect.goAway(timeLeft));
  }

  /**
   * Like {@link #goAway(Duration)}, but after {@code delay}.
   *
   * @param delay the time to wait before sending
   * @param timeLeft the time left announced in the message
   */
  public void goAwayAfter(Duration delay, Duration timeLeft) {
    engine.applyAfter(Objects.requireNonNull(delay, "delay"), ServerEffect.goAway(timeLeft));
  }

  /**
   * Delays every later server frame of this connection by {@code latency} (overrides faults).
   *
   * @param latency the delay per frame; zero for none
   */
  public void latency(Duration latency) {
    engine.latency(latency);
  }

  /**
   * Delays this connection's pongs by {@code delay} (overrides {@link Faults#pongDelay}).
   *
   * @param delay the delay per pong
   */
  public void pongDelay(Duration delay) {
    engine.pongDelay(delay);
  }

  /**
   * Returns how many text or binary frames the server has sent on this connection so far, {@code
   * setupComplete} included (pongs and the close frame are not counted). Once {@link #stall()} has
   * returned the count no longer changes, though the last frames may still be on their way: a test
   * that must know the client has read everything sent before a stall waits until the client has
   * counted as many (a session's {@code stats().framesReceived()} counts those after {@code
   * setupComplete}).
   *
   * @return the frames sent so far
   */
  public long framesSent() {
    return engine.framesSent();
  }

  /**
   * Sends {@code json} as one server frame, as is (it need not be valid JSON): for messages the
   * script cannot produce. Ordered after frames already sent.
   *
   * @param json the frame text
   */
  public void sendRaw(String json) {
    apply(ServerEffect.sendRaw(json));
  }

  /**
   * Applies {@code effect} to this connection now (a drop, a close, a stall, a goAway...); the
   * shorthand methods of this class do the same for their effect.
   *
   * @param effect what the server does to this connection
   */
  public void apply(ServerEffect effect) {
    engine.apply(effect);
  }

  @Override
  public String toString() {
    return "FakeConnection[" + index() + (isOpen() ? ", open" : ", closed") + "]";
  }
}
