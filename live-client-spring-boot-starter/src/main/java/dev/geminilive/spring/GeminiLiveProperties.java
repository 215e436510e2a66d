package dev.geminilive.spring;

import dev.geminilive.MediaResolution;
import dev.geminilive.ThinkingLevel;
import dev.geminilive.TranscriptionMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code gemini.live.*} settings: credentials, model, voice, language, reconnect policy,
 * timeouts, ephemeral tokens and their endpoint, shutdown, metrics and traces.
 *
 * <pre>{@code
 * gemini.live.model=gemini-3.8-live
 * gemini.live.voice=Peri
 * gemini.live.language=en-US
 * gemini.live.reconnect.max-attempts=6
 * gemini.live.token.endpoint.enabled=true
 * gemini.live.media-resolution=LOW
 * gemini.live.transcription.input.custom-vocabulary=Laura,Brooklyn
 * gemini.live.transcription.output.enabled=true
 * gemini.live.labels.team=coaching
 * gemini.live.safety.harassment=block-low-and-above
 * }</pre>
 *
 * <p>Credentials: {@code gemini.live.api-key}, else the {@code GEMINI_API_KEY} environment
 * variable, else Vertex AI with Application Default Credentials when {@code
 * gemini.live.vertex.project} and {@code gemini.live.vertex.location} are set. A setting left unset
 * (null here) keeps the library's default, so the defaults live in one place: {@code
 * LiveSessionBuilder}, {@code ReconnectPolicy.defaults()} and {@code EphemeralTokenService}. Values
 * are checked when the application starts ({@link GeminiLiveAutoConfiguration}); a wrong one stops
 * the start with a message naming the property.
 *
 * <p>Immutable (bound once through the constructor) and thread-safe.
 *
 * @param apiKey Gemini API key; falls back to the GEMINI_API_KEY environment variable; never logged
 * @param baseUrl base URL of the Live service (a gateway, a regional endpoint, a test server)
 * @param apiVersion API version path segment, such as v1beta or v1alpha
 * @param model the Live model id (the library's default model when unset)
 * @param voice a prebuilt voice, such as Peri, Kore or Puck
 * @param language the language to speak and respond in, as a BCP-47 tag such as en-US
 * @param connectTimeout the longest a connect may take, setup included
 * @param pingInterval WebSocket ping interval; 0 turns pings off
 * @param stallTimeout the longest the model may stay silent mid-turn before the connection is taken
 *     for dead
 * @param toolTimeout the per-call time limit of a tool
 * @param vertex Vertex AI credentials
 * @param reconnect the reconnect policy
 * @param token ephemeral tokens and their endpoint
 * @param shutdown graceful shutdown
 * @param metrics Micrometer meters, with {@code live-client-micrometer} and a {@code MeterRegistry}
 * @param tracing OpenTelemetry spans, with {@code live-client-opentelemetry} and an {@code
 *     OpenTelemetry} bean
 * @param thinkingLevel the thinking level, on models that take one (LOW, MEDIUM or HIGH on
 *     gemini-3.8-live-extended-thinking; none on gemini-3.8-live)
 * @param mediaResolution how many tokens each image or video frame costs
 * @param explicitVadSignal whether the service sends its voice activity detection signals (Vertex
 *     AI only)
 * @param labels labels on the session's usage, for billing reports (Gemini API only)
 * @param safety per harm category ({@code harassment}, {@code dangerous-content}, ...: the SDK's
 *     {@code HarmCategory} without its prefix, in kebab case), the threshold from which a response
 *     is blocked ({@code block-low-and-above}, ...: the SDK's {@code HarmBlockThreshold})
 * @param transcription transcripts of the user's and the model's speech
 * @since 0.1
 */
@ConfigurationProperties(prefix = GeminiLiveProperties.PREFIX)
public record GeminiLiveProperties(
    @Nullable String apiKey,
    @Nullable String baseUrl,
    @Nullable String apiVersion,
    @Nullable String model,
    @Nullable String voice,
    @Nullable String language,
    @Nullable Duration connectTimeout,
    @Nullable Duration pingInterval,
    @Nullable Duration stallTimeout,
    @Nullable Duration toolTimeout,
    @DefaultValue Vertex vertex,
    @DefaultValue Reconnect reconnect,
    @DefaultValue Token token,
    @DefaultValue Shutdown shutdown,
    @DefaultValue Metrics metrics,
    @DefaultValue Tracing tracing,
    @Nullable ThinkingLevel thinkingLevel,
    @Nullable MediaResolution mediaResolution,
    @Nullable Boolean explicitVadSignal,
    @DefaultValue Map<String, String> labels,
    @DefaultValue Map<String, String> safety,
    @DefaultValue Transcriptions transcription) {

  /** The prefix of every property. */
  public static final String PREFIX = "gemini.live";

  /**
   * Binds the properties; copies the maps.
   *
   * @param apiKey Gemini API key
   * @param baseUrl base URL of the Live service
   * @param apiVersion API version path segment
   * @param model the Live model id
   * @param voice a prebuilt voice
   * @param language the language to speak and respond in
   * @param connectTimeout the longest a connect may take
   * @param pingInterval WebSocket ping interval
   * @param stallTimeout the longest the model may stay silent mid-turn
   * @param toolTimeout the per-call time limit of a tool
   * @param vertex Vertex AI credentials
   * @param reconnect the reconnect policy
   * @param token ephemeral tokens and their endpoint
   * @param shutdown graceful shutdown
   * @param metrics Micrometer meters
   * @param tracing OpenTelemetry spans
   * @param thinkingLevel the thinking level
   * @param mediaResolution the media resolution
   * @param explicitVadSignal whether the service sends its VAD signals
   * @param labels labels on the session's usage
   * @param safety thresholds per harm category
   * @param transcription transcripts of both sides
   */
  @ConstructorBinding
  public GeminiLiveProperties {
    labels = Map.copyOf(labels);
    safety = Map.copyOf(safety);
  }

  /**
   * The properties as they were before the 3.8 settings, which stay unset.
   *
   * @param apiKey Gemini API key
   * @param baseUrl base URL of the Live service
   * @param apiVersion API version path segment
   * @param model the Live model id
   * @param voice a prebuilt voice
   * @param language the language to speak and respond in
   * @param connectTimeout the longest a connect may take
   * @param pingInterval WebSocket ping interval
   * @param stallTimeout the longest the model may stay silent mid-turn
   * @param toolTimeout the per-call time limit of a tool
   * @param vertex Vertex AI credentials
   * @param reconnect the reconnect policy
   * @param token ephemeral tokens and their endpoint
   * @param shutdown graceful shutdown
   * @param metrics Micrometer meters
   * @param tracing OpenTelemetry spans
   */
  public GeminiLiveProperties(
      @Nullable String apiKey,
      @Nullable String baseUrl,
      @Nullable String apiVersion,
      @Nullable String model,
      @Nullable String voice,
      @Nullable String language,
      @Nullable Duration connectTimeout,
      @Nullable Duration pingInterval,
      @Nullable Duration stallTimeout,
      @Nullable Duration toolTimeout,
      Vertex vertex,
      Reconnect reconnect,
      Token token,
      Shutdown shutdown,
      Metrics metrics,
      Tracing tracing) {
    this(
        apiKey,
        baseUrl,
        apiVersion,
        model,
        voice,
        language,
        connectTimeout,
        pingInterval,
        stallTimeout,
        toolTimeout,
        vertex,
        reconnect,
        token,
        shutdown,
        metrics,
        tracing,
        null,
        null,
        null,
        Map.of(),
        Map.of(),
        new Transcriptions(Transcriptions.Side.UNSET, Transcriptions.Side.UNSET));
  }

  /**
   * Transcripts of the user's speech ({@code input}) and of the model's ({@code output}).
   *
   * @param input the user's side
   * @param output the model's side
   */
  public record Transcriptions(@DefaultValue Side input, @DefaultValue Side output) {
    /**
     * One side's transcription. Setting any of the tuning properties turns it on.
     *
     * @param enabled true or false to turn it on or off; unset keeps the library's default
     * @param customVocabulary domain terms the transcript should favour
     * @param languageCodes BCP-47 codes of the languages spoken
     * @param mode VERBATIM or SMART; unset for the service's default
     */
    public record Side(
        @Nullable Boolean enabled,
        @DefaultValue List<String> customVocabulary,
        @DefaultValue List<String> languageCodes,
        @Nullable TranscriptionMode mode) {
      /** Nothing set. */
      static final Side UNSET = new Side(null, List.of(), List.of(), null);

      /**
       * Copies the lists.
       *
       * @param enabled on, off, or unset
       * @param customVocabulary domain terms
       * @param languageCodes BCP-47 language codes
       * @param mode the transcription mode, or null
       */
      public Side {
        customVocabulary = List.copyOf(customVocabulary);
        languageCodes = List.copyOf(languageCodes);
      }

      /** Whether a tuning property is set. */
      boolean tuned() {
        return !customVocabulary.isEmpty() || !languageCodes.isEmpty() || mode != null;
      }
    }
  }

  /**
   * Vertex AI with Application Default Credentials: both or neither.
   *
   * @param project the Google Cloud project id
   * @param location the Vertex AI location, such as us-central1 or global
   */
  public record Vertex(@Nullable String project, @Nullable String location) {}

  /**
   * The reconnect policy: capped exponential backoff with jitter, or none. Unset values keep those
   * of {@code ReconnectPolicy.defaults()}.
   *
   * @param enabled false: the first lost connection ends the session
   * @param initialDelay delay before the first attempt of an outage
   * @param multiplier factor between consecutive delays; at least 1
   * @param maxDelay the longest delay between attempts
   * @param jitter random spread of each delay, between 0 and 1
   * @param maxAttempts failed attempts allowed in one outage
   * @param maxReconnects reconnects allowed over the life of one session
   */
  public record Reconnect(
      @DefaultValue("true") boolean enabled,
      @Nullable Duration initialDelay,
      @Nullable Double multiplier,
      @Nullable Duration maxDelay,
      @Nullable Double jitter,
      @Nullable Integer maxAttempts,
      @Nullable Integer maxReconnects) {}

  /**
   * Ephemeral tokens for browsers and other untrusted clients (Gemini API keys only). Unset values
   * keep {@code EphemeralTokenService}'s defaults.
   *
   * @param baseUrl base URL of the token service; defaults to gemini.live.base-url
   * @param uses sessions one token can open; 0 = unlimited
   * @param expire how long a token lives
   * @param newSessionExpire how long a token can open new sessions
   * @param endpoint the token endpoint
   */
  public record Token(
      @Nullable String baseUrl,
      @Nullable Integer uses,
      @Nullable Duration expire,
      @Nullable Duration newSessionExpire,
      @DefaultValue Endpoint endpoint) {}

  /**
   * The optional {@code POST /api/live/token} route of a servlet web application.
   *
   * @param enabled serves the route (off by default)
   * @param path the route's path
   * @param rateLimit tokens one principal may get per rate window
   * @param rateWindow the window of the rate limit
   */
  public record Endpoint(
      boolean enabled,
      @DefaultValue("/api/live/token") String path,
      @DefaultValue("5") int rateLimit,
      @DefaultValue("1m") Duration rateWindow) {}

  /**
   * Graceful shutdown of the sessions {@link LiveSessions} opened.
   *
   * @param toolGrace how long running tool calls may take to answer before their sessions are
   *     closed
   */
  public record Shutdown(@DefaultValue("5s") Duration toolGrace) {}

  /**
   * The meters of {@code live-client-micrometer}'s {@code GeminiLiveMetrics}, registered when that
   * module and a {@code MeterRegistry} bean are present.
   *
   * <pre>{@code
   * gemini.live.metrics.tags.app=coach
   * gemini.live.metrics.tags.region=eu-west
   * }</pre>
   *
   * @param enabled attaches the meters to every session (on by default)
   * @param tags tags on every Gemini Live meter, in addition to {@code model}. Keep them bounded
   *     and free of personal data: an application, a region or a tenant id, never a caller's
   *     number, a user's name or a session id
   */
  public record Metrics(
      @DefaultValue("true") boolean enabled, @DefaultValue Map<String, String> tags) {
    /**
     * Copies the tags.
     *
     * @param enabled attaches the meters to every session
     * @param tags tags on every Gemini Live meter
     */
    public Metrics {
      tags = Map.copyOf(tags);
    }
  }

  /**
   * The spans of {@code live-client-opentelemetry}'s {@code GeminiLiveTracing}, recorded when that
   * module and an {@code OpenTelemetry} bean are present.
   *
   * @param enabled attaches the tracing to every session (on by default)
   */
  public record Tracing(@DefaultValue("true") boolean enabled) {}
}
