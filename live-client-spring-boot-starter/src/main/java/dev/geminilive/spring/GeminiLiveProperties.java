package dev.geminilive.spring;

import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ModelProfile;
import dev.geminilive.ReconnectPolicy;
import dev.geminilive.tokens.EphemeralTokenService;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code gemini.live.*} settings: credentials, model, voice, language, reconnect policy,
 * timeouts, ephemeral tokens and their endpoint, and shutdown.
 *
 * <pre>{@code
 * gemini.live.model=gemini-3.1-flash-live-preview
 * gemini.live.voice=Peri
 * gemini.live.language=en-US
 * gemini.live.reconnect.max-attempts=6
 * gemini.live.token.endpoint.enabled=true
 * }</pre>
 *
 * <p>Credentials: {@code gemini.live.api-key}, else the {@code GEMINI_API_KEY} environment
 * variable, else Vertex AI with Application Default Credentials when {@code
 * gemini.live.vertex.project} and {@code gemini.live.vertex.location} are set. Unset settings keep
 * the library's defaults. Values are checked when the application starts ({@link
 * GeminiLiveAutoConfiguration}); a wrong one stops the start with a message naming the property.
 *
 * <p>A mutable bean that Spring binds once at start-up; read it, do not change it afterwards.
 *
 * @since 0.1
 */
@ConfigurationProperties(prefix = GeminiLiveProperties.PREFIX)
public class GeminiLiveProperties {
  /** The prefix of every property. */
  public static final String PREFIX = "gemini.live";

  /** Gemini API key; falls back to the GEMINI_API_KEY environment variable. Never logged. */
  private @Nullable String apiKey;

  /** Base URL of the Live service (a gateway, a regional endpoint, a test server). */
  private @Nullable String baseUrl;

  /** API version path segment, such as v1beta or v1alpha. */
  private @Nullable String apiVersion;

  /** The Live model id. */
  private String model = ModelProfile.GEMINI_3_1_FLASH_LIVE;

  /** A prebuilt voice, such as Peri, Kore or Puck. */
  private @Nullable String voice;

  /** The language to speak and respond in, as a BCP-47 tag such as en-US. */
  private @Nullable String language;

  /** The longest a connect may take, setup included. */
  private Duration connectTimeout = LiveSessionBuilder.DEFAULT_CONNECT_TIMEOUT;

  /** WebSocket ping interval; 0 turns pings off. */
  private Duration pingInterval = LiveSessionBuilder.DEFAULT_PING_INTERVAL;

  /** The longest the model may stay silent mid-turn before the connection is taken for dead. */
  private Duration stallTimeout = LiveSessionBuilder.DEFAULT_STALL_TIMEOUT;

  /** The per-call time limit of a tool. */
  private Duration toolTimeout = LiveSessionBuilder.DEFAULT_TOOL_TIMEOUT;

  private final Vertex vertex = new Vertex();
  private final Reconnect reconnect = new Reconnect();
  private final Token token = new Token();
  private final Shutdown shutdown = new Shutdown();

  /**
   * The API key, if set as a property.
   *
   * @return the key, or null to fall back to the environment
   */
  public @Nullable String getApiKey() {
    return apiKey;
  }

  /**
   * Sets the API key.
   *
   * @param apiKey the Gemini API key
   */
  public void setApiKey(@Nullable String apiKey) {
    this.apiKey = apiKey;
  }

  /**
   * The base URL.
   *
   * @return the base URL, or null for the service's own
   */
  public @Nullable String getBaseUrl() {
    return baseUrl;
  }

