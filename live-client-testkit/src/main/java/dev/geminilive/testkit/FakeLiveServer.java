package dev.geminilive.testkit;

import dev.geminilive.testkit.internal.ConnectionEngine;
import dev.geminilive.testkit.internal.ServerEngine;
import dev.geminilive.testkit.internal.SessionEngine;
import dev.geminilive.testkit.internal.TokenGrant;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
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
public final class FakeLiveServer extends ServerClients implements AutoCloseable {
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
  private final ScriptHost host = new ScriptHost();
  private final Faults faults;
  private final AtomicBoolean closed = new AtomicBoolean();

  private FakeLiveServer(Builder b) {
    Script script = b.script();
    if (script != null) {
      host.script(script);
    }
    this.engine = new ServerEngine(b.config(), host);
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
    return (engine.config().plain() ? "ws://" : "wss://")
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
    return engine.config().apiKey();
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
    closeClients();
    engine.close();
    log.info("Fake Live server on port {} closed", engine.port());
  }

  @Override
  public String toString() {
    return "FakeLiveServer[" + baseUrl() + "]";
  }

  // ---------------------------------------------------------------- package-private

  @Override
  ServerEngine engine() {
    return engine;
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
  public static final class Builder extends ServerOptions {
    private Builder() {}

    @Override
    Builder self() {
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
