package dev.geminilive;

import dev.geminilive.flow.Flow;
import dev.geminilive.flow.Stage;
import dev.geminilive.internal.RealLiveSession;
import dev.geminilive.internal.Secrets;
import dev.geminilive.tools.ToolRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Describes a Live session in a few readable lines, checks it against what the model accepts, and
 * connects it.
 *
 * <pre>{@code
 * try (ResilientLiveSession session =
 *     ResilientLiveSession.builder()
 *         .apiKey(System.getenv("GEMINI_API_KEY"))
 *         .voice("Peri")
 *         .language("en-US")
 *         .persona("You are Laura, a career coach from Brooklyn, NY. ...")
 *         .rule("Intake: ask for full name, date of birth and state, then call `create_client_profile`.")
 *         .guardrail("Never reinforce negativity.")
 *         .tools(new CoachTools())
 *         .listener(listener)
 *         .connect()) {
 *   session.sendText("Hello");
 * }
 * }</pre>
 *
 * <p>Defaults: model {@value ModelProfile#GEMINI_3_8_LIVE}, AUDIO responses, input and output
 * transcription on, automatic activity detection, context window compression on (trigger {@value
 * ContextCompression#DEFAULT_TRIGGER_TOKENS}, target {@value
 * ContextCompression#DEFAULT_TARGET_TOKENS} tokens), session resumption on, {@link
 * ReconnectPolicy#defaults()}, the API key from the {@code GEMINI_API_KEY} environment variable
 * when no other credentials are given.
 *
 * <p>Setters check their own argument; {@link #build()} checks the whole and throws {@link
 * LiveConfigException} naming the setting at fault when the model cannot run the session. Not
 * thread-safe: build on one thread, then share the {@link SessionSpec} or the session.
 *
 * <p>The setters are grouped by what they configure, each group in a package-private part this
 * class extends (connection and credentials, generation, instruction and tools, realtime input,
 * long sessions); this class adds the listener, the observers and the terminal operations.
 *
 * @since 0.1
 */
public final class LiveSessionBuilder extends LongSessionSetters {
  /** The environment variable read when no credentials are given. */
  public static final String API_KEY_ENV = "GEMINI_API_KEY";

  /** Default connect timeout, setup included. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(15);

  /** Default WebSocket ping interval; generous because the service's pongs can be slow. */
  public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(30);

  /** Default time the model may stay silent mid-turn before the connection is taken for dead. */
  public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(20);

  /** Default age limit of input replayed after a resume. */
  public static final Duration DEFAULT_REPLAY_WINDOW = Duration.ofSeconds(30);

  /** Default bound on input kept for replay and queued while reconnecting. */
  public static final long DEFAULT_MAX_QUEUED_BYTES = 8L * 1024 * 1024;

  /** Default per-call tool timeout. */
  public static final Duration DEFAULT_TOOL_TIMEOUT = Duration.ofSeconds(30);

  /** A builder with the defaults. Prefer {@link ResilientLiveSession#builder()}. */
  public LiveSessionBuilder() {
    this(new SessionSettings());
  }

  /** A builder over these settings, which it owns from now on ({@link SessionSpec#toBuilder()}). */
  LiveSessionBuilder(SessionSettings settings) {
    super(settings);
  }

  /**
   * Receives the session's events.
   *
   * @param listener the listener; its methods are called one at a time, in order, in the session's
   *     tasks (on the scheduler's shared threads, never a socket's reader)
   * @return this builder
   */
  public LiveSessionBuilder listener(LiveListener listener) {
    s.listener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /**
   * Adds an observer factory: each session gets its own observer from it, for metrics, tracing or
   * logs (see {@link LiveObserver}). May be called more than once; every observer sees every event,
   * in the order they were added. Observers cannot change what the session does.
   *
   * <pre>{@code
   * builder.observer(GeminiLiveMetrics.of(registry)).observer(GeminiLiveTracing.create(openTelemetry));
   * }</pre>
   *
   * @param factory creates the observer of each session
   * @return this builder
   */
  public LiveSessionBuilder observer(LiveObserver.Factory factory) {
    s.observers.add(Objects.requireNonNull(factory, "factory"));
    return this;
  }

  /**
   * Sets where the session's time and work come from (default {@link LiveScheduler#system()},
   * shared by every session). Tests pass the testkit's {@code ManualScheduler} to run time-driven
   * behaviour (the {@code goAway} deadline, backoff, stall detection, timeouts) in virtual time.
   *
   * @param scheduler the clock and threads for the session's work
   * @return this builder
   */
  public LiveSessionBuilder scheduler(LiveScheduler scheduler) {
    s.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    return this;
  }

  // ---- terminal operations ----

  /**
   * Checks everything and returns the immutable spec.
   *
   * @return the spec, immutable and reusable for any number of sessions
   * @throws LiveConfigException when the model cannot run this session
   * @throws IllegalStateException when no credentials are given and {@value #API_KEY_ENV} is unset
   */
  public SessionSpec build() {
    SessionSettings given = s.copy();
    if (given.flow != null) {
      enterFlow(given, given.flow);
    }
    return spec(given);
  }

  /**
   * Gives {@code given} the first stage's instruction and tools, after checking that nothing else
   * gives them and that every stage's context passes the checks a spec does (so a stage change
   * cannot fail on a bad stage in the middle of a conversation).
   */
  private static void enterFlow(SessionSettings given, Flow flow) {
    if (given.instruction != null
        || given.rawInstruction != null
        || given.instructionParts != null
        || !given.toolHandlers.isEmpty()) {
      throw new IllegalStateException(
          "A flow gives the instruction and tools of each stage: give the persona, shared rules,"
              + " guidelines, guardrails and tools to Flow.builder(), not to persona(..), rule(..),"
              + " guideline(..), guardrail(..), systemInstruction(..) or tools(..) of the session"
              + " builder.");
    }
    SessionSpec checked = null;
    for (Stage stage : flow.stages()) {
      SessionSettings check = given.copy();
      flow.contextOf(stage.name(), Map.of()).applyTo(check);
      try {
        checked = spec(check);
      } catch (LiveConfigException e) {
        throw new LiveConfigException(
            e.field(), "Stage '" + stage.name() + "' of the flow: " + e.getMessage());
      }
    }
    if (checked != null
        && flow.stages().size() > 1
        && !checked.profile().contextUpdates()
        && !checked.reconnectPolicy().enabled()) {
      throw new LiveConfigException(
          "flow",
          checked.model()
              + " changes a flow's stage only by moving to a new connection, and the reconnect"
              + " policy is none(): the flow could never leave its first stage. Use a model that"
              + " takes contextUpdate (gemini-3.8-live), or a reconnect policy that reconnects.");
    }
    if (checked != null
        && flow.stages().size() > 1
        && checked.auth() instanceof LiveAuth.EphemeralToken) {
      throw new LiveConfigException(
          "flow",
          "A flow changes its stage's instruction and tools mid-session, which the setup an"
              + " ephemeral token locks does not allow: the flow could never leave its first stage."
              + " Run the flow on a trusted server with an API key.");
    }
    flow.contextOf(flow.start().name(), Map.of()).applyTo(given);
  }

  /**
   * The spec of {@code given}, which it owns from now on: what the settings imply (the profile, the
   * credentials, the tools as the model declares them, the rendered instruction), then every check.
   * The one way a spec is made, by {@link #build()} and {@link SessionSpec#withContext}.
   */
  static SessionSpec spec(SessionSettings given) {
    ModelProfile profile = given.profile != null ? given.profile : ModelProfile.of(given.model);
    LiveAuth auth = given.auth != null ? given.auth : apiKeyFromEnvironment();
    ToolRegistry tools =
        (given.toolHandlers.isEmpty()
                ? ToolRegistry.empty()
                : ToolRegistry.of(given.toolHandlers.toArray()))
            .withDefaultBehavior(profile.defaultToolBehavior());
    SessionSpec spec =
        new SessionSpec(given, profile, auth, tools, InstructionRendering.render(given, tools));
    SpecChecks.check(spec);
    return spec;
  }

  private static LiveAuth apiKeyFromEnvironment() {
    String env = System.getenv(API_KEY_ENV);
    if (env == null || env.isBlank()) {
      throw new IllegalStateException(
          "No credentials: call apiKey(...), ephemeralToken(...), vertexAi(...), client(...) or"
              + " auth(...), or set the "
              + API_KEY_ENV
              + " environment variable.");
    }
    String problem = Secrets.problem(env);
    if (problem != null) {
      throw new IllegalStateException(
          "The "
              + API_KEY_ENV
              + " environment variable has "
              + problem
              + ". Keys are printable ASCII without spaces: set it without the line break or"
              + " spaces. (The value is not shown.)");
    }
    return new LiveAuth.ApiKey(env);
  }

  /**
   * Builds the spec and opens the session, waiting until the first connection is set up.
   *
   * @return the open session, in state {@link SessionState#ACTIVE}; the caller closes it
   * @throws LiveConfigException when the model cannot run this session
   * @throws LiveConnectException when the first connection fails (not retried: a first connect that
   *     fails usually means a wrong key or setup)
   * @throws LiveException when the calling thread is interrupted while it waits; the session is
   *     then closed and the thread's interrupt flag stays set
   */
  public ResilientLiveSession connect() {
    return RealLiveSession.connect(build());
  }

  /**
   * Builds the spec and opens the session without blocking.
   *
   * <p>The future is the caller's own. Completing it before the session opened (with {@code
   * cancel}, {@code orTimeout}, {@code completeExceptionally}...) closes the session and releases
   * its connection; the listener then gets {@link LiveListener#onClosed} and nothing else.
   *
   * @return a future that completes with the open session, or exceptionally with a {@link
   *     LiveException}
   */
  public CompletableFuture<ResilientLiveSession> connectAsync() {
    SessionSpec spec = build();
    return RealLiveSession.connectAsync(spec);
  }

  @Override
  LiveSessionBuilder self() {
    return this;
  }
}
