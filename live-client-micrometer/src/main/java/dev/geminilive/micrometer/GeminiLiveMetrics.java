package dev.geminilive.micrometer;

import dev.geminilive.LiveObserver;
import dev.geminilive.SessionSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters for every Gemini Live session of an application: a {@link MeterBinder} for the
 * application and a {@link LiveObserver.Factory} to attach to each session.
 *
 * <pre>{@code
 * GeminiLiveMetrics metrics = GeminiLiveMetrics.builder().tags("app", "coach").build();
 * metrics.bindTo(registry);                       // once per application (Spring Boot does it)
 * ResilientLiveSession.builder()
 *     .observer(metrics.withTags(Tags.of("tenant", tenant, "campaign", campaign)))
 *     ...connect();                              // or .observer(metrics) without extra tags
 * }</pre>
 *
 * <h2>Meters</h2>
 *
 * Every meter carries the application's tags, the session's extra tags (from {@link #withTags} or
 * the builder's {@link Builder#sessionTags tag function}) and {@code model}. None carries a session
 * id, a user's words or a tool argument: tags are kept to bounded, non-personal values.
 *
 * <table>
 *   <caption>The meters</caption>
 *   <tr><th>name</th><th>type</th><th>extra tags</th><th>what</th></tr>
 *   <tr><td>{@value #SESSIONS_ACTIVE}</td><td>gauge</td><td>{@code state}</td>
 *       <td>sessions open now, by stage: {@code connecting} (first connection), {@code active},
 *       {@code resuming} (between connections)</td></tr>
 *   <tr><td>{@value #SESSIONS_STARTED}</td><td>counter</td><td></td><td>sessions started</td></tr>
 *   <tr><td>{@value #SESSIONS_ENDED}</td><td>counter</td><td>{@code outcome}</td>
 *       <td>{@code closed} by the application or {@code failed}</td></tr>
 *   <tr><td>{@value #CONNECTIONS_OPENED}</td><td>counter</td><td>{@code resumed}</td>
 *       <td>connections set up (each session has several: the service ends each after
 *       minutes)</td></tr>
 *   <tr><td>{@value #CONNECTIONS_FAILED}</td><td>counter</td><td></td>
 *       <td>connection attempts that failed before setup</td></tr>
 *   <tr><td>{@value #CONNECTIONS_CLOSED}</td><td>counter</td><td>{@code cause}</td>
 *       <td>connections that ended, by {@link LiveObserver.DisconnectCause} ({@code go_away},
 *       {@code planned}, {@code network}, {@code server_close}, {@code stalled}, {@code refused},
 *       {@code client_close})</td></tr>
 *   <tr><td>{@value #GO_AWAYS}</td><td>counter</td><td></td><td>{@code goAway} notices</td></tr>
 *   <tr><td>{@value #RECONNECTS}</td><td>counter</td><td>{@code cause}, {@code restoration}</td>
 *       <td>completed moves to a new connection, by what ended the old one ({@code go_away} for
 *       moves after a {@code goAway}, {@code planned} for moves the session planned itself) and what the model kept ({@code resumed}, {@code rebuilt_from_history},
 *       {@code lost})</td></tr>
 *   <tr><td>{@value #RECONNECT_ATTEMPTS}</td><td>counter</td><td>{@code planned}</td>
 *       <td>connection attempts after the first</td></tr>
 *   <tr><td>{@value #RESPONSE_LATENCY}</td><td>timer (histogram)</td><td>{@code first}</td>
 *       <td>from the end of the user's turn (text sent, end of activity or audio stream, tool
 *       response, or the service's end-of-speech signal) to the model's first content, {@code
 *       audio} or {@code text}</td></tr>
 *   <tr><td>{@value #TURNS}</td><td>counter</td><td>{@code reason}</td>
 *       <td>model turns completed, by {@code turnCompleteReason} ({@code none} if not sent)</td></tr>
 *   <tr><td>{@value #INTERRUPTIONS}</td><td>counter</td><td></td>
 *       <td>barge-ins (and replies cut off by a drop)</td></tr>
 *   <tr><td>{@value #TOOL_CALLS}</td><td>timer</td><td>{@code tool}, {@code outcome}</td>
 *       <td>tool calls by name, from dispatch to answer, by {@link LiveObserver.ToolOutcome}</td></tr>
 *   <tr><td>{@value #AUDIO_DROPPED}</td><td>counter</td><td></td>
 *       <td>input audio chunks dropped by the overflow policy</td></tr>
 *   <tr><td>{@value #MESSAGES_REPLAYED}</td><td>counter</td><td></td>
 *       <td>messages sent again after a reconnect</td></tr>
 *   <tr><td>{@value #TOKENS}</td><td>counter</td><td>{@code type}, {@code modality}</td>
 *       <td>tokens from each {@code usageMetadata}: {@code type} is {@code input}, {@code output},
 *       {@code thoughts}, {@code tool_use} or {@code cached}; {@code modality} is {@code audio},
 *       {@code text}, ... where the service broke the count down, else {@code all}</td></tr>
 * </table>
 *
 * <p>Sessions observed before {@link #bindTo} is called are counted from the moment it is. Thread-
 * safe; one instance serves any number of sessions and may be bound to one registry (bind a {@code
 * CompositeMeterRegistry} to report to several).
 *
 * @since 0.1
 */
public final class GeminiLiveMetrics implements MeterBinder, LiveObserver.Factory {
  /** Gauge: open sessions by {@code state}. */
  public static final String SESSIONS_ACTIVE = "gemini.live.sessions.active";

  /** Counter: sessions started. */
  public static final String SESSIONS_STARTED = "gemini.live.sessions.started";

  /** Counter: sessions ended, by {@code outcome}. */
  public static final String SESSIONS_ENDED = "gemini.live.sessions.ended";

  /** Counter: connections set up, by {@code resumed}. */
  public static final String CONNECTIONS_OPENED = "gemini.live.connections.opened";

  /** Counter: connection attempts that failed before setup. */
  public static final String CONNECTIONS_FAILED = "gemini.live.connections.failed";

  /** Counter: connections ended, by {@code cause}. */
  public static final String CONNECTIONS_CLOSED = "gemini.live.connections.closed";

  /** Counter: goAway notices. */
  public static final String GO_AWAYS = "gemini.live.goaways";

  /** Counter: completed reconnects and planned moves, by {@code cause} and {@code restoration}. */
  public static final String RECONNECTS = "gemini.live.reconnects";

  /** Counter: reconnect attempts, by {@code planned}. */
  public static final String RECONNECT_ATTEMPTS = "gemini.live.reconnect.attempts";

  /** Timer: time from the end of the user's turn to the model's first content. */
  public static final String RESPONSE_LATENCY = "gemini.live.response.latency";

  /** Counter: model turns completed, by {@code reason}. */
  public static final String TURNS = "gemini.live.turns";

  /** Counter: interruptions. */
  public static final String INTERRUPTIONS = "gemini.live.interruptions";

  /** Timer: tool calls, by {@code tool} and {@code outcome}. */
  public static final String TOOL_CALLS = "gemini.live.tool.calls";

  /** Counter: input audio chunks dropped. */
  public static final String AUDIO_DROPPED = "gemini.live.audio.dropped";

  /** Counter: messages replayed after reconnects. */
  public static final String MESSAGES_REPLAYED = "gemini.live.messages.replayed";

  /** Counter: tokens, by {@code type} and {@code modality}. */
  public static final String TOKENS = "gemini.live.tokens";

  private final Tags tags;
  private final BiFunction<String, SessionSpec, Iterable<Tag>> sessionTags;
  private final boolean histograms;
  private volatile @Nullable MeterRegistry registry;
  private final ActiveSessions active = new ActiveSessions(() -> registry);

  private GeminiLiveMetrics(Builder b) {
    this.tags = b.tags;
    this.sessionTags = b.sessionTags;
    this.histograms = b.histograms;
  }

  /**
   * Metrics with no application tags.
   *
   * @return a new instance, not yet bound to a registry
   */
  public static GeminiLiveMetrics create() {
    return builder().build();
  }

  /**
   * Metrics with no application tags, bound to {@code registry}.
   *
   * @param registry where the meters go
   * @return a new instance, bound
   */
  public static GeminiLiveMetrics of(MeterRegistry registry) {
    GeminiLiveMetrics metrics = create();
    metrics.bindTo(registry);
    return metrics;
  }

  /**
   * A builder for metrics with application tags or a per-session tag function.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    synchronized (this) {
      if (this.registry != null && this.registry != registry) {
        throw new IllegalStateException(
            "GeminiLiveMetrics is already bound to a registry; bind a CompositeMeterRegistry to"
                + " report to several.");
      }
      this.registry = registry;
    }
    active.bindTo(registry);
  }

  /**
   * A factory for sessions that carry extra tags, such as tenant or campaign. Keep the values
   * bounded and free of personal data (a tenant id, not a caller's number).
   *
   * @param extra the session's tags, added to the application's
   * @return a factory to pass to {@code LiveSessionBuilder.observer(...)}
   */
  public LiveObserver.Factory withTags(Iterable<Tag> extra) {
    Tags extraTags = Tags.of(extra);
    return (sessionId, spec) -> new SessionMetrics(this, tagsFor(sessionId, spec).and(extraTags));
  }

  @Override
  public LiveObserver create(String sessionId, SessionSpec spec) {
    return new SessionMetrics(this, tagsFor(sessionId, spec));
  }

  private Tags tagsFor(String sessionId, SessionSpec spec) {
    return tags.and("model", spec.model()).and(sessionTags.apply(sessionId, spec));
  }

  /** The registry bound, or null before {@link #bindTo}. */
  @Nullable MeterRegistry registry() {
    return registry;
  }

  boolean histograms() {
    return histograms;
  }

  ActiveSessions activeSessions() {
    return active;
  }

  /**
   * Builds {@link GeminiLiveMetrics}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private Tags tags = Tags.empty();
    private BiFunction<String, SessionSpec, Iterable<Tag>> sessionTags = (id, spec) -> Tags.empty();
    private boolean histograms = true;

    private Builder() {}

    /**
     * Tags on every meter, such as the application or region.
     *
     * @param keyValues tag keys and values, alternating
     * @return this builder
     */
    public Builder tags(String... keyValues) {
      this.tags = tags.and(keyValues);
      return this;
    }

    /**
     * Tags on every meter.
     *
     * @param tags the tags to add
     * @return this builder
     */
    public Builder tags(Iterable<Tag> tags) {
      this.tags = this.tags.and(tags);
      return this;
    }

    /**
     * Tags computed for each session from its id and spec (for instance from a tenant the
     * application keeps per session id). Keep the values bounded and free of personal data; the
     * session id itself is not a good tag.
     *
     * @param function returns the session's extra tags; must be fast and must not throw
     * @return this builder
     */
    public Builder sessionTags(BiFunction<String, SessionSpec, Iterable<Tag>> function) {
      this.sessionTags = Objects.requireNonNull(function, "function");
      return this;
    }

    /**
     * Whether the response latency timer publishes a percentile histogram (on by default, so that a
     * backend can compute the 95th percentile across instances).
     *
     * @param enabled false to publish count, sum and max only
     * @return this builder
     */
    public Builder percentileHistograms(boolean enabled) {
      this.histograms = enabled;
      return this;
    }

    /**
     * Builds the metrics; bind them with {@link GeminiLiveMetrics#bindTo}.
     *
     * @return the metrics
     */
    public GeminiLiveMetrics build() {
      return new GeminiLiveMetrics(this);
    }
  }
}
