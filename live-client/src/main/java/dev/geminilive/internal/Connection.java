package dev.geminilive.internal;

import org.jspecify.annotations.Nullable;

/** One physical WebSocket connection, set up and ready. Thread-safe. */
public interface Connection {
  /**
   * Hands a text frame to the socket. Ordered: frames go out in the order of the calls that
   * returned true.
   *
   * @return false when the connection can no longer send (closing, closed, failed)
   */
  boolean send(String json);

  /** Bytes handed to the socket and not yet written. */
  long queueSize();

  /** Starts a graceful close (close frame with this code and reason). */
  void close(int code, String reason);

  /** Closes the socket at once. */
  void cancel();

  /** The service's session id from {@code setupComplete}, if it sent one. */
  @Nullable String sessionId();

  /** A number that identifies this connection within its session, from 1. */
  int ordinal();

  /** Receives what happens on a connection after setup; called on the socket's thread. */
  interface Handler {
    /**
     * The connection is set up ({@code setupComplete} arrived). Called on the socket's thread
     * before any later frame of this connection is passed on.
     */
    void onReady(Connection connection);

    /** A frame arrived (already decoded to text). Must not block. */
    void onMessage(Connection connection, String json);

    /**
     * The connection ended; called exactly once per connection.
     *
     * @param code the close code the service sent, or 0 when none arrived (a drop, a failure)
     * @param reason the close reason, or a description of the failure
     * @param failure the transport failure, if any
     */
    void onClosed(Connection connection, int code, String reason, @Nullable Throwable failure);
  }
}
