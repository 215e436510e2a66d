package dev.geminilive.internal;

import dev.geminilive.LiveConnectException;
import dev.geminilive.SessionSpec;
import java.util.concurrent.CompletableFuture;

/** The connector over the SDK's own Live session. */
final class SdkConnector implements Connector {
  SdkConnector(SessionSpec spec) {}

  @Override
  public CompletableFuture<Connection> connect(ConnectRequest request, Connection.Handler handler) {
    return CompletableFuture.failedFuture(
        new LiveConnectException("The SDK transport is not available yet", false, null));
  }
}