  /**
   * Sets the base URL.
   *
   * @param baseUrl such as {@code https://generativelanguage.googleapis.com}
   */
  public void setBaseUrl(@Nullable String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /**
   * The API version.
   *
   * @return the version, or null for the library's default
   */
  public @Nullable String getApiVersion() {
    return apiVersion;
  }

  /**
   * Sets the API version.
   *
   * @param apiVersion such as {@code v1beta}
   */
  public void setApiVersion(@Nullable String apiVersion) {
    this.apiVersion = apiVersion;
  }

  /**
   * The model id.
   *
   * @return the model id
   */
  public String getModel() {
    return model;
  }

  /**
   * Sets the model id.
   *
   * @param model such as {@code gemini-3.1-flash-live-preview}
   */
  public void setModel(String model) {
    this.model = model;
  }

  /**
   * The voice.
   *
   * @return the voice name, or null for the model's default
   */
  public @Nullable String getVoice() {
    return voice;
  }

  /**
   * Sets the voice.
   *
   * @param voice a prebuilt voice name
   */
  public void setVoice(@Nullable String voice) {
    this.voice = voice;
  }

  /**
   * The language tag.
   *
   * @return the BCP-47 tag, or null for none
   */
  public @Nullable String getLanguage() {
    return language;
  }

  /**
   * Sets the language.
   *
   * @param language a BCP-47 tag such as {@code en-US}
   */
  public void setLanguage(@Nullable String language) {
    this.language = language;
  }

  /**
   * The connect timeout.
   *
   * @return the connect time limit
   */
  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  /**
   * Sets the connect timeout.
   *
   * @param connectTimeout positive
   */
  public void setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  /**
   * The ping interval.
   *
   * @return the ping interval; zero means no pings
   */
  public Duration getPingInterval() {
    return pingInterval;
  }

  /**
   * Sets the ping interval.
   *
   * @param pingInterval zero or positive
   */
  public void setPingInterval(Duration pingInterval) {
    this.pingInterval = pingInterval;
  }

  /**
   * The stall timeout.
   *
   * @return the longest silence within a turn
   */
  public Duration getStallTimeout() {
    return stallTimeout;
  }

  /**
   * Sets the stall timeout.
   *
   * @param stallTimeout positive
   */
  public void setStallTimeout(Duration stallTimeout) {
    this.stallTimeout = stallTimeout;
  }

  /**
   * The tool timeout.
   *
   * @return the per-call time limit
   */
  public Duration getToolTimeout() {
    return toolTimeout;
  }

  /**
   * Sets the tool timeout.
   *
   * @param toolTimeout positive
   */
  public void setToolTimeout(Duration toolTimeout) {
    this.toolTimeout = toolTimeout;
  }

  /**
   * The Vertex AI settings.
   *
   * @return the Vertex AI settings, never null
   */
  public Vertex getVertex() {
    return vertex;
  }

  /**
   * The reconnect policy settings.
   *
   * @return the reconnect settings, never null
   */
  public Reconnect getReconnect() {
    return reconnect;
  }

  /**
   * The ephemeral-token settings.
   *
   * @return the token settings, never null
   */
  public Token getToken() {
    return token;
  }

  /**
   * The shutdown settings.
   *
   * @return the shutdown settings, never null
   */
  public Shutdown getShutdown() {
    return shutdown;
  }

  /** Vertex AI with Application Default Credentials: both project and location are required. */
  public static class Vertex {
    /** The Google Cloud project id. */
    private @Nullable String project;

    /** The Vertex AI location, such as us-central1 or global. */
    private @Nullable String location;

    /** Creates empty settings. */
    public Vertex() {}

    /**
     * The project.
     *
     * @return the project id, or null
     */
    public @Nullable String getProject() {
      return project;
    }

    /**
     * Sets the project.
     *
     * @param project the project id
     */
    public void setProject(@Nullable String project) {
      this.project = project;
    }

    /**
     * The location.
     *
     * @return the location, or null
     */
    public @Nullable String getLocation() {
      return location;
    }

    /**
     * Sets the location.
     *
     * @param location such as {@code us-central1}
     */
    public void setLocation(@Nullable String location) {
      this.location = location;
    }
  }

  /** The reconnect policy: capped exponential backoff with jitter, or none. */
  public static class Reconnect {
    /** False: the first lost connection ends the session. */
    private boolean enabled = true;

    /** Delay before the first attempt of an outage. */
    private Duration initialDelay = ReconnectPolicy.defaults().baseDelay(1);

    /** Factor between consecutive delays; at least 1. */
    private double multiplier = 2.0;

    /** The longest delay between attempts. */
    private Duration maxDelay = Duration.ofSeconds(8);

    /** Random spread of each delay, between 0 and 1. */
    private double jitter = ReconnectPolicy.defaults().jitter();

    /** Failed attempts allowed in one outage. */
    private int maxAttempts = ReconnectPolicy.DEFAULT_MAX_ATTEMPTS;

    /** Reconnects allowed over the life of one session. */
    private int maxReconnects = ReconnectPolicy.DEFAULT_MAX_RECONNECTS;

    /** Creates the library's default policy. */
    public Reconnect() {}

    /**
     * Whether sessions reconnect.
     *
     * @return true to reconnect
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Turns reconnects on or off.
     *
     * @param enabled false for {@link ReconnectPolicy#none()}
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * The first delay.
     *
     * @return the delay before the first attempt
     */
    public Duration getInitialDelay() {
      return initialDelay;
    }

    /**
     * Sets the first delay.
     *
     * @param initialDelay zero or positive
     */
    public void setInitialDelay(Duration initialDelay) {
      this.initialDelay = initialDelay;
    }

    /**
     * The multiplier.
     *
     * @return the factor between delays
     */
    public double getMultiplier() {
      return multiplier;
    }

    /**
     * Sets the multiplier.
     *
     * @param multiplier at least 1
     */
    public void setMultiplier(double multiplier) {
      this.multiplier = multiplier;
    }

    /**
     * The longest delay.
     *
     * @return the cap on the delay
     */
    public Duration getMaxDelay() {
      return maxDelay;
    }

    /**
     * Sets the longest delay.
     *
     * @param maxDelay not below the initial delay
     */
    public void setMaxDelay(Duration maxDelay) {
      this.maxDelay = maxDelay;
    }

    /**
     * The jitter.
     *
     * @return the random spread, between 0 and 1
     */
    public double getJitter() {
      return jitter;
    }

    /**
     * Sets the jitter.
     *
     * @param jitter between 0 and 1
     */
    public void setJitter(double jitter) {
      this.jitter = jitter;
    }

    /**
     * Attempts per outage.
     *
     * @return the failed attempts allowed in one outage
     */
    public int getMaxAttempts() {
      return maxAttempts;
    }

    /**
     * Sets the attempts per outage.
     *
     * @param maxAttempts at least 1
     */
    public void setMaxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    /**
     * Reconnects per session.
     *
     * @return the reconnects allowed over one session
     */
    public int getMaxReconnects() {
      return maxReconnects;
    }

    /**
     * Sets the reconnects per session.
     *
     * @param maxReconnects at least 1
     */
    public void setMaxReconnects(int maxReconnects) {
      this.maxReconnects = maxReconnects;
    }
  }

  /** Ephemeral tokens for browsers and other untrusted clients (Gemini API keys only). */
  public static class Token {
    /** Base URL of the token service; defaults to gemini.live.base-url. */
    private @Nullable String baseUrl;

    /** Sessions one token can open; 0 = unlimited. */
    private int uses = EphemeralTokenService.DEFAULT_USES;

    /** How long a token lives. */
    private Duration expire = EphemeralTokenService.DEFAULT_EXPIRE;

    /** How long a token can open new sessions. */
    private Duration newSessionExpire = EphemeralTokenService.DEFAULT_NEW_SESSION_EXPIRE;

    private final Endpoint endpoint = new Endpoint();

    /** Creates the library's default token settings. */
    public Token() {}

    /**
     * The token service's base URL.
     *
     * @return the base URL, or null for gemini.live.base-url
     */
    public @Nullable String getBaseUrl() {
      return baseUrl;
    }

    /**
     * Sets the token service's base URL.
     *
     * @param baseUrl an http(s) URL
     */
    public void setBaseUrl(@Nullable String baseUrl) {
      this.baseUrl = baseUrl;
    }

    /**
     * Uses per token.
     *
     * @return sessions per token; 0 = unlimited
     */
    public int getUses() {
      return uses;
    }

    /**
     * Sets the uses per token.
     *
     * @param uses zero or positive
     */
    public void setUses(int uses) {
      this.uses = uses;
    }

    /**
     * Token lifetime.
     *
     * @return how long a token lives
     */
    public Duration getExpire() {
      return expire;
    }

    /**
     * Sets the token lifetime.
     *
     * @param expire positive, below 20 hours
     */
    public void setExpire(Duration expire) {
      this.expire = expire;
    }

    /**
     * Window for new sessions.
     *
     * @return how long a token can open new sessions
     */
    public Duration getNewSessionExpire() {
      return newSessionExpire;
    }

    /**
     * Sets the window for new sessions.
     *
     * @param newSessionExpire positive, not above the lifetime
     */
    public void setNewSessionExpire(Duration newSessionExpire) {
      this.newSessionExpire = newSessionExpire;
    }

    /**
     * The token endpoint's settings.
     *
     * @return the endpoint settings, never null
     */
    public Endpoint getEndpoint() {
      return endpoint;
    }
  }

  /** The optional {@code POST /api/live/token} route of a servlet web application. */
  public static class Endpoint {
    /** Serves the route (off by default). */
    private boolean enabled;

    /** The route's path. */
    private String path = "/api/live/token";

    /** Tokens one principal may get per rate window. */
    private int rateLimit = 5;

    /** The window of the rate limit. */
    private Duration rateWindow = Duration.ofMinutes(1);

    /** Creates the default endpoint settings. */
    public Endpoint() {}

    /**
     * Whether the route is served.
     *
     * @return true to serve it
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Turns the route on or off.
     *
     * @param enabled true to serve it
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * The route's path.
     *
     * @return the path
     */
    public String getPath() {
      return path;
    }

    /**
     * Sets the route's path.
     *
     * @param path starting with {@code /}
     */
    public void setPath(String path) {
      this.path = path;
    }

    /**
     * Tokens per principal per window.
     *
     * @return the limit
     */
    public int getRateLimit() {
      return rateLimit;
    }

    /**
     * Sets the tokens per principal per window.
     *
     * @param rateLimit at least 1
     */
    public void setRateLimit(int rateLimit) {
      this.rateLimit = rateLimit;
    }

    /**
     * The rate window.
     *
     * @return the window
     */
    public Duration getRateWindow() {
      return rateWindow;
    }

    /**
     * Sets the rate window.
     *
     * @param rateWindow positive
     */
    public void setRateWindow(Duration rateWindow) {
      this.rateWindow = rateWindow;
    }
  }

  /** Graceful shutdown of the sessions {@link LiveSessions} opened. */
  public static class Shutdown {
    /** How long running tool calls may take to answer before their sessions are closed. */
    private Duration toolGrace = Duration.ofSeconds(5);

    /** Creates the default shutdown settings. */
    public Shutdown() {}

    /**
     * The grace period for running tool calls.
     *
     * @return how long shutdown waits for running tool calls
     */
    public Duration getToolGrace() {
      return toolGrace;
    }

    /**
     * Sets the grace period.
     *
     * @param toolGrace zero or positive
     */
    public void setToolGrace(Duration toolGrace) {
      this.toolGrace = toolGrace;
    }
  }
}
