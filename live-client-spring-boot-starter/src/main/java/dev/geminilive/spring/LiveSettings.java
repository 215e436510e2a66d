package dev.geminilive.spring;

import com.google.genai.types.HarmBlockThreshold;
import com.google.genai.types.HarmCategory;
import com.google.genai.types.SafetySetting;
import dev.geminilive.LiveAuth;
import dev.geminilive.LiveConfigException;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ModelProfile;
import dev.geminilive.ReconnectPolicy;
import dev.geminilive.Transcription;
import dev.geminilive.tokens.EphemeralTokenService;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;

/**
 * The {@code gemini.live.*} properties, checked once at start-up and applied to each builder.
 *
 * <p>Every value goes through the library's own setter checks here, so a wrong property stops the
 * start with Spring Boot's "Invalid value for configuration property" report naming it, instead of
 * failing the first call. Unset properties are not applied: the library's defaults stay. Immutable
 * after construction; thread-safe.
 */
final class LiveSettings {
  /** Used only to check the spec when no credentials are configured; never sent anywhere. */
  private static final String CHECK_ONLY_KEY = "check-only";

  /** The builder's {@link LiveConfigException#field()} names and the properties that set them. */
  private static final Map<String, String> FIELD_TO_PROPERTY =
      Map.of(
          "responseModality", "model",
          "thinkingLevel", "thinking-level",
          "thinkingBudget", "model",
          "sessionResumption", "reconnect.enabled",
          "transparentResumption", "vertex.project",
          "explicitVadSignal", "explicit-vad-signal",
          "safetySettings", "safety");

  private final GeminiLiveProperties props;
  private final @Nullable LiveAuth auth;
  private final String credentials;
  private final ReconnectPolicy reconnectPolicy;

