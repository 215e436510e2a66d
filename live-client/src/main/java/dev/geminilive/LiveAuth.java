package dev.geminilive;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.genai.Client;
import dev.geminilive.internal.Secrets;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * How a session authenticates. Get one from {@link LiveSessionBuilder}'s auth methods; the value
 * never shows its secret in {@link #toString()}.
 *
 * @since 0.1
 */
public abstract sealed class LiveAuth {
  private LiveAuth() {}

  /**
   * A Gemini API key.
   *
   * @param key the API key; not blank
   * @return API-key authentication
   */
  public static LiveAuth apiKey(String key) {
    return new ApiKey(key);
  }

  /**
   * A supplier of ephemeral tokens.
   *
   * @param tokens a supplier asked for a fresh token before each connect; it may block
   * @return ephemeral-token authentication
   */
  public static LiveAuth ephemeralTokens(Supplier<String> tokens) {
    return new EphemeralToken(tokens, true);
  }

  /**
   * Vertex AI; null credentials mean Application Default Credentials.
   *
   * @param project the Google Cloud project id
   * @param location the Vertex AI location, such as {@code us-central1}
   * @param credentials the credentials to use, or null for Application Default Credentials
   * @return Vertex AI authentication
   */
  public static LiveAuth vertexAi(
      String project, String location, @Nullable GoogleCredentials credentials) {
    return new VertexAi(project, location, credentials);
  }

  /**
   * The credentials of an existing SDK client.
   *
   * @param client the SDK client whose API key or Vertex AI settings are used
   * @return authentication taken from {@code client}
   */
  public static LiveAuth client(Client client) {
    return new SdkClient(client);
  }

  /** A Gemini API key, sent as the {@code x-goog-api-key} header. */
  public static final class ApiKey extends LiveAuth {
    private final String key;

    ApiKey(String key) {
      this.key = requireSecret(key, "apiKey");
    }

    /**
     * The key. Never log it.
     *
     * @return the API key, a secret
     */
    public String key() {
      return key;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ApiKey a && a.key.equals(key);
    }

    @Override
    public int hashCode() {
      return key.hashCode();
    }

    @Override
    public String toString() {
      return "ApiKey[redacted]";
    }
  }

  /**
   * Ephemeral tokens ({@code auth_tokens/...}) on the constrained {@code v1alpha} endpoint. The
   * supplier is asked for a token before the first connect, and again when the service refuses a
   * reconnect because the token is used up or expired.
   */
  public static final class EphemeralToken extends LiveAuth {
    private final Supplier<String> tokens;
    private final boolean renewable;

    EphemeralToken(Supplier<String> tokens, boolean renewable) {
      this.tokens = Objects.requireNonNull(tokens, "tokens");
      this.renewable = renewable;
    }

    /**
     * Whether the supplier can give a fresh token (false for one fixed token).
     *
     * @return true if each call of {@link #tokens()} may return a new token
     */
    public boolean renewable() {
      return renewable;
    }

    /**
     * The supplier of fresh tokens.
     *
     * @return the token supplier, called before each connect
     */
    public Supplier<String> tokens() {
      return tokens;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof EphemeralToken t && t.tokens.equals(tokens);
    }

    @Override
    public int hashCode() {
      return tokens.hashCode();
    }

    @Override
    public String toString() {
      return "EphemeralToken[redacted]";
    }
  }

  /** Vertex AI: OAuth bearer token from Google credentials, refreshed for each connect. */
  public static final class VertexAi extends LiveAuth {
    private final String project;
    private final String location;
    private final @Nullable GoogleCredentials credentials;

    VertexAi(String project, String location, @Nullable GoogleCredentials credentials) {
      this.project = requireText(project, "project");
      this.location = requireText(location, "location");
      this.credentials = credentials;
    }

    /**
     * The Google Cloud project.
     *
     * @return the project id
     */
    public String project() {
      return project;
    }

    /**
     * The location, such as {@code us-central1} or {@code global}.
     *
     * @return the location
     */
    public String location() {
      return location;
    }

    /**
     * The credentials, or null for Application Default Credentials.
     *
     * @return the credentials, or null for Application Default Credentials
     */
    public @Nullable GoogleCredentials credentials() {
      return credentials;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof VertexAi v
          && v.project.equals(project)
          && v.location.equals(location)
          && Objects.equals(v.credentials, credentials);
    }

    @Override
    public int hashCode() {
      return Objects.hash(project, location, credentials);
    }

    @Override
    public String toString() {
      return "VertexAi[project=" + project + ", location=" + location + "]";
    }
  }

  /**
   * An existing SDK client: its API key, or its Vertex AI project and location, are used. (The
   * client does not expose its HTTP settings; set {@link LiveSessionBuilder#baseUrl} and {@link
   * LiveSessionBuilder#httpClient} where they matter.)
   */
  public static final class SdkClient extends LiveAuth {
    private final Client client;

    SdkClient(Client client) {
      this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * The client.
     *
     * @return the SDK client
     */
    public Client client() {
      return client;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SdkClient c && c.client == client;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(client);
    }

    @Override
    public String toString() {
      return "SdkClient[vertexAI=" + client.vertexAI() + "]";
    }
  }

  /**
   * Checks a key or token the way an HTTP header will need it: printable ASCII, no spaces or
   * control characters (a key read from a file often keeps its newline). The message names the
   * problem and where it is, never any part of the value.
   *
   * @throws IllegalArgumentException when the value cannot be sent
   */
  static String requireSecret(@Nullable String value, String name) {
    requireText(value, name);
    String problem = Secrets.problem(value);
    if (problem != null) {
      throw new IllegalArgumentException(
          name
              + " has "
              + problem
              + ". Keys and tokens are printable ASCII without spaces; a value read from a file or"
              + " an environment variable often keeps its line break: strip() it. (The value is not"
              + " shown.)");
    }
    return value;
  }

  static String requireText(@Nullable String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }
}
