package dev.geminilive.examples.tokenserver;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.geminilive.LiveException;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionSpec;
import dev.geminilive.examples.ExampleCommandLine;
import dev.geminilive.examples.PortOption;
import dev.geminilive.tokens.EphemeralToken;
import dev.geminilive.tokens.EphemeralTokenService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The backend half of the browser-direct architecture: {@code POST /api/live/token} answers {@code
 * {"accessToken": ..., "model": ..., "expiresAt": ...}} with an ephemeral token minted by {@link
 * EphemeralTokenService}, locked to a {@link SessionSpec} designed here on the server (persona,
 * voice, rules, tool declarations). The browser connects to the Live API with the token and can
 * open exactly that session: whatever setup it sends, the locked fields are the server's.
 *
 * <p>Each request is authenticated by the app's {@link Authenticator} (401 without a user), limited
 * per user ({@link Builder#rateLimit}, 429 with {@code Retry-After} beyond it), answered with
 * {@code Cache-Control: no-store} (a token must never sit in a cache), and logged with the user and
 * the token's expiry but never the token itself. Minting failures answer 502 without details. Runs
 * on the JDK's {@link HttpServer} on 127.0.0.1 (put it behind the app's HTTPS reverse proxy), with
 * a small pool of request threads because each mint is one blocking HTTPS call.
 *
 * <p>Deliberately not done: CORS (serve the page and the route from one origin), TLS (the proxy's
 * job), and request bodies (the session is the server's design, not the browser's request).
 *
 * <pre>{@code
 * try (TokenServer server = TokenServer.builder()
 *         .tokens(EphemeralTokenService.builder().apiKey(apiKey).build())
 *         .spec(TokenServer.supportAgent(apiKey))
 *         .authenticator(headers -> users.fromSessionCookie(headers.getFirst("Cookie")))
 *         .rateLimit(5, Duration.ofMinutes(1))
 *         .port(8080)
 *         .start()) {
 *   awaitShutdown();
 * }
 * }</pre>
 *
 * <p>Run {@link #main} without {@code GEMINI_API_KEY} for an offline demonstration against the
 * testkit's fake token endpoint and fake Live server ({@link TokenServerDemo}); with the key it
 * serves on port 8080 (or {@code --port=N}; {@code --help} lists the options) until Enter is
 * pressed.
 *
 * <p>Thread-safe; {@link #close()} stops accepting requests and waits up to one second for those in
 * progress.
 */
public final class TokenServer implements AutoCloseable {
  /** The route. */
  public static final String PATH = "/api/live/token";

  /** Tokens one user may mint per {@link #DEFAULT_RATE_WINDOW} unless told otherwise. */
  public static final int DEFAULT_TOKENS_PER_WINDOW = 5;

  /** The window of the default rate limit. */
  public static final Duration DEFAULT_RATE_WINDOW = Duration.ofMinutes(1);

  /** Request threads (each mint blocks on one HTTPS call). */
  static final int REQUEST_THREADS = 4;

  private static final Logger log = LoggerFactory.getLogger(TokenServer.class);

  private final EphemeralTokenService tokens;
  private final SessionSpec spec;
  private final Authenticator authenticator;
  private final RateLimiter limiter;
  private final HttpServer server;
  private final ExecutorService requests;

  private TokenServer(Builder b, HttpServer server) {
    this.tokens = Objects.requireNonNull(b.tokens);
    this.spec = Objects.requireNonNull(b.spec);
    this.authenticator = b.authenticator;
    this.limiter = new RateLimiter(b.tokensPerWindow, b.window, b.clock);
    this.server = server;
    AtomicInteger n = new AtomicInteger();
    this.requests =
        Executors.newFixedThreadPool(
            REQUEST_THREADS,
            r -> {
              Thread t = new Thread(r, "token-server-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(requests);
    server.createContext(PATH, this::handle);
    server.start();
    log.info("Token server listening on {} ({}, model {})", uri(), limiter, spec.model());
  }

  /** Returns a builder; tokens and spec are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The port the server listens on (useful with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The route's address, e.g. {@code http://127.0.0.1:8080/api/live/token}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + port() + PATH);
  }

  /** The session every token is locked to. */
  public SessionSpec spec() {
    return spec;
  }

  /** Stops the server; idempotent. */
  @Override
  public void close() {
    server.stop(1);
    requests.shutdown();
    try {
      requests.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The port TokenServer listens on with {@code GEMINI_API_KEY} unless {@code --port} says
   * otherwise.
   */
  static final int DEFAULT_PORT = 8080;

  /** The command line. */
  @Command(
      name = "TokenServer",
      mixinStandardHelpOptions = true,
      versionProvider = ExampleCommandLine.Version.class,
      description = {
        "Serves POST /api/live/token, minting ephemeral tokens locked to the server's"
            + " session design."
            + " Without GEMINI_API_KEY: an offline demonstration against the testkit's fakes."
            + " With it: serves until Enter is pressed."
      },
      footer = {
        "",
        "With GEMINI_API_KEY it listens on port 8080 unless --port says otherwise.",
        "Exit codes: 0 done, 1 it could not run (a taken port), 2 a bad command line."
      })
  static final class Options {
    @Mixin private final PortOption port = new PortOption();

    Optional<Integer> port() {
      return port.port();
    }
  }

  /**
   * Runs the example; see the class documentation. Returns normally when it went well (every thread
   * it starts is a daemon or ends with it); exits with the code otherwise.
   */
  public static void main(String[] args) throws InterruptedException {
    int code =
        run(args, System.getenv(LiveSessionBuilder.API_KEY_ENV), System.in, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  static int run(
      String[] args, @Nullable String apiKey, InputStream in, PrintStream out, PrintStream err)
      throws InterruptedException {
    Options options = new Options();
    OptionalInt exit = ExampleCommandLine.parse(options, args, out, err);
    if (exit.isPresent()) {
      return exit.getAsInt();
    }
    try {
      if (apiKey == null || apiKey.isBlank()) {
        return TokenServerDemo.run(out, options.port().orElse(0));
      }
      return serve(apiKey, options, in, out, err);
    } catch (UncheckedIOException e) { // the port is taken
      err.println("TokenServer: " + e.getMessage());
      return 1;
    }
  }

  private static int serve(
      String apiKey, Options options, InputStream in, PrintStream out, PrintStream err) {
    try (TokenServer server =
        TokenServer.builder()
            .tokens(EphemeralTokenService.builder().apiKey(apiKey).build())
            .spec(supportAgent(apiKey))
            .authenticator(Authenticator.bearerSecrets(java.util.Map.of("demo-secret", "demo")))
            .port(options.port().orElse(DEFAULT_PORT))
            .start()) {
      out.println("Token server on " + server.uri() + " (demo login: Bearer demo-secret)");
      out.println("Try: curl -i -X POST -H 'Authorization: Bearer demo-secret' " + server.uri());
      out.println("Press Enter to stop.");
      in.read();
    } catch (IOException e) {
      err.println("TokenServer: could not read stdin: " + e.getMessage());
      return 1;
    }
    return 0;
  }

  /**
   * The session the tokens open, designed on the server: a support agent with its persona, voice,
   * rules and the declaration of a tool the browser implements.
   *
   * @param apiKey the key the spec is built with; only the spec's model and setup are used
   */
  public static SessionSpec supportAgent(String apiKey) {
    // snippet:token-server-spec
    return ResilientLiveSession.builder()
        .apiKey(apiKey) // never leaves the server: mint() uses only the model and the setup
        .voice("Kore")
        .language("en-US")
        .temperature(0.6)
        .persona(
            "You are Sam, the voice of Acme Outdoor's order desk. You help customers who call"
                + " about an order they placed: where it is, when it arrives, and what to do if"
                + " something is wrong with it. You are calm, brief and precise, you never guess"
                + " a date you have not looked up, and you speak in short sentences that are easy"
                + " to follow on a phone or a laptop speaker.")
        .rule("Greet the customer and ask for their order number.")
        .rule("Call `lookup_order` with the number, then tell them the status in one sentence.")
        .guardrail("Never promise refunds; offer to open a ticket instead.")
        .tools(OrderTools.LOOKUP_ORDER) // declared here, executed in the browser
        .build();
    // end:token-server-spec
  }

  // ---- the route ----

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      try {
        respond(exchange);
      } catch (RuntimeException e) { // a bug, e.g. in the Authenticator: answer, then report it
        log.error("Token request failed unexpectedly", e);
        send(exchange, 500, "{\"error\":\"internal\"}");
      }
    }
  }

  /** Answers one request; every path ends in exactly one {@link #send}. */
  private void respond(HttpExchange exchange) throws IOException {
    Headers response = exchange.getResponseHeaders();
    response.set("Cache-Control", "no-store");
    if (!exchange.getRequestURI().getPath().equals(PATH)) {
      send(exchange, 404, "{\"error\":\"not_found\"}");
      return;
    }
    if (!exchange.getRequestMethod().equals("POST")) {
      response.set("Allow", "POST");
      send(exchange, 405, "{\"error\":\"method_not_allowed\"}");
      return;
    }
    exchange.getRequestBody().readAllBytes(); // not used: the session is the server's design
    Optional<String> user = authenticate(exchange.getRequestHeaders());
    if (user.isEmpty()) {
      response.set("WWW-Authenticate", "Bearer");
      send(exchange, 401, "{\"error\":\"unauthenticated\"}");
      return;
    }
    Optional<Duration> wait = limiter.tryAcquire(user.get());
    if (wait.isPresent()) {
      long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
      response.set("Retry-After", Long.toString(seconds));
      log.warn("Rate limit: user {} asked for too many tokens; retry in {} s", user.get(), seconds);
      send(exchange, 429, "{\"error\":\"rate_limited\",\"retryAfterSeconds\":" + seconds + "}");
      return;
    }
    EphemeralToken token;
    try {
      token = tokens.mint(spec);
    } catch (LiveException e) {
      // The message names no secret (the library guarantees it); the client learns nothing.
      log.warn("Minting a token for user {} failed: {}", user.get(), e.getMessage());
      send(exchange, 502, "{\"error\":\"token_service_unavailable\"}");
      return;
    }
    // Never the token itself: EphemeralToken.toString() redacts it, and we log only fields.
    log.info(
        "Minted a token for user {}: model {}, {} use(s), expires {}",
        user.get(),
        token.model(),
        token.uses(),
        token.expiresAt());
    send(exchange, 200, token.toJson());
  }

  private Optional<String> authenticate(Headers headers) {
    Optional<String> user = authenticator.authenticate(headers);
    return user.filter(u -> !u.isBlank());
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /**
   * Builds and starts a {@link TokenServer}. Get one with {@link TokenServer#builder()}; not
   * thread-safe.
   */
  public static final class Builder {
    private @Nullable EphemeralTokenService tokens;
    private @Nullable SessionSpec spec;
    private Authenticator authenticator = Authenticator.denyAll();
    private int tokensPerWindow = DEFAULT_TOKENS_PER_WINDOW;
    private Duration window = DEFAULT_RATE_WINDOW;
    private Clock clock = Clock.systemUTC();
    private int port = 0;

    private Builder() {}

    /** Mints the tokens (required); it holds the long-lived API key. */
    public Builder tokens(EphemeralTokenService tokens) {
      this.tokens = Objects.requireNonNull(tokens, "tokens");
      return this;
    }

    /** The session every token is locked to (required). */
    public Builder spec(SessionSpec spec) {
      this.spec = Objects.requireNonNull(spec, "spec");
      return this;
    }

    /** Who is asking; default {@link Authenticator#denyAll()} (every request gets 401). */
    public Builder authenticator(Authenticator authenticator) {
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
      return this;
    }

    /**
     * At most {@code tokens} per user in any {@code window}; default {@value
     * #DEFAULT_TOKENS_PER_WINDOW} per minute.
     */
    public Builder rateLimit(int tokens, Duration window) {
      if (tokens < 1) {
        throw new IllegalArgumentException("tokens must be at least 1: " + tokens);
      }
      Objects.requireNonNull(window, "window");
      if (window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("window must be positive: " + window);
      }
      this.tokensPerWindow = tokens;
      this.window = window;
      return this;
    }

    /** The clock of the rate limit (tests fix it). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The port on 127.0.0.1; default 0 (any free port, see {@link TokenServer#port()}). */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be in [0, 65535]: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Binds and starts the server.
     *
     * @throws IllegalStateException if tokens or spec is missing
     * @throws UncheckedIOException if the port cannot be bound
     */
    public TokenServer start() {
      if (tokens == null || spec == null) {
        throw new IllegalStateException(
            "TokenServer needs "
                + (tokens == null ? "tokens(EphemeralTokenService)" : "spec(SessionSpec)")
                + " before start()");
      }
      try {
        HttpServer server =
            HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        return new TokenServer(this, server);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "The token server cannot listen on 127.0.0.1:"
                + port
                + " ("
                + e.getMessage()
                + "). Choose another port, or 0 for any free one.",
            e);
      }
    }
  }
}
