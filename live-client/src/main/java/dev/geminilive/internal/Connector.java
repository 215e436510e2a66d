package dev.geminilive.internal;

import dev.geminilive.SessionSpec;
import java.util.concurrent.CompletableFuture;

/** Opens connections to the Live service: the only seam to the network. */
public interface Connector {
  /**
   * Opens a connection, sends the setup frame and completes when {@code setupComplete} arrives.
   * Frames after {@code setupComplete} go to the handler in arrival order, with none lost. Fails
   * with a {@link dev.geminilive.LiveConnectException} (carrying the close code and reason) when
   * the service refuses, the setup is rejected or the timeout passes; the socket is then closed.
   * Cancelling the returned future abandons the connect: its socket is closed, and {@link
   * Connection.Handler#onReady} may still be called for it (the handler must then close it).
   */
  CompletableFuture<Connection> connect(ConnectRequest request, Connection.Handler handler);

  /**
   * The connector for the spec's transport: the SDK's, the JDK's on the shared client, or OkHttp's
   * with the spec's client.
   */
  static Connector forTransport(SessionSpec spec) {
    return switch (spec.transport()) {
      case SDK -> new SdkConnector(spec);
      case JDK -> JdkConnector.forSpec(spec);
      case OKHTTP ->
          new OkHttpConnector(
              spec.httpClient() != null ? spec.httpClient() : HttpClients.defaultClient(),
              spec.scheduler());
    };
  }
}
