package dev.geminilive.testkit;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.genai.Client;
import com.google.genai.types.ClientOptions;
import com.google.genai.types.HttpOptions;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ReconnectPolicy;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.internal.ServerEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.tls.HandshakeCertificates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clients a {@link FakeLiveServer} hands out, each trusting only that server: OkHttp, TLS, SDK
 * options and clients, and session builders pointed at it. It keeps the SDK clients it made, to
 * close them with the server.
 *
 * <p>A part of {@link FakeLiveServer}, its only subclass, which documents these methods as its own.
 * Thread-safe: what it reads of the engine is fixed at start, and the list of SDK clients is a
 * concurrent one.
 */
abstract sealed class ServerClients permits FakeLiveServer {
  private static final Logger log = LoggerFactory.getLogger(FakeLiveServer.class);

  /** The SDK clients handed out, closed with the server. */
  private final List<Client> clients = new CopyOnWriteArrayList<>();

  /** The running server these clients reach. */
  abstract ServerEngine engine();

  /**
   * Returns an OkHttp client that trusts only this server's certificate (plain: a default client).
   * Its threads are daemon threads, released by {@link FakeLiveServer#close()}. Shared: do not pass
   * it to an SDK {@link Client} you close, since {@code Client.close()} shuts down its dispatcher;
   * use {@link #clientOptions()} for that.
   *
   * @return the client
   */
  public OkHttpClient okHttpClient() {
    return engine().okHttpClient();
  }

  /**
   * Returns an SSL socket factory trusting only this server; throws when plain.
   *
   * @return the socket factory
   */
  public SSLSocketFactory sslSocketFactory() {
    return requireTls().sslSocketFactory();
  }

  /**
   * Returns a trust manager trusting only this server's certificate; throws when plain.
   *
   * @return the trust manager
   */
  public X509TrustManager trustManager() {
    return requireTls().trustManager();
  }

  /**
   * Returns the PEM of the server's self-signed certificate; throws when plain.
   *
   * @return the certificate in PEM form
   */
  public String certificatePem() {
    requireTls();
    return Objects.requireNonNull(engine().certificate()).certificatePem();
  }

  /**
   * Returns the SDK HTTP options pointing at this server ({@code v1beta}).
   *
   * @return the HTTP options
   */
  public HttpOptions httpOptions() {
    return httpOptions("v1beta");
  }

  /**
   * Returns the SDK HTTP options pointing at this server with {@code apiVersion}.
   *
   * @param apiVersion {@code v1alpha} or {@code v1beta}
   * @return the HTTP options
   */
  public HttpOptions httpOptions(String apiVersion) {
    return HttpOptions.builder().baseUrl(engine().baseUrl()).apiVersion(apiVersion).build();
  }

  /**
   * Returns SDK client options whose OkHttp client trusts this server; each call derives a new
   * OkHttp client with its own dispatcher, so closing one SDK client cannot break another.
   *
   * @return new client options
   */
  public ClientOptions clientOptions() {
    return ClientOptions.builder()
        .customHttpClient(
            engine()
                .okHttpClient()
                .newBuilder()
                .dispatcher(new Dispatcher(ServerEngine.okHttpThreads()))
                .build())
        .build();
  }

  /**
   * Points an application's own session builder at this server, in one call: sets its base URL to
   * {@link FakeLiveServer#baseUrl()}, its HTTP client to {@link #okHttpClient()} (which trusts this
   * server's certificate) and its API key to {@link FakeLiveServer#apiKey()}, replacing any
   * credentials it had (an ephemeral token, Vertex AI, the {@code GEMINI_API_KEY} environment
   * variable). Nothing else changes: the application's model, instruction, tools, listener,
   * reconnect policy and timeouts are tested as they are.
   *
   * <pre>{@code
   * try (ResilientLiveSession session =
   *     server.configure(MyAgent.sessionBuilder()).listener(events).connect()) { ... }
   * }</pre>
   *
   * <p>{@link #sessionBuilder()} is the same for a new builder, plus quick reconnects.
   *
   * @param builder the application's builder; changed in place
   * @return {@code builder}, for chaining
   */
  public LiveSessionBuilder configure(LiveSessionBuilder builder) {
    Objects.requireNonNull(builder, "builder");
    return builder
        .apiKey(engine().config().apiKey())
        .baseUrl(engine().baseUrl())
        .httpClient(okHttpClient());
  }

