package dev.geminilive.micrometer;

import dev.geminilive.ContextRestoration;
import dev.geminilive.LiveException;
import dev.geminilive.LiveObserver;
import dev.geminilive.Reconnecting;
import dev.geminilive.SessionSpec;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

  private static final String[] STATES = {"connecting", "active", "resuming"};

  private final Tags tags;
  private final BiFunction<String, SessionSpec, Iterable<Tag>> sessionTags;
  private final boolean histograms;
  private volatile @Nullable MeterRegistry registry;

  /** Open sessions by their full tag set; index into {@link #STATES}. */
  private final Map<Tags, AtomicInteger[]> active = new ConcurrentHashMap<>();

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
    for (Map.Entry<Tags, AtomicInteger[]> e : active.entrySet()) {
      registerGauges(registry, e.getKey(), e.getValue());
    }
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
    return (sessionId, spec) -> new SessionMetrics(tagsFor(sessionId, spec).and(extraTags));
  }

  @Override
  public LiveObserver create(String sessionId, SessionSpec spec) {
    return new SessionMetrics(tagsFor(sessionId, spec));
  }

  private Tags tagsFor(String sessionId, SessionSpec spec) {
    return tags.and("model", spec.model()).and(sessionTags.apply(sessionId, spec));
  }

  private AtomicInteger[] activeFor(Tags sessionTags) {
    return active.computeIfAbsent(
        sessionTags,
        t -> {
          AtomicInteger[] counts = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
          MeterRegistry r = registry;
          if (r != null) {
            registerGauges(r, t, counts);
          }
          return counts;
        });
  }

  private static void registerGauges(MeterRegistry r, Tags t, AtomicInteger[] counts) {
    for (int i = 0; i < STATES.length; i++) {
      Gauge.builder(SESSIONS_ACTIVE, counts[i], AtomicInteger::get)
          .tags(t.and("state", STATES[i]))
          .description("Open Gemini Live sessions by stage")
          .baseUnit("sessions")
          .register(r);
    }
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  /** The observer of one session. Thread-safe (see {@link LiveObserver}). */
  private final class SessionMetrics implements LiveObserver {
    private final Tags sessionTags;
    private final AtomicInteger[] states;
    // Index into STATES, or -1 once ended; guarded by this.
    private int state = 0;
    private volatile long replyRequestedNanos = -1;
    private volatile DisconnectCause lastCause = DisconnectCause.NETWORK;
    private volatile boolean resuming;

    SessionMetrics(Tags sessionTags) {
      this.sessionTags = sessionTags;
      this.states = activeFor(sessionTags);
      states[0].incrementAndGet();
      count(SESSIONS_STARTED, Tags.empty(), "Gemini Live sessions started", 1);
    }

    private synchronized void moveTo(int next) {
      if (state == -1 || state == next) {
        return;
      }
      states[state].decrementAndGet();
      state = next;
      if (next >= 0) {
        states[next].incrementAndGet();
      }
    }

    private void count(String name, Tags extra, String description, double amount) {
      MeterRegistry r = registry;
      if (r == null) {
        return;
      }
      Counter.builder(name)
          .tags(sessionTags.and(extra))
          .description(description)
          .register(r)
          .increment(amount);
    }

    private void time(String name, Tags extra, String description, long nanos, boolean histogram) {
      MeterRegistry r = registry;
      if (r == null) {
        return;
      }
      Timer.builder(name)
          .tags(sessionTags.and(extra))
          .description(description)
          .publishPercentileHistogram(histogram && histograms)
          .register(r)
          .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void connectionStarted(int connection, boolean resuming) {
      this.resuming = resuming;
    }

    @Override
    public void connectionOpened(int connection, @Nullable String serviceSessionId) {
      moveTo(1);
      count(
          CONNECTIONS_OPENED,
          Tags.of("resumed", Boolean.toString(resuming)),
          "Gemini Live connections set up",
          1);
    }

    @Override
    public void connectionFailed(int connection, LiveException error) {
      count(CONNECTIONS_FAILED, Tags.empty(), "Gemini Live connection attempts that failed", 1);
    }

    @Override
    public void connectionClosed(
        int connection, DisconnectCause cause, int closeCode, String reason) {
      lastCause = cause;
      if (cause != DisconnectCause.CLIENT_CLOSE && cause != DisconnectCause.REFUSED) {
        moveTo(2);
      }
      count(CONNECTIONS_CLOSED, Tags.of("cause", lower(cause)), "Gemini Live connections ended", 1);
    }

    @Override
    public void goAway(Duration timeLeft) {
      count(GO_AWAYS, Tags.empty(), "goAway notices from the service", 1);
    }

    @Override
    public void reconnecting(Reconnecting event) {
      count(
          RECONNECT_ATTEMPTS,
          Tags.of("planned", Boolean.toString(event.planned())),
          "Gemini Live reconnect attempts",
          1);
    }

    @Override
    public void reconnected(ContextRestoration restoration) {
      count(
          RECONNECTS,
          Tags.of("cause", lower(lastCause), "restoration", lower(restoration)),
          "Gemini Live sessions moved to a new connection",
          1);
    }

    @Override
    public void replyRequested() {
      replyRequestedNanos = System.nanoTime();
    }

    @Override
    public void modelTurnStarted(boolean audio) {
      long requested = replyRequestedNanos;
      if (requested < 0) {
        return; // the model spoke first (a greeting, proactive audio): no turn to answer
      }
      replyRequestedNanos = -1;
      time(
          RESPONSE_LATENCY,
          Tags.of("first", audio ? "audio" : "text"),
          "From the end of the user's turn to the model's first content",
          System.nanoTime() - requested,
          true);
    }

    @Override
    public void interrupted() {
      count(INTERRUPTIONS, Tags.empty(), "Barge-ins and replies cut off", 1);
    }

    @Override
    public void turnComplete(@Nullable String reason) {
      count(
          TURNS,
          Tags.of("reason", reason == null ? "none" : reason.toLowerCase(Locale.ROOT)),
          "Model turns completed",
          1);
    }

    @Override
    public void usage(Usage usage) {
      tokens("input", usage.promptTokenCount(), usage.promptTokensByModality());
      tokens("output", usage.responseTokenCount(), usage.responseTokensByModality());
      tokens("thoughts", usage.thoughtsTokenCount(), Map.of());
      tokens("tool_use", usage.toolUsePromptTokenCount(), Map.of());
      tokens("cached", usage.cachedContentTokenCount(), Map.of());
    }

    private void tokens(String type, int total, Map<String, Integer> byModality) {
      if (byModality.isEmpty()) {
        if (total > 0) {
          count(
              TOKENS, Tags.of("type", type, "modality", "all"), "Tokens reported by usage", total);
        }
        return;
      }
      for (Map.Entry<String, Integer> e : byModality.entrySet()) {
        if (e.getValue() > 0) {
          count(
              TOKENS,
              Tags.of("type", type, "modality", e.getKey().toLowerCase(Locale.ROOT)),
              "Tokens reported by usage",
              e.getValue());
        }
      }
    }

    @Override
    public void toolCallEnded(ToolCallEvent call, ToolOutcome outcome, Duration elapsed) {
      time(
          TOOL_CALLS,
          Tags.of("tool", call.name(), "outcome", lower(outcome)),
          "Tool calls from dispatch to answer",
          elapsed.toNanos(),
          false);
    }

    @Override
    public void audioDropped(int chunks) {
      count(AUDIO_DROPPED, Tags.empty(), "Input audio chunks dropped", chunks);
    }

    @Override
    public void messagesReplayed(int messages) {
      count(MESSAGES_REPLAYED, Tags.empty(), "Messages replayed after reconnects", messages);
    }

    @Override
    public void sessionEnded(@Nullable LiveException failure) {
      moveTo(-1);
      count(
          SESSIONS_ENDED,
          Tags.of("outcome", failure == null ? "closed" : "failed"),
          "Gemini Live sessions ended",
          1);
    }
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
