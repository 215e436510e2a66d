package dev.geminilive.spring;

import dev.geminilive.LiveAuth;
import dev.geminilive.LiveConfigException;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ReconnectPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;

/**
 * The {@code gemini.live.*} properties, checked once at start-up and applied to each builder.
 *
 * <p>Every value goes through the library's own setter checks here, so a wrong property stops the
 * start with Spring Boot's "Invalid value for configuration property" report naming it, instead of
 * failing the first call. Immutable after construction; thread-safe.
 */
final class LiveSettings {
  /** Used only to check the spec when no credentials are configured; never sent anywhere. */
  private static final String CHECK_ONLY_KEY = "check-only";

  /** The builder's {@link LiveConfigException#field()} names and the properties that set them. */
  private static final Map<String, String> FIELD_TO_PROPERTY =
      Map.of(
          "responseModality", "model",
          "thinkingLevel", "model",
          "thinkingBudget", "model",
          "sessionResumption", "reconnect.enabled",
          "transparentResumption", "vertex.project");

  private final GeminiLiveProperties props;
  private final @Nullable LiveAuth auth;
  private final String credentials;
  private final ReconnectPolicy reconnectPolicy;

  LiveSettings(GeminiLiveProperties props, Environment environment) {
    this.props = props;
    String key = blankToNull(props.getApiKey());
    if (key == null) {
      key = blankToNull(environment.getProperty(LiveSessionBuilder.API_KEY_ENV));
    }
    String project = blankToNull(props.getVertex().getProject());
    String location = blankToNull(props.getVertex().getLocation());
    if ((project == null) != (location == null)) {
      throw invalid(
          project == null ? "vertex.project" : "vertex.location",
          null,
          "Vertex AI needs both gemini.live.vertex.project and gemini.live.vertex.location.");
    }
    if (project != null && blankToNull(props.getApiKey()) != null) {
      throw invalid(
          "vertex.project",
          project,
          "Both gemini.live.api-key and gemini.live.vertex.* are set: choose one way to"
              + " authenticate.");
    }
    if (project != null) {
      auth = LiveAuth.vertexAi(project, location, null);
      credentials = "vertex-ai";
    } else if (key != null) {
      auth = LiveAuth.apiKey(key);
      credentials = "api-key";
    } else {
      auth = null;
      credentials = "none";
    }
    this.reconnectPolicy = reconnectPolicy(props.getReconnect());
    checkTokenSettings(props.getToken());
    // Apply everything to a throwaway builder and build it: the library's own checks run now.
    LiveSessionBuilder check = new LiveSessionBuilder();
    apply(check);
    if (auth == null) {
      check.apiKey(CHECK_ONLY_KEY);
    }
    try {
      check.build();
    } catch (LiveConfigException e) {
      String property = FIELD_TO_PROPERTY.getOrDefault(e.field(), e.field());
      throw invalid(property, null, e.getMessage());
    }
  }

  /** The credentials, if any are configured. */
  Optional<LiveAuth> auth() {
    return Optional.ofNullable(auth);
  }

  /** The API key, when the credentials are one. */
  Optional<String> apiKey() {
    return auth instanceof LiveAuth.ApiKey k ? Optional.of(k.key()) : Optional.empty();
  }

  /** How the application authenticates, in a word safe to show: api-key, vertex-ai or none. */
  String credentials() {
    return credentials;
  }

  String model() {
    return props.getModel();
  }

  GeminiLiveProperties properties() {
    return props;
  }

