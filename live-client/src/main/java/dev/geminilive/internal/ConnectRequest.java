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
 * @param sessionName the session's name, which names the socket's reader thread while it reads
 */
public record ConnectRequest(
    String url,
    Map<String, String> headers,
    String setupJson,
    Duration connectTimeout,
    Duration pingInterval,
    int ordinal,
    String sessionName) {
  /** Copies the headers. */
  public ConnectRequest {
    headers = Map.copyOf(headers);
  }

  @Override
  public String toString() {
    return "ConnectRequest[url=" + url + ", ordinal=" + ordinal + "]";
  }
}
