package dev.geminilive;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.genai.Client;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;

/**
 * The settings of {@link LiveSessionBuilder} that say where and as whom a session connects: the
 * model, the endpoint, the HTTP client and transport, and the credentials.
 *
 * <p>A part of {@link LiveSessionBuilder}, its only public subclass, which documents these methods
 * as its own: every setter here checks its own argument and returns that builder. Not thread-safe.
 */
abstract sealed class ConnectionSetters permits GenerationSetters {
  /** Everything given so far, as given; the builder owns it. */
  final SessionSettings s;

  ConnectionSetters(SessionSettings settings) {
    this.s = settings;
  }

  /** The builder this part belongs to, returned by every setter. */
  abstract LiveSessionBuilder self();

  /**
   * The model id, such as {@code gemini-3.8-live} ({@code models/} is optional).
   *
   * @param model the model id, with or without the {@code models/} prefix
   * @return this builder
   */
  public LiveSessionBuilder model(String model) {
    String m = LiveAuth.requireText(model, "model");
    s.model = m.startsWith("models/") ? m.substring("models/".length()) : m;
    return self();
  }

  /**
   * Overrides the model's profile (for models the library does not know yet).
   *
   * @param profile the capabilities to assume for the model
   * @return this builder
   */
  public LiveSessionBuilder modelProfile(ModelProfile profile) {
    s.profile = Objects.requireNonNull(profile, "profile");
    return self();
  }

  /**
   * The service's base URL, such as a gateway, a regional endpoint or a test server.
   *
   * @param baseUrl the base URL, such as {@code wss://example.test}; the API path is appended
   * @return this builder
   */
  public LiveSessionBuilder baseUrl(String baseUrl) {
    String url = LiveAuth.requireText(baseUrl, "baseUrl");
    if (!url.matches("(?i)(https?|wss?)://.+")) {
      throw new IllegalArgumentException(
          "baseUrl must start with https://, http://, wss:// or ws://: " + url);
    }
    s.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    return self();
  }

  /**
   * The API version ({@code v1beta} by default; ephemeral tokens switch to {@code v1alpha}).
   *
   * @param apiVersion the version path segment, such as {@code v1beta} or {@code v1alpha}
   * @return this builder
   */
  public LiveSessionBuilder apiVersion(String apiVersion) {
    s.apiVersion = LiveAuth.requireText(apiVersion, "apiVersion");
    return self();
  }

  /**
   * The OkHttp client connections are derived from (with {@code newBuilder()}): proxies, custom
   * TLS, shared pools. Its dispatcher is never shut down by the library, and each connection's
   * socket reader runs on its dispatcher's executor: with OkHttp's default executor those threads
   * are not daemons and idle for a minute, so a program that returns from {@code main} waits for
   * them. Give the client a {@code Dispatcher} over daemon threads, or leave this unset: the
   * library's own client uses daemon threads only. On {@link Transport#JDK} only the client's trust
   * manager is used (TLS trusts what it trusts).
   *
   * @param httpClient the client to derive connections from; the session does not shut it down
   * @return this builder
   */
  public LiveSessionBuilder httpClient(OkHttpClient httpClient) {
    s.httpClient = Objects.requireNonNull(httpClient, "httpClient");
    return self();
  }

  /**
   * Which connector carries the frames: {@link Transport#OKHTTP} by default, {@link Transport#JDK}
   * for many sessions in one process (no thread per connection), or {@link Transport#SDK}.
   *
   * @param transport the connector to use
   * @return this builder
   */
  public LiveSessionBuilder transport(Transport transport) {
    s.transport = Objects.requireNonNull(transport, "transport");
    return self();
  }

  // ---- auth ----

  /**
   * A Gemini API key.
   *
   * @param apiKey the API key; not blank, printable ASCII without spaces or line breaks
   * @return this builder
   * @throws IllegalArgumentException when the key has a character a request header cannot carry
   *     (such as the newline of a key read from a file); the message says which and where, never
   *     showing the key
   */
  public LiveSessionBuilder apiKey(String apiKey) {
    s.auth = new LiveAuth.ApiKey(apiKey);
    return self();
  }

  /**
   * One ephemeral token ({@code auth_tokens/...}). Mint it with {@code uses} of at least 2 if the
   * session should survive reconnects, or use {@link #ephemeralTokens(Supplier)}.
   *
   * @param token the token name, starting with {@code auth_tokens/}
   * @return this builder
   * @throws IllegalArgumentException when the token has a space, a line break or another character
   *     a request header cannot carry (the message never shows the token)
   */
  public LiveSessionBuilder ephemeralToken(String token) {
    String t = LiveAuth.requireSecret(token, "token");
    s.auth = new LiveAuth.EphemeralToken(() -> t, false);
    return self();
  }

  /**
   * A supplier of fresh ephemeral tokens: asked before the first connect and again whenever the
   * service refuses a reconnect because the token is used up or expired.
   *
   * @param tokens the supplier, called before each connect on a library thread shared by all
   *     sessions (never the session's own threads); it may block on a network call, and {@code
   *     close()} does not wait for it
   * @return this builder
   */
  public LiveSessionBuilder ephemeralTokens(Supplier<String> tokens) {
    s.auth = new LiveAuth.EphemeralToken(tokens, true);
    return self();
  }

  /**
   * Vertex AI with Application Default Credentials.
   *
   * @param project the Google Cloud project id
   * @param location the Vertex AI location, such as {@code us-central1}
   * @return this builder
   */
  public LiveSessionBuilder vertexAi(String project, String location) {
    s.auth = new LiveAuth.VertexAi(project, location, null);
    return self();
  }

  /**
   * Vertex AI with these credentials (refreshed before each connect, on a library thread of its
   * own: a slow refresh delays only that connect).
   *
   * @param project the Google Cloud project id
   * @param location the Vertex AI location, such as {@code us-central1}
   * @param credentials the credentials to use
   * @return this builder
   */
  public LiveSessionBuilder vertexAi(
      String project, String location, GoogleCredentials credentials) {
    s.auth = new LiveAuth.VertexAi(project, location, credentials);
    return self();
  }

  /**
   * The credentials of an existing SDK client (its API key, or its Vertex AI settings).
   *
   * @param client the SDK client whose API key or Vertex AI settings are used
   * @return this builder
   */
  public LiveSessionBuilder client(Client client) {
    s.auth = new LiveAuth.SdkClient(client);
    return self();
  }

  /**
   * Credentials made elsewhere, such as from configuration: {@link LiveAuth#apiKey}, {@link
   * LiveAuth#ephemeralTokens}, {@link LiveAuth#vertexAi} or {@link LiveAuth#client}, or the {@link
   * SessionSpec#auth()} of another spec. The same as the matching method of this builder.
   *
   * <pre>{@code
   * LiveAuth auth = config.vertex() ? LiveAuth.vertexAi(project, location, null) : LiveAuth.apiKey(key);
   * builder.auth(auth);
   * }</pre>
   *
   * @param auth how the session authenticates
   * @return this builder
   */
  public LiveSessionBuilder auth(LiveAuth auth) {
    s.auth = Objects.requireNonNull(auth, "auth");
    return self();
  }

  /** {@code d}, when it is positive; the setters of every part share this check. */
  static Duration requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
    return d;
  }
}
