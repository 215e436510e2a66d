package dev.geminilive.tokens;

import com.google.genai.Client;
import com.google.genai.types.AuthToken;
import com.google.genai.types.CreateAuthTokenConfig;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.LiveConnectConstraints;
import dev.geminilive.LiveAuthException;
import dev.geminilive.LiveException;
import dev.geminilive.SessionSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Mints ephemeral tokens locked to a session spec, for a server that lets browsers or other
 * untrusted clients talk to the Live API directly.
 *
 * <pre>{@code
 * EphemeralTokenService tokens =
 *     EphemeralTokenService.builder().apiKey(System.getenv("GEMINI_API_KEY")).build();
 * SessionSpec spec = ResilientLiveSession.builder().apiKey("unused").persona("...").build();
 * EphemeralToken token = tokens.mint(spec);        // locked to spec's model and whole setup
 * response.send(token.toJson());                   // {"accessToken": ..., "model": ..., ...}
 * }</pre>
 *
 * <p>Each token is locked to the spec's model and setup ({@code liveConnectConstraints}): with no
 * {@link Builder#lockAdditionalFields} (the default) every setup field the spec sets is locked and
 * a client cannot change any; with an explicit list only the spec's set fields plus those are
 * locked. Defaults: {@value #DEFAULT_USES} use, expiry {@link #DEFAULT_EXPIRE} from now, new
 * sessions within {@link #DEFAULT_NEW_SESSION_EXPIRE}. Note that the service was reported to count
 * a resumption as a use; give sessions that must survive reconnects more uses, or a supplier of
 * fresh tokens ({@code LiveSessionBuilder.ephemeralTokens(supplier)}).
 *
 * <p>Thread-safe; {@link #mint} makes one blocking HTTPS call. Tokens and the API key never appear
 * in logs, messages or {@code toString()}.
 *
 * @since 0.1
 */
public final class EphemeralTokenService {
  /** Default number of sessions a token can open. */
  public static final int DEFAULT_USES = 1;

  /** Default lifetime of a token. */
  public static final Duration DEFAULT_EXPIRE = Duration.ofMinutes(30);

  /** Default window in which a token can open a new session. */
  public static final Duration DEFAULT_NEW_SESSION_EXPIRE = Duration.ofMinutes(1);

  /** The service's upper bound on both times. */
  public static final Duration MAX_EXPIRE = Duration.ofHours(20);

  private final Client client;
  private final Clock clock;
  private final int uses;
  private final Duration expire;
  private final Duration newSessionExpire;
  private final @Nullable List<String> lockAdditionalFields;

  private EphemeralTokenService(Builder b, Client client) {
    this.client = client;
    this.clock = b.clock;
    this.uses = b.uses;
    this.expire = b.expire;
    this.newSessionExpire = b.newSessionExpire;
    this.lockAdditionalFields = b.lockAdditionalFields;
  }

  /**
   * A builder.
   *
   * @return a new builder; an API key or a client is required
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Mints a token locked to {@code spec}'s model and setup, with this service's defaults.
   *
   * @param spec the session the token is for; its model and setup are locked into the token
   * @return the minted token
   */
  public EphemeralToken mint(SessionSpec spec) {
    return mint(spec, uses);
  }

  /**
   * Mints a token that can open {@code uses} sessions (0 = unlimited).
   *
   * @param spec the session the token is for; its model and setup are locked into the token
   * @param uses how many sessions the token can open; 0 means unlimited, negative is rejected
   * @return the minted token
   */
  public EphemeralToken mint(SessionSpec spec, int uses) {
    Objects.requireNonNull(spec, "spec");
    if (uses < 0) {
      throw new IllegalArgumentException("uses must not be negative: " + uses);
    }
    Instant now = clock.instant();
    Instant expiresAt = now.plus(expire);
    Instant newSessionBy = now.plus(newSessionExpire);
    CreateAuthTokenConfig.Builder config =
        CreateAuthTokenConfig.builder()
            .uses(uses)
            .expireTime(expiresAt)
            .newSessionExpireTime(newSessionBy)
            .liveConnectConstraints(
                LiveConnectConstraints.builder()
                    .model(spec.model())
                    .config(spec.toLiveConnectConfig(null))
                    .build());
    if (lockAdditionalFields != null) {
      config.lockAdditionalFields(lockAdditionalFields);
    }
    AuthToken token;
    try {
      token = client.authTokens.create(config.build());
    } catch (RuntimeException e) {
      String message = String.valueOf(e.getMessage());
      String lower = message.toLowerCase(java.util.Locale.ROOT);
      if (lower.contains("api key")
          || lower.contains("api_key")
          || message.contains("401")
          || message.contains("403")) {
        throw new LiveAuthException(
            "The service refused to mint an ephemeral token: check the API key.", 0, "", e);
      }
      throw new LiveException(
          "Could not mint an ephemeral token: " + e.getClass().getSimpleName() + ": " + message, e);
    }
    String name =
        token
            .name()
            .orElseThrow(
                () -> new LiveException("The token service answered without a token name.", null));
    return new EphemeralToken(name, spec.model(), expiresAt, newSessionBy, uses);
  }

  /** Builds an {@link EphemeralTokenService}. Not thread-safe. */
  public static final class Builder {
    private @Nullable Client client;
    private @Nullable String apiKey;
    private @Nullable String baseUrl;
    private Clock clock = Clock.systemUTC();
    private int uses = DEFAULT_USES;
    private Duration expire = DEFAULT_EXPIRE;
    private Duration newSessionExpire = DEFAULT_NEW_SESSION_EXPIRE;
    private @Nullable List<String> lockAdditionalFields;

    private Builder() {}

    /**
     * The long-lived API key the tokens are minted with. Never sent to clients.
     *
     * @param apiKey a Gemini API key; not null or blank
     * @return this builder
     */
    public Builder apiKey(String apiKey) {
      Objects.requireNonNull(apiKey, "apiKey");
      if (apiKey.isBlank()) {
        throw new IllegalArgumentException("apiKey must not be blank");
      }
      this.apiKey = apiKey;
      return this;
    }

    /**
     * The token service's base URL (for gateways and tests); the Gemini API by default.
     *
     * @param baseUrl the base URL, such as {@code https://generativelanguage.googleapis.com}
     * @return this builder
     */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
      return this;
    }

    /**
     * An SDK client to mint with (it must use API version {@code v1alpha}).
     *
     * @param client an SDK client configured for {@code v1alpha}
     * @return this builder
     */
    public Builder client(Client client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * The clock expiry times are computed from.
     *
     * @param clock the clock; {@link Clock#systemUTC()} by default
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sessions one token can open (0 = unlimited).
     *
     * @param uses sessions per token; 0 means unlimited, negative is rejected
     * @return this builder
     */
    public Builder uses(int uses) {
      if (uses < 0) {
        throw new IllegalArgumentException("uses must not be negative: " + uses);
      }
      this.uses = uses;
      return this;
    }

    /**
     * How long a token lives (at most 20 hours).
     *
     * @param expire the token lifetime; positive and less than 20 hours
     * @return this builder
     */
    public Builder expireAfter(Duration expire) {
      this.expire = checkWindow(expire, "expire");
      return this;
    }

    /**
     * How long a token can open new sessions (at most 20 hours).
     *
     * @param window the time from minting during which new sessions can be opened; positive and
     *     less than 20 hours
     * @return this builder
     */
    public Builder newSessionExpireAfter(Duration window) {
      this.newSessionExpire = checkWindow(window, "window");
      return this;
    }

    /**
     * Locks only the spec's set fields plus these (e.g. {@code "temperature"}) instead of every
     * field: a client may then change the fields not locked.
     *
     * @param fields the names of the extra setup fields to lock, as the API spells them; empty
     *     locks only the set fields
     * @return this builder
     */
    public Builder lockAdditionalFields(List<String> fields) {
      this.lockAdditionalFields = List.copyOf(fields);
      return this;
    }

    /**
     * Builds the service.
     *
     * @return the service, immutable and safe to share between threads
     */
    public EphemeralTokenService build() {
      if (newSessionExpire.compareTo(expire) > 0) {
        throw new IllegalStateException(
            "newSessionExpireAfter ("
                + newSessionExpire
                + ") exceeds expireAfter ("
                + expire
                + ")");
      }
      Client c = client;
      if (c == null) {
        if (apiKey == null) {
          throw new IllegalStateException("Set apiKey(...) or client(...)");
        }
        HttpOptions.Builder http = HttpOptions.builder().apiVersion("v1alpha");
        if (baseUrl != null) {
          http.baseUrl(baseUrl);
        }
        c = Client.builder().apiKey(apiKey).httpOptions(http.build()).build();
      }
      return new EphemeralTokenService(this, c);
    }

    private static Duration checkWindow(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero() || d.compareTo(MAX_EXPIRE) >= 0) {
        throw new IllegalArgumentException(name + " must be between 0 and 20 hours: " + d);
      }
      return d;
    }
  }

  @Override
  public String toString() {
    return "EphemeralTokenService[uses=" + uses + ", expire=" + expire + "]";
  }
}
