package dev.geminilive.internal;

import dev.geminilive.LiveAuth;
import dev.geminilive.LiveConnectException;
import dev.geminilive.LiveException;
import dev.geminilive.SessionSpec;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * Opens one connection of a session: first the credentials, off the session's queue when finding
 * them may block (a token supplier or a Google credentials refresh may block on the network, and
 * frames, timers and {@code close()} must not wait for them; an API key is read on the queue),
 * then, on the queue, the setup frame and the connector's connect. Thread-safe; {@link #open} is
 * called on the session's queue.
 */
final class ConnectionOpener {
  /**
   * Runs token suppliers and credential refreshes: shared by all sessions, daemon threads that end
   * soon after they are idle.
   */
  private static final ExecutorService CREDENTIALS =
      HttpClients.daemonExecutor("gemini-live-credentials", Duration.ofSeconds(1));

  private final SessionContext context;
  private final Connector connector;
  private final SerialQueue queue;
  private final Connection.Handler handler;

  /**
   * Receives a connect once it has started, with the version of the spec its setup was built from.
   */
  interface Started {
    void started(CompletableFuture<Connection> connect, int setupVersion);
  }

  ConnectionOpener(
      SessionContext context, Connector connector, SerialQueue queue, Connection.Handler handler) {
    this.context = context;
    this.connector = connector;
    this.queue = queue;
    this.handler = handler;
  }

  /**
   * Opens connection {@code ordinal}.
   *
   * @param handle the handle to resume, or null for a new service session
   * @param seeded whether history will follow the setup as client content (the setup then says so
   *     on models that take client content only as initial history)
   * @param started receives the connector's own future once the connect has started (to abandon
   *     it), and the version of the spec in the setup; on the session's queue
   * @return completes with the connection once it is set up ({@link Connection.Handler#onReady} has
   *     run before), or with the failure
   */
  CompletableFuture<Connection> open(
      int ordinal, @Nullable String handle, boolean seeded, Started started) {
    // An API key needs no call that may block: it is read on the session's queue, and a connect
    // takes no thread of the credentials pool (whose threads would outlive a burst of connects).
    Executor resolver = mayBlock(context.spec().auth()) ? CREDENTIALS : queue::execute;
    return CompletableFuture.supplyAsync(this::resolveEndpoint, resolver)
        .thenComposeAsync(
            endpoint -> {
              // The spec as it is now: a context update made while the credentials were fetched
              // is in this setup.
              SessionContext.Current now = context.current();
              CompletableFuture<Connection> c =
                  connect(now.spec(), endpoint, ordinal, handle, seeded);
              started.started(c, now.version());
              return c;
            },
            queue::execute);
  }

  /**
   * Whether finding the endpoint may block on the network or on user code: a token supplier, a
   * Google credentials refresh (Vertex AI, directly or through an SDK client).
   */
  static boolean mayBlock(LiveAuth auth) {
    return auth instanceof LiveAuth.EphemeralToken
        || auth instanceof LiveAuth.VertexAi
        || (auth instanceof LiveAuth.SdkClient c && c.client().vertexAI());
  }

  /** Asks the token supplier or the credentials for this connection's endpoint; any thread. */
  private Endpoint resolveEndpoint() {
    SessionSpec spec = context.spec();
    try {
      String token = null;
      if (spec.auth() instanceof LiveAuth.EphemeralToken t) {
        token = t.tokens().get();
      }
      return Endpoint.resolve(spec, token);
    } catch (LiveException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new LiveConnectException("Could not open a connection: " + e, false, e);
    }
  }

  private CompletableFuture<Connection> connect(
      SessionSpec spec, Endpoint endpoint, int ordinal, @Nullable String handle, boolean seeded) {
    try {
      String setup =
          Frames.setup(
              endpoint.modelPath(),
              spec.toLiveConnectConfig(handle),
              endpoint.vertex(),
              seeded && !spec.profile().clientContentAnytime());
      return connector.connect(
          new ConnectRequest(
              endpoint.url(),
              endpoint.headers(),
              setup,
              spec.connectTimeout(),
              spec.pingInterval(),
              ordinal,
              queue.sessionName()),
          handler);
    } catch (LiveException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new LiveConnectException("Could not open a connection: " + e, false, e));
    }
  }
}
