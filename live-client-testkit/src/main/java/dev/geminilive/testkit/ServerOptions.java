package dev.geminilive.testkit;

import dev.geminilive.testkit.internal.ServerEngine;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The options of a {@link FakeLiveServer} and their setters: the part of {@link
 * FakeLiveServer.Builder}, its only subclass, that holds and checks them; the builder documents
 * these setters as its own. Not thread-safe.
 */
abstract sealed class ServerOptions permits FakeLiveServer.Builder {
  private boolean plain;
  private boolean textFrames;
  private String apiKey = FakeLiveServer.DEFAULT_API_KEY;
  private int port;
  private Duration handleTtl = FakeLiveServer.DEFAULT_HANDLE_TTL;
  private boolean sessionIdInSetupComplete = true;
  private boolean resumeConsumesTokenUse;
  private int badAuthHttpStatus;
  private Clock clock = Clock.systemUTC();
  private Set<String> models = new LinkedHashSet<>(FakeLiveServer.DEFAULT_MODELS);
  private @Nullable Script script;

  /** The builder these options belong to, returned by every setter. */
  abstract FakeLiveServer.Builder self();

  /**
   * True serves {@code ws://} without TLS; default false ({@code wss://}, self-signed).
   *
   * @param plain true for plain WebSocket
   * @return this builder
   */
  public FakeLiveServer.Builder plain(boolean plain) {
    this.plain = plain;
    return self();
  }

  /**
   * True sends server messages as text frames; default false (binary, as the service does).
   *
   * @param textFrames true for text frames
   * @return this builder
   */
  public FakeLiveServer.Builder textFrames(boolean textFrames) {
    this.textFrames = textFrames;
    return self();
  }

  /**
   * Sets the API key the server accepts (default {@value FakeLiveServer#DEFAULT_API_KEY}).
   *
   * @param apiKey the accepted key
   * @return this builder
   */
  public FakeLiveServer.Builder apiKey(String apiKey) {
    this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
    return self();
  }

  /**
   * Sets the port; 0 (the default) picks a free one.
   *
   * @param port the port, or 0 for any free one
   * @return this builder
   */
  public FakeLiveServer.Builder port(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    this.port = port;
    return self();
  }

  /**
   * Sets how long a resumption handle stays valid after it was sent (default 2 h).
   *
   * @param ttl the handle lifetime
   * @return this builder
   */
  public FakeLiveServer.Builder handleTtl(Duration ttl) {
    this.handleTtl = Objects.requireNonNull(ttl, "ttl");
    return self();
  }

  /**
   * False sends {@code setupComplete: {}} without {@code sessionId} (default true).
   *
   * @param include false to leave the session id out
   * @return this builder
   */
  public FakeLiveServer.Builder sessionIdInSetupComplete(boolean include) {
    this.sessionIdInSetupComplete = include;
    return self();
  }

  /**
   * True makes a resumption consume a use of its ephemeral token (as one forum report shows);
   * default false (as documented).
   *
   * @param consumes true if a resume uses up a token use
   * @return this builder
   */
  public FakeLiveServer.Builder resumeConsumesTokenUse(boolean consumes) {
    this.resumeConsumesTokenUse = consumes;
    return self();
  }

  /**
   * Answers bad credentials with this HTTP status on the upgrade (e.g. 401); default 0: accept the
   * upgrade and close with 1008.
   *
   * @param status the HTTP status, or 0 to accept and close with a WebSocket close code instead
   * @return this builder
   */
  public FakeLiveServer.Builder badAuthHttpStatus(int status) {
    if (status != 0 && (status < 400 || status > 599)) {
      throw new IllegalArgumentException("status must be 0 or 4xx/5xx: " + status);
    }
    this.badAuthHttpStatus = status;
    return self();
  }

  /**
   * Sets the clock for handle and token expiry (default system UTC).
   *
   * @param clock the clock
   * @return this builder
   */
  public FakeLiveServer.Builder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return self();
  }

  /**
   * Replaces the known model ids (without {@code models/}); others are refused with 1008.
   *
   * @param modelIds the model ids
   * @return this builder
   */
  public FakeLiveServer.Builder models(String... modelIds) {
    this.models = new LinkedHashSet<>(List.of(modelIds));
    return self();
  }

  /**
   * Sets the initial script (default {@link Script#echo()}).
   *
   * @param script the script
   * @return this builder
   */
  public FakeLiveServer.Builder script(Script script) {
    this.script = Objects.requireNonNull(script, "script");
    return self();
  }

  /** The initial script, or null for the default. */
  @Nullable Script script() {
    return script;
  }

  /** What the engine is started with. */
  ServerEngine.Config config() {
    return new ServerEngine.Config(
        plain,
        textFrames,
        apiKey,
        port,
        handleTtl,
        sessionIdInSetupComplete,
        resumeConsumesTokenUse,
        badAuthHttpStatus,
        clock,
        Set.copyOf(models));
  }
}