  LiveSettings(GeminiLiveProperties props, Environment environment) {
    this.props = props;
    String key = blankToNull(props.apiKey());
    if (key == null) {
      key = blankToNull(environment.getProperty(LiveSessionBuilder.API_KEY_ENV));
    }
    String project = blankToNull(props.vertex().project());
    String location = blankToNull(props.vertex().location());
    if ((project == null) != (location == null)) {
      throw invalid(
          project == null ? "vertex.project" : "vertex.location",
          null,
          "Vertex AI needs both gemini.live.vertex.project and gemini.live.vertex.location.");
    }
    if (project != null && blankToNull(props.apiKey()) != null) {
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
    this.reconnectPolicy = reconnectPolicy(props.reconnect());
    checkTokenSettings(props.token());
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

  /** The model sessions use. */
  String model() {
    return props.model() != null ? props.model() : ModelProfile.GEMINI_3_8_LIVE;
  }

  GeminiLiveProperties properties() {
    return props;
  }

  /** Applies every property that is set to {@code b}; each value was checked by the constructor. */
  void apply(LiveSessionBuilder b) {
    if (auth != null) {
      b.auth(auth);
    }
    set("model", props.model(), b::model);
    set("base-url", props.baseUrl(), b::baseUrl);
    set("api-version", props.apiVersion(), b::apiVersion);
    set("voice", props.voice(), b::voice);
    set("language", props.language(), b::language);
    set("connect-timeout", props.connectTimeout(), b::connectTimeout);
    set("ping-interval", props.pingInterval(), b::pingInterval);
    set("stall-timeout", props.stallTimeout(), b::stallTimeout);
    set("tool-timeout", props.toolTimeout(), b::toolTimeout);
    set("thinking-level", props.thinkingLevel(), b::thinkingLevel);
    set("media-resolution", props.mediaResolution(), b::mediaResolution);
    set("explicit-vad-signal", props.explicitVadSignal(), b::explicitVadSignal);
    if (!props.labels().isEmpty()) {
      set("labels", props.labels(), b::labels);
    }
    props
        .safety()
        .forEach(
            (category, threshold) ->
                set(
                    "safety." + category,
                    threshold,
                    t ->
                        b.safetySettings(
                            SafetySetting.builder()
                                .category(
                                    new HarmCategory(
                                        HarmCategory.Known.valueOf(harmCategory(category))))
                                .threshold(
                                    new HarmBlockThreshold(
                                        HarmBlockThreshold.Known.valueOf(constant(t))))
                                .build())));
    transcription(
        "transcription.input",
        props.transcription().input(),
        b::inputTranscription,
        b::inputTranscription);
    transcription(
        "transcription.output",
        props.transcription().output(),
        b::outputTranscription,
        b::outputTranscription);
    b.reconnectPolicy(reconnectPolicy);
  }

  /** {@code harassment} or {@code HARM_CATEGORY_HARASSMENT}: the SDK's constant. */
  private static String harmCategory(String key) {
    String c = constant(key);
    return c.startsWith("HARM_CATEGORY_") ? c : "HARM_CATEGORY_" + c;
  }

  /** {@code block-low-and-above} or {@code BLOCK_LOW_AND_ABOVE}: the SDK's constant. */
  private static String constant(String value) {
    return value.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
  }

  /** One side's transcription: off, on with the service's defaults, or tuned. */
  private static void transcription(
      String property,
      GeminiLiveProperties.Transcriptions.Side side,
      Consumer<Boolean> onOff,
      Consumer<Transcription> tuned) {
    if (Boolean.FALSE.equals(side.enabled())) {
      if (side.tuned()) {
        throw invalid(
            property + ".enabled",
            "false",
            "Transcription is off but "
                + property
                + " also sets vocabulary, languages or mode:"
                + " remove one or the other.");
      }
      onOff.accept(false);
    } else if (side.tuned()) {
      set(
          property,
          side,
          s -> tuned.accept(new Transcription(s.customVocabulary(), s.languageCodes(), s.mode())));
    } else if (Boolean.TRUE.equals(side.enabled())) {
      onOff.accept(true);
    }
  }

  /** Sets up {@code b} with the token properties that are set. */
  void apply(EphemeralTokenService.Builder b) {
    GeminiLiveProperties.Token t = props.token();
    b.apiKey(apiKey().orElseThrow());
    set("token.uses", t.uses(), b::uses);
    set("token.expire", t.expire(), b::expireAfter);
    set("token.new-session-expire", t.newSessionExpire(), b::newSessionExpireAfter);
    String baseUrl = t.baseUrl() != null ? t.baseUrl() : props.baseUrl();
    if (baseUrl != null) {
      b.baseUrl(baseUrl);
    }
  }

  private static ReconnectPolicy reconnectPolicy(GeminiLiveProperties.Reconnect r) {
    if (!r.enabled()) {
      return ReconnectPolicy.none();
    }
    ReconnectPolicy defaults = ReconnectPolicy.defaults();
    ReconnectPolicy p = defaults;
    if (r.initialDelay() != null || r.multiplier() != null || r.maxDelay() != null) {
      // ReconnectPolicy.defaults() is exponential(200 ms, 2.0, 8 s) with 0.2 jitter.
      Duration initial = r.initialDelay() != null ? r.initialDelay() : defaults.baseDelay(1);
      double multiplier = r.multiplier() != null ? r.multiplier() : 2.0;
      Duration max = r.maxDelay() != null ? r.maxDelay() : Duration.ofSeconds(8);
      try {
        p = ReconnectPolicy.exponential(initial, multiplier, max).withJitter(defaults.jitter());
      } catch (IllegalArgumentException e) {
        String property =
            e.getMessage().startsWith("multiplier")
                ? "reconnect.multiplier"
                : r.maxDelay() != null ? "reconnect.max-delay" : "reconnect.initial-delay";
        throw invalid(property, null, e.getMessage());
      }
    }
    ReconnectPolicy[] policy = {p};
    set("reconnect.jitter", r.jitter(), j -> policy[0] = policy[0].withJitter(j));
    set("reconnect.max-attempts", r.maxAttempts(), n -> policy[0] = policy[0].withMaxAttempts(n));
    set(
        "reconnect.max-reconnects",
        r.maxReconnects(),
        n -> policy[0] = policy[0].withMaxReconnects(n));
    return policy[0];
  }

  private static void checkTokenSettings(GeminiLiveProperties.Token t) {
    EphemeralTokenService.Builder check = EphemeralTokenService.builder().apiKey(CHECK_ONLY_KEY);
    set("token.uses", t.uses(), check::uses);
    set("token.expire", t.expire(), check::expireAfter);
    set("token.new-session-expire", t.newSessionExpire(), check::newSessionExpireAfter);
    Duration expire = t.expire() != null ? t.expire() : EphemeralTokenService.DEFAULT_EXPIRE;
    if (t.newSessionExpire() != null && t.newSessionExpire().compareTo(expire) > 0) {
      throw invalid(
          "token.new-session-expire",
          t.newSessionExpire(),
          "The window for new sessions exceeds the token's lifetime (gemini.live.token.expire="
              + expire
              + ").");
    }
    GeminiLiveProperties.Endpoint e = t.endpoint();
    if (!e.path().startsWith("/")) {
      throw invalid("token.endpoint.path", e.path(), "The path must start with '/'.");
    }
    if (e.rateLimit() < 1) {
      throw invalid("token.endpoint.rate-limit", e.rateLimit(), "Allow at least 1 token.");
    }
    if (e.rateWindow().isNegative() || e.rateWindow().isZero()) {
      throw invalid("token.endpoint.rate-window", e.rateWindow(), "The window must be positive.");
    }
  }

  /**
   * Passes a set value to a library setter; its IllegalArgumentException becomes a report naming
   * the property. Unset (null) values are skipped, keeping the library's default.
   */
  private static <T> void set(String property, @Nullable T value, Consumer<T> setter) {
    if (value == null) {
      return;
    }
    try {
      setter.accept(value);
    } catch (IllegalArgumentException e) {
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
