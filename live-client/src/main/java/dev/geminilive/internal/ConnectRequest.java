package dev.geminilive.internal;

import java.time.Duration;
import java.util.Map;

/**
 * What a connector needs to open one connection.
 *
 * @param url the WebSocket URL ({@code wss://...} or {@code ws://...})
 * @param headers handshake headers (credentials among them: never log them)
 * @param setupJson the setup frame
 * @param connectTimeout the longest the handshake and setup may take
 * @param pingInterval ping interval, zero for none
 * @param ordinal the connection's number within its session
 * @param threads the session's count of named threads: a connection holds it from its start to its
 *     socket's last callback, and names the socket's reader after the session while it reads
 */
public record ConnectRequest(
    String url,
    Map<String, String> headers,
    String setupJson,
    Duration connectTimeout,
    Duration pingInterval,
    int ordinal,
    SessionThreads threads) {
  /** Copies the headers. */
  public ConnectRequest {
    headers = Map.copyOf(headers);
  }

  /** The session's name. */
  public String sessionName() {
    return threads.sessionName();
  }

  @Override
  public String toString() {
    return "ConnectRequest[url=" + url + ", ordinal=" + ordinal + "]";
  }
}
