package dev.geminilive.internal;

import dev.geminilive.LiveConnectException;
import dev.geminilive.LiveScheduler;
import dev.geminilive.SessionSpec;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/**
 * The non-blocking connector: {@code java.net.http.WebSocket} on a {@code java.net.http.HttpClient}
 * that all its connections share ({@link JdkClients}). Every socket is read and written by the
 * client's one selector thread and a few shared workers, so a connection owns no thread. It keeps
 * the {@link OkHttpConnector}'s contract: frames in arrival order (text and binary frames that the
 * JDK delivers in parts are put back together first), every close code and reason, sends in order
 * through a queue per socket (the JDK allows one send in flight), the same send-queue bound,
 * connect timeouts on the session's clock, a ping every ping interval, and the socket closed when
 * setup fails.
 *
 * <p>Thread-safe: stateless apart from the shared client and the scheduler.
 */
public final class JdkConnector implements Connector {
  private final HttpClient client;
  private final LiveScheduler scheduler;

  /** A connector on {@code client}, timing connects, pings and closes on {@code scheduler}. */
  public JdkConnector(HttpClient client, LiveScheduler scheduler) {
    this.client = client;
    this.scheduler = scheduler;
  }

  /**
   * The connector for {@code spec}: on the library's shared client, or, when the spec has an OkHttp
   * client of its own, on one that trusts what that client trusts (nothing else of it is used).
   */
  static JdkConnector forSpec(SessionSpec spec) {
    OkHttpClient own = spec.httpClient();
    X509TrustManager trust = own == null ? null : own.x509TrustManager();
    return new JdkConnector(
        trust == null ? JdkClients.shared() : JdkClients.trusting(trust), spec.scheduler());
  }

  @Override
  public CompletableFuture<Connection> connect(ConnectRequest request, Connection.Handler handler) {
    URI uri;
    try {
      uri = URI.create(request.url());
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(
          new LiveConnectException(
              "Connect: the URL " + request.url() + " is not valid; check the base URL.",
              false,
              e));
    }
    WebSocket.Builder builder =
        client.newWebSocketBuilder().connectTimeout(request.connectTimeout());
    for (Map.Entry<String, String> h : request.headers().entrySet()) {
      try {
        builder.header(h.getKey(), h.getValue());
      } catch (IllegalArgumentException e) {
        // The JDK's message may quote the value, which is a key or token: never pass it on.
        return CompletableFuture.failedFuture(
            WebSocketRequests.headerRefused(h.getKey(), h.getValue()));
      }
    }
    JdkConnection connection = new JdkConnection(request, handler, scheduler);
    CompletableFuture<WebSocket> building;
    try {
      building = builder.buildAsync(uri, connection);
    } catch (RuntimeException e) {
      connection.lastCallbackDone();
      return CompletableFuture.failedFuture(
          new LiveConnectException(
              "Connect to " + request.url() + " could not start: " + e.getMessage(), false, e));
    }
    building.whenComplete(
        (ws, e) -> {
          if (e == null) {
            connection.opened(ws);
          } else {
            connection.handshakeFailed(failureFor(request, unwrap(e)));
          }
        });
    connection.ready.whenComplete(
        (c, e) -> {
          if (connection.ready.isCancelled()) {
            connection.abandoned();
          }
        });
    LiveScheduler.ScheduledTask timeout =
        scheduler.schedule(
            "connect timeout of connection " + request.ordinal(),
            request.connectTimeout(),
            () -> connection.timedOut(timeout(request)));
    connection.ready.whenComplete((c, e) -> timeout.cancel());
    return connection.ready;
  }

  private static LiveConnectException timeout(ConnectRequest request) {
    return new LiveConnectException(
        "Connect timeout: no setupComplete within "
            + request.connectTimeout().toMillis()
            + " ms from "
            + request.url(),
        true,
        null);
  }

  /** What a failed opening handshake means, in the words the OkHttp path uses. */
  private static LiveConnectException failureFor(ConnectRequest request, Throwable t) {
    String context = "Connect to " + request.url();
    if (t instanceof WebSocketHandshakeException refused) {
      return CloseCodes.forHttpStatus(context, refused.getResponse().statusCode(), "");
    }
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof UnresolvedAddressException || c instanceof UnknownHostException) {
        UnknownHostException unknown = new UnknownHostException(String.valueOf(c.getMessage()));
        unknown.initCause(t);
        LiveConnectException e = CloseCodes.unresolvedHost(context, request.url(), unknown);
        if (e != null) {
          return e;
        }
      }
      if (c instanceof HttpTimeoutException) {
        return timeout(request);
      }
    }
    return CloseCodes.classify("Setup", 0, String.valueOf(t), t);
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
