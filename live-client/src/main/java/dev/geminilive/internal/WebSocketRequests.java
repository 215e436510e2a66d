package dev.geminilive.internal;

import dev.geminilive.LiveAuthException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * What the {@link OkHttpConnector} opens a WebSocket with: the client for one connection (the
 * connect's ping interval and timeout, no read timeout, no Nagle delay unless the application chose
 * its own socket factory) and the upgrade request with its headers. Stateless.
 */
final class WebSocketRequests {
  private WebSocketRequests() {}

  /**
   * {@return the client for one connection, derived from {@code base} on {@code dispatcher}}
   *
   * @param sockets the connection's own socket factory, used unless the application chose one
   */
  static OkHttpClient client(
      OkHttpClient base,
      Dispatcher dispatcher,
      ConnectRequest request,
      NoDelaySocketFactory sockets) {
    OkHttpClient.Builder builder = base.newBuilder().dispatcher(dispatcher);
    if (ownsSockets(base)) {
      builder.socketFactory(sockets);
    }
    return builder
        .pingInterval(request.pingInterval().toMillis(), TimeUnit.MILLISECONDS)
        .connectTimeout(request.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .readTimeout(0, TimeUnit.MILLISECONDS)
        .build();
  }

  /** Whether the library makes the sockets: the application did not choose a factory of its own. */
  static boolean ownsSockets(OkHttpClient base) {
    return base.socketFactory() == SocketFactory.getDefault();
  }

  /**
   * {@return the upgrade request: the connect's URL and headers}
   *
   * @throws LiveAuthException when a header value cannot be sent (a line break in a key, say); the
   *     message never shows the value
   */
  static Request upgrade(ConnectRequest request) {
    Request.Builder http = new Request.Builder().url(request.url());
    for (Map.Entry<String, String> h : request.headers().entrySet()) {
      try {
        http.header(h.getKey(), h.getValue());
      } catch (IllegalArgumentException e) {
        // OkHttp's message quotes the value, which is a key or token: never pass it on.
        throw headerRefused(h.getKey(), h.getValue());
      }
    }
    return http.build();
  }

  /**
   * {@return the error for a header whose value cannot be sent} It names the header and what is
   * wrong with the value, never the value itself (a key or token).
   */
  static LiveAuthException headerRefused(String name, String value) {
    String problem = Secrets.problem(value);
    return new LiveAuthException(
        "The "
            + name
            + " header cannot be sent"
            + (problem == null ? "" : ": its value has " + problem)
            + ". Check the API key or token for line breaks and spaces. (The value is not"
            + " shown.)",
        0,
        "",
        null);
  }
}