  /**
   * Points a session builder at this server as a Vertex AI endpoint: like {@link
   * #configure(LiveSessionBuilder)}, with Vertex AI credentials (project {@value
   * FakeLiveServer#VERTEX_PROJECT}, location {@value FakeLiveServer#VERTEX_LOCATION}) instead of
   * the API key. The server accepts their access token on Vertex AI's path, so that what only
   * Vertex AI offers (transparent resumption) can be tested offline:
   *
   * <pre>{@code
   * server.configureVertexAi(server.sessionBuilder()).transparentResumption(true).connect();
   * }</pre>
   *
   * @param builder the application's builder; changed in place
   * @return {@code builder}, for chaining
   */
  public LiveSessionBuilder configureVertexAi(LiveSessionBuilder builder) {
    Objects.requireNonNull(builder, "builder");
    GoogleCredentials credentials =
        GoogleCredentials.create(
            new AccessToken(
                engine().config().apiKey(), Date.from(Instant.now().plus(Duration.ofDays(365)))));
    return builder
        .vertexAi(FakeLiveServer.VERTEX_PROJECT, FakeLiveServer.VERTEX_LOCATION, credentials)
        .baseUrl(engine().baseUrl())
        .httpClient(okHttpClient());
  }

  /**
   * Returns a new session builder {@linkplain #configure(LiveSessionBuilder) pointed at this
   * server}, with a 5 s connect timeout and quick reconnects (first retry after 20 ms, at most 200
   * ms apart), so that a test needs one line to connect:
   *
   * <pre>{@code
   * try (ResilientLiveSession session = server.sessionBuilder().listener(events).connect()) { ... }
   * }</pre>
   *
   * Everything can still be changed on the returned builder (model, tools, credentials...).
   *
   * @return a new session builder with this server's URL, API key and trusting HTTP client
   */
  public LiveSessionBuilder sessionBuilder() {
    return configure(ResilientLiveSession.builder())
        .connectTimeout(Duration.ofSeconds(5))
        .reconnectPolicy(
            ReconnectPolicy.exponential(Duration.ofMillis(20), 2.0, Duration.ofMillis(200))
                .withJitter(0.1));
  }

  /**
   * Returns a new SDK client ({@code v1beta}, this server's key); closed with the server.
   *
   * @return a new client; the server closes it when it stops
   */
  public Client sdkClient() {
    return sdkClient(engine().config().apiKey(), "v1beta");
  }

  /**
   * Returns a new SDK client using {@code apiKeyOrToken} (an {@code auth_tokens/...} value makes
   * the SDK use the constrained endpoint) and {@code apiVersion}; closed with the server.
   *
   * @param apiKeyOrToken the API key or an ephemeral token
   * @param apiVersion {@code v1alpha} or {@code v1beta}
   * @return a new client; the server closes it when it stops
   */
  public Client sdkClient(String apiKeyOrToken, String apiVersion) {
    Objects.requireNonNull(apiKeyOrToken, "apiKeyOrToken");
    if (engine().config().plain()) {
      throw new IllegalStateException(
          "The google-genai SDK always dials wss://: build the"
              + " server without plain(true) to use sdkClient()");
    }
    Client client =
        Client.builder()
            .apiKey(apiKeyOrToken)
            .httpOptions(httpOptions(apiVersion))
            .clientOptions(clientOptions())
            .build();
    clients.add(client);
    return client;
  }

  /** Closes every SDK client handed out; the server is stopping. */
  void closeClients() {
    for (Client c : clients) {
      try {
        c.close();
      } catch (RuntimeException e) {
        log.debug("Closing an SDK client failed: {}", e.toString());
      }
    }
  }

  private HandshakeCertificates requireTls() {
    HandshakeCertificates trust = engine().trust();
    if (trust == null) {
      throw new IllegalStateException("The server is plain (ws://): it has no certificate");
    }
    return trust;
  }
}