  /** Applies every property to {@code b}; each value was checked by the constructor. */
  void apply(LiveSessionBuilder b) {
    if (auth != null) {
      applyAuth(b, auth);
    }
    set("model", props.getModel(), () -> b.model(props.getModel()));
    if (props.getBaseUrl() != null) {
      set("base-url", props.getBaseUrl(), () -> b.baseUrl(props.getBaseUrl()));
    }
    if (props.getApiVersion() != null) {
      set("api-version", props.getApiVersion(), () -> b.apiVersion(props.getApiVersion()));
    }
    if (props.getVoice() != null) {
      set("voice", props.getVoice(), () -> b.voice(props.getVoice()));
    }
    if (props.getLanguage() != null) {
      set("language", props.getLanguage(), () -> b.language(props.getLanguage()));
    }
    set(
        "connect-timeout",
        props.getConnectTimeout(),
        () -> b.connectTimeout(props.getConnectTimeout()));
    set("ping-interval", props.getPingInterval(), () -> b.pingInterval(props.getPingInterval()));
    set("stall-timeout", props.getStallTimeout(), () -> b.stallTimeout(props.getStallTimeout()));
    set("tool-timeout", props.getToolTimeout(), () -> b.toolTimeout(props.getToolTimeout()));
    b.reconnectPolicy(reconnectPolicy);
  }

  private static void applyAuth(LiveSessionBuilder b, LiveAuth auth) {
    if (auth instanceof LiveAuth.ApiKey k) {
      b.apiKey(k.key());
    } else if (auth instanceof LiveAuth.VertexAi v) {
      b.vertexAi(v.project(), v.location());
    }
  }

  private static ReconnectPolicy reconnectPolicy(GeminiLiveProperties.Reconnect r) {
    if (!r.isEnabled()) {
      return ReconnectPolicy.none();
    }
    ReconnectPolicy[] policy = new ReconnectPolicy[1];
    set(
        "reconnect.max-delay",
        r.getMaxDelay(),
        () ->
            policy[0] =
                ReconnectPolicy.exponential(
                    r.getInitialDelay(), r.getMultiplier(), r.getMaxDelay()));
    set("reconnect.jitter", r.getJitter(), () -> policy[0] = policy[0].withJitter(r.getJitter()));
    set(
        "reconnect.max-attempts",
        r.getMaxAttempts(),
        () -> policy[0] = policy[0].withMaxAttempts(r.getMaxAttempts()));
    set(
        "reconnect.max-reconnects",
        r.getMaxReconnects(),
        () -> policy[0] = policy[0].withMaxReconnects(r.getMaxReconnects()));
    return policy[0];
  }

  private static void checkTokenSettings(GeminiLiveProperties.Token t) {
    if (t.getUses() < 0) {
      throw invalid("token.uses", t.getUses(), "uses must be 0 (unlimited) or positive.");
    }
    checkWindow("token.expire", t.getExpire());
    checkWindow("token.new-session-expire", t.getNewSessionExpire());
    if (t.getNewSessionExpire().compareTo(t.getExpire()) > 0) {
      throw invalid(
          "token.new-session-expire",
          t.getNewSessionExpire(),
          "The window for new sessions exceeds the token's lifetime (gemini.live.token.expire="
              + t.getExpire()
              + ").");
    }
    GeminiLiveProperties.Endpoint e = t.getEndpoint();
    if (!e.getPath().startsWith("/")) {
      throw invalid("token.endpoint.path", e.getPath(), "The path must start with '/'.");
    }
    if (e.getRateLimit() < 1) {
      throw invalid("token.endpoint.rate-limit", e.getRateLimit(), "Allow at least 1 token.");
    }
    if (e.getRateWindow().isNegative() || e.getRateWindow().isZero()) {
      throw invalid(
          "token.endpoint.rate-window", e.getRateWindow(), "The window must be positive.");
    }
  }

  private static void checkWindow(String property, Duration d) {
    if (d.isNegative() || d.isZero() || d.toHours() >= 20) {
      throw invalid(property, d, "Must be positive and below 20 hours (the service's limit).");
    }
  }

  /** Runs one setter; its IllegalArgumentException becomes a report naming the property. */
  private static void set(String property, @Nullable Object value, Runnable setter) {
    try {
      setter.run();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw invalid(property, value, e.getMessage());
    }
  }

  static InvalidConfigurationPropertyValueException invalid(
      String property, @Nullable Object value, @Nullable String reason) {
    return new InvalidConfigurationPropertyValueException(
        GeminiLiveProperties.PREFIX + "." + property, value, String.valueOf(reason));
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
