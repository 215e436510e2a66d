package dev.geminilive.testkit;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.genai.Client;
import com.google.genai.types.ClientOptions;
import com.google.genai.types.HttpOptions;
import dev.geminilive.testkit.internal.ConnectionEngine;
import dev.geminilive.testkit.internal.ServerEngine;
import dev.geminilive.testkit.internal.SessionEngine;
import dev.geminilive.testkit.internal.TokenGrant;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.tls.HandshakeCertificates;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fake Gemini Live API server: a real WebSocket server on 127.0.0.1 that speaks the Live wire
 * protocol with a scripted fake model, records every client message and injects faults.
 *
 * <p><b>Getting one.</b> {@link #builder()}{@code ...build()} starts it (TLS with a certificate
 * generated at start, trusted only by the clients this server hands out). In JUnit 5 tests use
 * {@link FakeLiveServerExtension}. <b>Lifecycle.</b> Running from {@code build()} until {@link
 * #close()}, which closes every connection and every SDK client it created and returns once the
 * port is free. A port that is taken makes {@code build()} throw an {@link UncheckedIOException}
 * naming it, with nothing left running. <b>Threads.</b> All methods are thread-safe. One server
 * thread runs the protocol and the script for all connections (so scripts need not be thread-safe);
 * Netty threads do I/O. Every thread the server starts, including those of the clients it hands
 * out, is a daemon thread and is released by {@link #close()}.
 *
 * <p><b>Protocol choices</b> (where the real service is unconfirmed): a wrong or missing API key or
 * token completes the upgrade and closes with 1008 "API key not valid. Please pass a valid API
 * key." ({@link Builder#badAuthHttpStatus(int)} switches to an HTTP error); a first message other
 * than {@code setup}, a second setup, an unknown top-level key or bad JSON closes with 1007; an
 * unknown model with 1008; resumption with an unknown, expired or refused handle with 1008
 * "BidiGenerateContent session not found"; resumption while an earlier connection of the same
 * session is open with 1011 "Internal error encountered.". With {@code
 * sessionResumption.transparent} every handle update carries {@code
 * lastConsumedClientMessageIndex}: the 0-based index, counted per connection, of the last non-setup
 * client message processed (the setup is not counted; counting restarts on every connection). The
 * Java SDK always dials {@code wss://}, so {@link #sdkClient()} needs TLS (the default).
 *
 * <p><b>The fake model.</b> A conversation ({@link FakeSession}) starts with each fresh setup and
 * is carried to later connections by resumption (history cut back to what the handle saw). User
 * turns are {@code realtimeInput.text}, {@code clientContent} with {@code turnComplete: true}
 * (allowed all session long on every model, as the later 3.1 doc revision says; with {@code
 * historyConfig.initialHistoryInClientContent} the first client content up to {@code turnComplete}
 * is only stored as history), and audio turns. Audio turns end on {@code audioStreamEnd}, on {@code
 * activityEnd} (manual activity detection, where {@code audioStreamEnd} closes with 1007 and
 * automatic mode rejects {@code activityStart/End} the same way), or after {@code
 * silenceDurationMs} (default 500 ms) of samples below amplitude 500, counted in samples. Speech,
 * {@code activityStart}, text or client content during a reply interrupts it ({@code interrupted},
 * {@code turnComplete}, {@code toolCallCancellation} for open calls) unless {@code
 * activityHandling} is {@code NO_INTERRUPTION}, in which case the turn waits. Handles are sent
 * after each turn and after a tool call is answered; {@code resumable: false} when a reply starts
 * and when a tool call opens. On {@code gemini-3*} models a usage-only message precedes each reply
 * and audio, transcript and text share messages (see {@link Reply}). On {@code gemini-3.8*} models
 * the fake behaves as that generation does, by itself (docs/testing.md, "The fake on 3.8"):
 * NON_BLOCKING calls unless declared BLOCKING (the reply goes on after the {@code toolCall}, and
 * waits for the result when it has nothing left to say; a response is scheduled SILENT, WHEN_IDLE
 * or INTERRUPT), new input cancels only BLOCKING calls, {@code interactionStatus} with every {@code
 * turnComplete}, {@code waitingForInput}, interim transcripts, {@code voiceActivity}, {@code
 * contextUpdate}; what a script sends explicitly wins over the fake's own. Not modelled: video
 * understanding (frames are only recorded), context-window compression.
 *
 * <pre>{@code
 * try (FakeLiveServer server = FakeLiveServer.builder().build()) {
 *   server.script(s -> s.onText("hello").reply(r -> r.say("Hi, I'm Laura.")));
 *   Client client = server.sdkClient();
 *   client.async.live.connect("gemini-3.1-flash-live-preview", config)
 *       .thenAccept(session -> session.receive(messages::add));
 *   assertThat(server.takeClientMessage(Duration.ofSeconds(5)).kind()).isEqualTo(MessageKind.SETUP);
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class FakeLiveServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FakeLiveServer.class);

  /** The Vertex AI project of {@link #configureVertexAi}. */
  public static final String VERTEX_PROJECT = "fake-project";

  /** The Vertex AI location of {@link #configureVertexAi}. */
  public static final String VERTEX_LOCATION = "us-central1";

  /** The API key accepted unless {@link Builder#apiKey(String)} says otherwise. */
  public static final String DEFAULT_API_KEY = "test-key";

  /** How long a resumption handle stays valid unless {@link Builder#handleTtl} says otherwise. */
  public static final Duration DEFAULT_HANDLE_TTL = Duration.ofHours(2);

  /** Models the server knows unless {@link Builder#models(String...)} replaces them. */
  public static final List<String> DEFAULT_MODELS =
      List.of(
          "gemini-3.8-live",
          "gemini-3.8-live-extended-thinking",
          "gemini-3.1-flash-live-preview",
          "gemini-2.5-flash-native-audio-preview-12-2025",
          "gemini-2.5-flash-native-audio-preview-09-2025",
          "gemini-2.5-flash-native-audio-latest",
          "gemini-live-2.5-flash-preview",
          "gemini-2.0-flash-live-001");

  private final ServerEngine engine;
  private final String apiKey;
  private final boolean plain;
  private final ScriptHost host = new ScriptHost();
  private final Faults faults;
  private final List<Client> clients = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private FakeLiveServer(Builder b) {
    this.apiKey = b.apiKey;
    this.plain = b.plain;
    if (b.script != null) {
      host.script(b.script);
    }
    this.engine =
        new ServerEngine(
            new ServerEngine.Config(
                b.plain,
                b.textFrames,
                b.apiKey,
                b.port,
                b.handleTtl,
                b.sessionIdInSetupComplete,
                b.resumeConsumesTokenUse,
                b.badAuthHttpStatus,
                b.clock,
                Set.copyOf(b.models)),
            host);
    this.faults = new Faults(engine.faults(), engine::expireHandles);
    log.info("Fake Live server listening on {}", baseUrl());
  }

  /**
   * Returns a builder with the defaults: TLS, binary frames, key "test-key", any free port.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns {@code https://127.0.0.1:PORT} ({@code http://} when plain): the SDK's baseUrl.
   *
   * @return the base URL
   */
  public String baseUrl() {
    return engine.baseUrl();
  }

  /**
   * Returns the WebSocket URL of the API-key endpoint for {@code apiVersion}.
   *
   * @param apiVersion {@code v1alpha} or {@code v1beta}
   * @return the {@code wss://} (or {@code ws://}) URL
   */
  public String webSocketUrl(String apiVersion) {
    return (plain ? "ws://" : "wss://")
        + "127.0.0.1:"
        + engine.port()
        + "/ws/google.ai.generativelanguage."
        + apiVersion
        + ".GenerativeService.BidiGenerateContent";
  }

  /**
   * Returns the port the server listens on.
   *
   * @return the port
   */
  public int port() {
    return engine.port();
  }

  /**
   * Returns the API key the server accepts.
   *
   * @return the API key
   */
  public String apiKey() {
    return apiKey;
  }

  /**
   * Returns an OkHttp client that trusts only this server's certificate (plain: a default client).
   * Its threads are daemon threads, released by {@link #close()}. Shared: do not pass it to an SDK
   * {@link Client} you close, since {@code Client.close()} shuts down its dispatcher; use {@link
   * #clientOptions()} for that.
   *
   * @return the client
   */
  public OkHttpClient okHttpClient() {
    return engine.okHttpClient();
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
    return Objects.requireNonNull(engine.certificate()).certificatePem();
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
    return HttpOptions.builder().baseUrl(baseUrl()).apiVersion(apiVersion).build();
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
            engine
                .okHttpClient()
                .newBuilder()
                .dispatcher(new Dispatcher(ServerEngine.okHttpThreads()))
                .build())
        .build();
  }

  /**
   * Points an application's own session builder at this server, in one call: sets its base URL to
   * {@link #baseUrl()}, its HTTP client to {@link #okHttpClient()} (which trusts this server's
   * certificate) and its API key to {@link #apiKey()}, replacing any credentials it had (an
   * ephemeral token, Vertex AI, the {@code GEMINI_API_KEY} environment variable). Nothing else
   * changes: the application's model, instruction, tools, listener, reconnect policy and timeouts
   * are tested as they are.
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
  public dev.geminilive.LiveSessionBuilder configure(dev.geminilive.LiveSessionBuilder builder) {
    Objects.requireNonNull(builder, "builder");
    return builder.apiKey(apiKey).baseUrl(baseUrl()).httpClient(okHttpClient());
  }

  /**
   * Points a session builder at this server as a Vertex AI endpoint: like {@link
   * #configure(dev.geminilive.LiveSessionBuilder)}, with Vertex AI credentials (project {@value
   * #VERTEX_PROJECT}, location {@value #VERTEX_LOCATION}) instead of the API key. The server
   * accepts their access token on Vertex AI's path, so that what only Vertex AI offers (transparent
   * resumption) can be tested offline:
   *
   * <pre>{@code
   * server.configureVertexAi(server.sessionBuilder()).transparentResumption(true).connect();
   * }</pre>
   *
   * @param builder the application's builder; changed in place
   * @return {@code builder}, for chaining
   */
  public dev.geminilive.LiveSessionBuilder configureVertexAi(
      dev.geminilive.LiveSessionBuilder builder) {
    Objects.requireNonNull(builder, "builder");
    GoogleCredentials credentials =
        GoogleCredentials.create(
            new AccessToken(apiKey, Date.from(Instant.now().plus(Duration.ofDays(365)))));
    return builder
        .vertexAi(VERTEX_PROJECT, VERTEX_LOCATION, credentials)
        .baseUrl(baseUrl())
        .httpClient(okHttpClient());
  }

  /**
   * Returns a new session builder {@linkplain #configure(dev.geminilive.LiveSessionBuilder) pointed
   * at this server}, with a 5 s connect timeout and quick reconnects (first retry after 20 ms, at
   * most 200 ms apart), so that a test needs one line to connect:
   *
   * <pre>{@code
   * try (ResilientLiveSession session = server.sessionBuilder().listener(events).connect()) { ... }
   * }</pre>
   *
   * Everything can still be changed on the returned builder (model, tools, credentials...).
   *
   * @return a new session builder with this server's URL, API key and trusting HTTP client
   */
  public dev.geminilive.LiveSessionBuilder sessionBuilder() {
    return configure(dev.geminilive.ResilientLiveSession.builder())
        .connectTimeout(Duration.ofSeconds(5))
        .reconnectPolicy(
            dev.geminilive.ReconnectPolicy.exponential(
                    Duration.ofMillis(20), 2.0, Duration.ofMillis(200))
                .withJitter(0.1));
  }

  /**
   * Returns a new SDK client ({@code v1beta}, this server's key); closed with the server.
   *
   * @return a new client; the server closes it when it stops
   */
  public Client sdkClient() {
    return sdkClient(apiKey, "v1beta");
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
    if (plain) {
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

  /**
   * Replaces the fake model's behaviour with a fresh script configured by {@code configurer}.
   *
   * @param configurer adds the rules to the fresh script
   * @return this server
   */
  public FakeLiveServer script(Consumer<Script> configurer) {
    Script s = Script.create();
    configurer.accept(s);
    return script(s);
  }

  /**
   * Replaces the fake model's behaviour with {@code script}.
   *
   * @param script the new script
   * @return this server
   */
  public FakeLiveServer script(Script script) {
    host.script(script);
    return this;
  }

  /**
   * Returns the recorder of every client message.
   *
   * @return the recorder
   */
  public Recorder recorder() {
    return host.recorder();
  }

  /**
   * Returns the next client message not taken yet (in arrival order), waiting up to {@code
   * timeout}.
   *
   * @param timeout the longest to wait
   * @return the next message
   * @throws AssertionError if none arrives in time
   * @throws java.lang.InterruptedException if the thread is interrupted while waiting
   */
  public RecordedMessage takeClientMessage(Duration timeout) throws InterruptedException {
    RecordedMessage m = host.recorder().poll(timeout);
    if (m == null) {
      throw new AssertionError("No client message within " + timeout);
    }
    return m;
  }

  /**
   * Returns the accepted WebSocket connections, in order of opening.
   *
   * @return a snapshot of the connections
   */
  public List<FakeConnection> connections() {
    return engine.connections().stream().map(ConnectionEngine::handle).toList();
  }

  /**
   * Waits until at least {@code n} connections were accepted and returns them.
   *
   * @param n the number of connections to wait for
   * @param timeout the longest to wait
   * @return a snapshot of the connections, at least {@code n} long
   * @throws AssertionError if fewer arrive within {@code timeout}
   * @throws java.lang.InterruptedException if the thread is interrupted while waiting
   */
  public List<FakeConnection> awaitConnections(int n, Duration timeout)
      throws InterruptedException {
    return engine.awaitConnections(n, timeout).stream().map(ConnectionEngine::handle).toList();
  }

  /**
   * Returns the sessions (conversations) started so far, oldest first.
   *
   * @return a snapshot of the sessions
   */
  public List<FakeSession> sessions() {
    return engine.sessions().stream().map(SessionEngine::handle).toList();
  }

  /**
   * Returns the server-wide fault switches.
   *
   * @return the fault switches
   */
  public Faults faults() {
    return faults;
  }

  /**
   * Stops the server: closes every connection (TCP, no close frame), every SDK client it created,
   * and its threads, and returns once the port refuses connections. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (Client c : clients) {
      try {
        c.close();
      } catch (RuntimeException e) {
        log.debug("Closing an SDK client failed: {}", e.toString());
      }
    }
    engine.close();
    log.info("Fake Live server on port {} closed", engine.port());
  }

  @Override
  public String toString() {
    return "FakeLiveServer[" + baseUrl() + "]";
  }

  // ---------------------------------------------------------------- package-private

  private HandshakeCertificates requireTls() {
    HandshakeCertificates trust = engine.trust();
    if (trust == null) {
      throw new IllegalStateException("The server is plain (ws://): it has no certificate");
    }
    return trust;
  }

  Clock clock() {
    return engine.clock();
  }

  void registerToken(TokenGrant grant) {
    engine.registerToken(grant);
  }

  /**
   * Configures and starts a {@link FakeLiveServer}. Not thread-safe; {@link #build()} starts the
   * server.
   */
  public static final class Builder {
    private boolean plain;
    private boolean textFrames;
    private String apiKey = DEFAULT_API_KEY;
    private int port;
    private Duration handleTtl = DEFAULT_HANDLE_TTL;
    private boolean sessionIdInSetupComplete = true;
    private boolean resumeConsumesTokenUse;
    private int badAuthHttpStatus;
    private Clock clock = Clock.systemUTC();
    private Set<String> models = new LinkedHashSet<>(DEFAULT_MODELS);
    private @Nullable Script script;

    private Builder() {}

    /**
     * True serves {@code ws://} without TLS; default false ({@code wss://}, self-signed).
     *
     * @param plain true for plain WebSocket
     * @return this builder
     */
    public Builder plain(boolean plain) {
      this.plain = plain;
      return this;
    }

    /**
     * True sends server messages as text frames; default false (binary, as the service does).
     *
     * @param textFrames true for text frames
     * @return this builder
     */
    public Builder textFrames(boolean textFrames) {
      this.textFrames = textFrames;
      return this;
    }

    /**
     * Sets the API key the server accepts (default {@value #DEFAULT_API_KEY}).
     *
     * @param apiKey the accepted key
     * @return this builder
     */
    public Builder apiKey(String apiKey) {
      this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
      return this;
    }

    /**
     * Sets the port; 0 (the default) picks a free one.
     *
     * @param port the port, or 0 for any free one
     * @return this builder
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Sets how long a resumption handle stays valid after it was sent (default 2 h).
     *
     * @param ttl the handle lifetime
     * @return this builder
     */
    public Builder handleTtl(Duration ttl) {
      this.handleTtl = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    /**
     * False sends {@code setupComplete: {}} without {@code sessionId} (default true).
     *
     * @param include false to leave the session id out
     * @return this builder
     */
    public Builder sessionIdInSetupComplete(boolean include) {
      this.sessionIdInSetupComplete = include;
      return this;
    }

    /**
     * True makes a resumption consume a use of its ephemeral token (as one forum report shows);
     * default false (as documented).
     *
     * @param consumes true if a resume uses up a token use
     * @return this builder
     */
    public Builder resumeConsumesTokenUse(boolean consumes) {
      this.resumeConsumesTokenUse = consumes;
      return this;
    }

    /**
     * Answers bad credentials with this HTTP status on the upgrade (e.g. 401); default 0: accept
     * the upgrade and close with 1008.
     *
     * @param status the HTTP status, or 0 to accept and close with a WebSocket close code instead
     * @return this builder
     */
    public Builder badAuthHttpStatus(int status) {
      if (status != 0 && (status < 400 || status > 599)) {
        throw new IllegalArgumentException("status must be 0 or 4xx/5xx: " + status);
      }
      this.badAuthHttpStatus = status;
      return this;
    }

    /**
     * Sets the clock for handle and token expiry (default system UTC).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Replaces the known model ids (without {@code models/}); others are refused with 1008.
     *
     * @param modelIds the model ids
     * @return this builder
     */
    public Builder models(String... modelIds) {
      this.models = new LinkedHashSet<>(List.of(modelIds));
      return this;
    }

    /**
     * Sets the initial script (default {@link Script#echo()}).
     *
     * @param script the script
     * @return this builder
     */
    public Builder script(Script script) {
      this.script = Objects.requireNonNull(script, "script");
      return this;
    }

    /**
     * Starts the server on 127.0.0.1.
     *
     * @return the running server; the caller closes it
     */
    public FakeLiveServer build() {
      return new FakeLiveServer(this);
    }
  }
}
