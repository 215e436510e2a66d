package dev.geminilive;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.genai.Client;
import dev.geminilive.instruction.InstructionCheck;
import dev.geminilive.instruction.SystemInstruction;
import dev.geminilive.internal.RealLiveSession;
import dev.geminilive.internal.Secrets;
import dev.geminilive.tools.ToolRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;

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
 * <p>Defaults: model {@value ModelProfile#GEMINI_3_1_FLASH_LIVE}, AUDIO responses, input and output
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
 * @since 0.1
 */
public final class LiveSessionBuilder {
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

  /** Everything given so far, as given. */
  private final SessionSettings s;

  /** A builder with the defaults. Prefer {@link ResilientLiveSession#builder()}. */
  public LiveSessionBuilder() {
    this(new SessionSettings());
  }

  /** A builder over these settings, which it owns from now on ({@link SessionSpec#toBuilder()}). */
  LiveSessionBuilder(SessionSettings settings) {
    this.s = settings;
  }

  // ---- model and endpoint ----

  /**
   * The model id, such as {@code gemini-3.1-flash-live-preview} ({@code models/} is optional).
   *
   * @param model the model id, with or without the {@code models/} prefix
   * @return this builder
   */
  public LiveSessionBuilder model(String model) {
    String m = LiveAuth.requireText(model, "model");
    s.model = m.startsWith("models/") ? m.substring("models/".length()) : m;
    return this;
  }

  /**
   * Overrides the model's profile (for models the library does not know yet).
   *
   * @param profile the capabilities to assume for the model
   * @return this builder
   */
  public LiveSessionBuilder modelProfile(ModelProfile profile) {
    s.profile = Objects.requireNonNull(profile, "profile");
    return this;
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
    return this;
  }

  /**
   * The API version ({@code v1beta} by default; ephemeral tokens switch to {@code v1alpha}).
   *
   * @param apiVersion the version path segment, such as {@code v1beta} or {@code v1alpha}
   * @return this builder
   */
  public LiveSessionBuilder apiVersion(String apiVersion) {
    s.apiVersion = LiveAuth.requireText(apiVersion, "apiVersion");
    return this;
  }

  /**
   * The OkHttp client connections are derived from (with {@code newBuilder()}): proxies, custom
   * TLS, shared pools. Its dispatcher is never shut down by the library, and each connection's
   * socket reader runs on its dispatcher's executor: with OkHttp's default executor those threads
   * are not daemons and idle for a minute, so a program that returns from {@code main} waits for
   * them. Give the client a {@code Dispatcher} over daemon threads, or leave this unset: the
   * library's own client uses daemon threads only.
   *
   * @param httpClient the client to derive connections from; the session does not shut it down
   * @return this builder
   */
  public LiveSessionBuilder httpClient(OkHttpClient httpClient) {
    s.httpClient = Objects.requireNonNull(httpClient, "httpClient");
    return this;
  }

  /**
   * Which connector carries the frames ({@link Transport#OKHTTP} by default).
   *
   * @param transport the connector to use
   * @return this builder
   */
  public LiveSessionBuilder transport(Transport transport) {
    s.transport = Objects.requireNonNull(transport, "transport");
    return this;
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
    return this;
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
    return this;
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
    return this;
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
    return this;
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
    return this;
  }

  /**
   * The credentials of an existing SDK client (its API key, or its Vertex AI settings).
   *
   * @param client the SDK client whose API key or Vertex AI settings are used
   * @return this builder
   */
  public LiveSessionBuilder client(Client client) {
    s.auth = new LiveAuth.SdkClient(client);
    return this;
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
    return this;
  }

  // ---- generation ----

  /**
   * What the model answers with ({@link ResponseModality#AUDIO} by default).
   *
   * @param modality {@code AUDIO} or {@code TEXT}; the model must support it
   * @return this builder
   */
  public LiveSessionBuilder responseModality(ResponseModality modality) {
    s.responseModality = Objects.requireNonNull(modality, "modality");
    return this;
  }

  /**
   * A prebuilt voice, such as {@code Puck}, {@code Kore} or {@code Peri}.
   *
   * @param voiceName the voice name as the API spells it
   * @return this builder
   */
  public LiveSessionBuilder voice(String voiceName) {
    s.voice = LiveAuth.requireText(voiceName, "voiceName");
    return this;
  }

  /**
   * The language to speak and respond in, as a BCP-47 tag such as {@code en-US}: sets the speech
   * config's language code and adds the directive {@code RESPOND IN ENGLISH. YOU MUST RESPOND
   * UNMISTAKABLY IN ENGLISH.} to the system instruction.
   *
   * @param languageTag a BCP-47 language tag
   * @return this builder
   */
  public LiveSessionBuilder language(String languageTag) {
    String tag = LiveAuth.requireText(languageTag, "languageTag");
    Locale locale = Locale.forLanguageTag(tag);
    if (locale.getLanguage().isEmpty()) {
      throw new IllegalArgumentException("not a BCP-47 language tag: " + tag);
    }
    s.languageTag = tag;
    return this;
  }

  /**
   * Sampling temperature (0 to 2).
   *
   * @param temperature the temperature, from 0 to 2
   * @return this builder
   */
  public LiveSessionBuilder temperature(double temperature) {
    if (!(temperature >= 0 && temperature <= 2)) {
      throw new IllegalArgumentException("temperature must be between 0 and 2: " + temperature);
    }
    s.temperature = (float) temperature;
    return this;
  }

  /**
   * Nucleus sampling (0 to 1).
   *
   * @param topP the cumulative probability cut-off, above 0 and at most 1
   * @return this builder
   */
  public LiveSessionBuilder topP(double topP) {
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("topP must be in (0, 1]: " + topP);
    }
    s.topP = (float) topP;
    return this;
  }

  /**
   * Top-k sampling.
   *
   * @param topK how many of the most likely tokens are sampled from; positive
   * @return this builder
   */
  public LiveSessionBuilder topK(int topK) {
    if (topK <= 0) {
      throw new IllegalArgumentException("topK must be positive: " + topK);
    }
    s.topK = (float) topK;
    return this;
  }

  /**
   * Output token cap per turn.
   *
   * @param tokens the maximum number of output tokens per turn; positive
   * @return this builder
   */
  public LiveSessionBuilder maxOutputTokens(int tokens) {
    if (tokens <= 0) {
      throw new IllegalArgumentException("maxOutputTokens must be positive: " + tokens);
    }
    s.maxOutputTokens = tokens;
    return this;
  }

  /**
   * Sampling seed.
   *
   * @param seed the seed; the same seed makes answers more repeatable, not identical
   * @return this builder
   */
  public LiveSessionBuilder seed(int seed) {
    s.seed = seed;
    return this;
  }

  /**
   * Thinking level, for models that think by level (3.1 Flash Live).
   *
   * @param level the thinking level
   * @return this builder
   */
  public LiveSessionBuilder thinkingLevel(ThinkingLevel level) {
    s.thinkingLevel = Objects.requireNonNull(level, "level");
    return this;
  }

  /**
   * Thinking budget in tokens (0 off, -1 automatic), for models that think by budget (2.5).
   *
   * @param tokens the budget in tokens; 0 turns thinking off, -1 lets the model decide
   * @return this builder
   */
  public LiveSessionBuilder thinkingBudget(int tokens) {
    if (tokens < -1) {
      throw new IllegalArgumentException("thinkingBudget must be -1, 0 or positive: " + tokens);
    }
    s.thinkingBudget = tokens;
    return this;
  }

  /**
   * Asks the model to send its thoughts (as thought parts, see {@link LiveListener#onThought}).
   * Some models send thoughts without being asked (2.5 native audio); {@code false} asks for none,
   * but a listener should still expect {@code onThought}.
   *
   * @param include true to receive thoughts
   * @return this builder
   */
  public LiveSessionBuilder includeThoughts(boolean include) {
    s.includeThoughts = include;
    return this;
  }

  /**
   * Affective dialog (models that support it). Experimental: only a preview model offers it.
   *
   * @param enabled true to turn affective dialog on
   * @return this builder
   */
  @Experimental
  public LiveSessionBuilder affectiveDialog(boolean enabled) {
    s.affectiveDialog = enabled;
    return this;
  }

  /**
   * Proactive audio: the model may stay silent on irrelevant input (models that support it).
   * Experimental: only a preview model offers it.
   *
   * @param enabled true to turn proactive audio on
   * @return this builder
   */
  @Experimental
  public LiveSessionBuilder proactiveAudio(boolean enabled) {
    s.proactiveAudio = enabled;
    return this;
  }

  // ---- system instruction ----

  /**
   * The persona section (50 to 100 words work best). Personal data the app knows goes here.
   *
   * @param persona the persona text; not blank
   * @return this builder
   */
  public LiveSessionBuilder persona(String persona) {
    parts().persona(LiveAuth.requireText(persona, "persona"));
    return this;
  }

  /**
   * Adds the next numbered conversational rule. Name tools in backticks: {@code `tool_name`}.
   *
   * @param rule the rule text; not blank
   * @return this builder
   */
  public LiveSessionBuilder rule(String rule) {
    parts().rule(LiveAuth.requireText(rule, "rule"));
    return this;
  }

  /**
   * Adds the next numbered conversational rule with a bold title, rendered as {@code N. **Title:**
   * text}, as in the guides' examples.
   *
   * @param title the rule's title, shown in bold; not blank
   * @param text the rule itself; name tools in backticks; not blank
   * @return this builder
   */
  public LiveSessionBuilder rule(String title, String text) {
    parts().rule(LiveAuth.requireText(title, "title"), LiveAuth.requireText(text, "text"));
    return this;
  }

  /**
   * Adds a general guideline.
   *
   * @param guideline the guideline text; not blank
   * @return this builder
   */
  public LiveSessionBuilder guideline(String guideline) {
    parts().guideline(LiveAuth.requireText(guideline, "guideline"));
    return this;
  }

  /**
   * Adds a guardrail.
   *
   * @param guardrail the guardrail text; not blank
   * @return this builder
   */
  public LiveSessionBuilder guardrail(String guardrail) {
    parts().guardrail(LiveAuth.requireText(guardrail, "guardrail"));
    return this;
  }

  /**
   * A complete structured system instruction (replaces persona, rules, guidelines, guardrails).
   *
   * @param instruction the instruction to send
   * @return this builder
   */
  public LiveSessionBuilder systemInstruction(SystemInstruction instruction) {
    s.instruction = Objects.requireNonNull(instruction, "instruction");
    s.rawInstruction = null;
    return this;
  }

  /**
   * A system instruction as plain text, used as it is.
   *
   * @param text the instruction text, sent unchanged
   * @return this builder
   */
  public LiveSessionBuilder systemInstruction(String text) {
    s.rawInstruction = LiveAuth.requireText(text, "text");
    s.instruction = null;
    return this;
  }

  /**
   * Turns checks of the structured system instruction off. By default {@link #build()} runs every
   * {@link InstructionCheck} (see {@link SystemInstruction#lint(Set)}): a tool named in the
   * instruction but not declared fails the build; a declared tool the instruction never mentions,
   * and a persona far from the recommended length, are logged once as warnings. Plain-text
   * instructions ({@link #systemInstruction(String)}) are never checked.
   *
   * @param checks the checks to leave out
   * @return this builder
   */
  public LiveSessionBuilder ignoreInstructionChecks(InstructionCheck... checks) {
    for (InstructionCheck c : checks) {
      s.ignoredInstructionChecks.add(Objects.requireNonNull(c, "check"));
    }
    return this;
  }

  // ---- tools ----

  /**
   * Adds tool handlers: objects with {@code @LiveTool} methods, or tool definitions.
   *
   * @param handlers annotated handler objects, {@link dev.geminilive.tools.ToolDefinition}s or
   *     {@link ToolRegistry}s
   * @return this builder
   */
  public LiveSessionBuilder tools(Object... handlers) {
    for (Object h : handlers) {
      s.toolHandlers.add(Objects.requireNonNull(h, "handler"));
    }
    return this;
  }

  /**
   * Where tools run (by default, a pool the session owns). The session never shuts it down.
   *
   * @param executor the executor tool handlers run on
   * @return this builder
   */
  public LiveSessionBuilder toolExecutor(Executor executor) {
    s.toolExecutor = Objects.requireNonNull(executor, "executor");
    return this;
  }

  /**
   * The default per-call tool timeout; a call that exceeds it gets an error response.
   *
   * @param timeout the time limit per call; positive
   * @return this builder
   */
  public LiveSessionBuilder toolTimeout(Duration timeout) {
    s.toolTimeout = requirePositive(timeout, "timeout");
    return this;
  }

  // ---- realtime input ----

  /**
   * Voice activity detection ({@link ActivityDetection#automatic()} by default).
   *
   * @param detection the detection settings
   * @return this builder
   */
  public LiveSessionBuilder activityDetection(ActivityDetection detection) {
    s.activityDetection = Objects.requireNonNull(detection, "detection");
    return this;
  }

  /**
   * What user activity does to a model turn in progress.
   *
   * @param handling whether user activity interrupts the model
   * @return this builder
   */
  public LiveSessionBuilder activityHandling(ActivityHandling handling) {
    s.activityHandling = Objects.requireNonNull(handling, "handling");
    return this;
  }

  /**
   * Which input a user turn includes.
   *
   * @param coverage whether a turn includes only detected activity or all input
   * @return this builder
   */
  public LiveSessionBuilder turnCoverage(TurnCoverage coverage) {
    s.turnCoverage = Objects.requireNonNull(coverage, "coverage");
    return this;
  }

  /**
   * Whether the user's speech is transcribed (on by default).
   *
   * @param enabled false to turn input transcription off
   * @return this builder
   */
  public LiveSessionBuilder inputTranscription(boolean enabled) {
    s.inputTranscription = enabled;
    return this;
  }

  /**
   * Whether the model's speech is transcribed (on by default).
   *
   * @param enabled false to turn output transcription off
   * @return this builder
   */
  public LiveSessionBuilder outputTranscription(boolean enabled) {
    s.outputTranscription = enabled;
    return this;
  }

  // ---- long sessions ----

  /**
   * Context window compression settings (always on; this tunes it).
   *
   * @param triggerTokens context size, in tokens, at which compression starts; positive
   * @param targetTokens context size, in tokens, kept after compression; positive and below the
   *     trigger
   * @return this builder
   */
  public LiveSessionBuilder contextCompression(long triggerTokens, long targetTokens) {
    s.compression = new ContextCompression(triggerTokens, targetTokens);
    return this;
  }

  /**
   * Whether resumption handles are requested (on by default). Turning it off also requires {@link
   * ReconnectPolicy#none()}: a reconnect without a handle would lose the conversation.
   *
   * @param enabled false to request no resumption handles
   * @return this builder
   */
  public LiveSessionBuilder sessionResumption(boolean enabled) {
    s.sessionResumption = enabled;
    return this;
  }

  /**
   * Asks the service for the index of the last client message each handle covers, so that replay
   * after a resume is exact. Vertex AI only.
   *
   * @param enabled true to ask for the index of the last covered client message
   * @return this builder
   */
  public LiveSessionBuilder transparentResumption(boolean enabled) {
    s.transparentResumption = enabled;
    return this;
  }

  /**
   * Resumes an earlier service session on the first connect.
   *
   * @param handle a resumption handle from an earlier session
   * @return this builder
   */
  public LiveSessionBuilder resumptionHandle(String handle) {
    s.initialHandle = LiveAuth.requireText(handle, "handle");
    return this;
  }

  /**
   * Seeds the conversation with earlier turns, sent before any input.
   *
   * @param turns the turns in conversation order; an empty list seeds nothing
   * @return this builder
   */
  public LiveSessionBuilder history(List<Turn> turns) {
    Objects.requireNonNull(turns, "turns").forEach(t -> s.history.add(Objects.requireNonNull(t)));
    return this;
  }

  /**
   * Makes the agent speak first: after the first connect, this prompt is sent as a user turn, so
   * that the model greets the user without waiting for them.
   *
   * @param prompt the text sent as the first user turn
   * @return this builder
   */
  public LiveSessionBuilder greeting(String prompt) {
    s.greeting = LiveAuth.requireText(prompt, "prompt");
    return this;
  }

  /**
   * When and how often to reconnect ({@link ReconnectPolicy#defaults()} by default).
   *
   * @param policy the reconnect policy
   * @return this builder
   */
  public LiveSessionBuilder reconnectPolicy(ReconnectPolicy policy) {
    s.reconnectPolicy = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * The longest a connect may take, setup included.
   *
   * @param timeout the connect time limit; positive
   * @return this builder
   */
  public LiveSessionBuilder connectTimeout(Duration timeout) {
    s.connectTimeout = requirePositive(timeout, "timeout");
    return this;
  }

  /**
   * WebSocket ping interval ({@link Duration#ZERO} turns pings off). A pong missing for one whole
   * interval ends the connection, so keep it generous.
   *
   * @param interval the time between pings; zero turns pings off
   * @return this builder
   */
  public LiveSessionBuilder pingInterval(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("interval must not be negative: " + interval);
    }
    s.pingInterval = interval;
    return this;
  }

  /**
   * The longest the model may stay silent in the middle of a turn before the connection is dropped.
   *
   * @param timeout the longest silence within a turn; positive
   * @return this builder
   */
  public LiveSessionBuilder stallTimeout(Duration timeout) {
    s.stallTimeout = requirePositive(timeout, "timeout");
    return this;
  }

  /**
   * How far back unconfirmed input is replayed after a resume; older audio is dropped.
   *
   * @param window how far back input is replayed; positive
   * @return this builder
   */
  public LiveSessionBuilder replayWindow(Duration window) {
    s.replayWindow = requirePositive(window, "window");
    return this;
  }

  /**
   * Bound on the input kept for replay and queued while reconnecting. Past it, the oldest audio is
   * dropped (counted, reported through {@link LiveListener#onError}); text, activity signals and
   * tool responses are never dropped.
   *
   * @param bytes the bound in bytes; at least 64 KiB
   * @return this builder
   */
  public LiveSessionBuilder maxQueuedBytes(long bytes) {
    if (bytes < 64 * 1024) {
      throw new IllegalArgumentException("maxQueuedBytes must be at least 64 KiB: " + bytes);
    }
    s.maxQueuedBytes = bytes;
    return this;
  }

  /**
   * Receives the session's events.
   *
   * @param listener the listener; its methods are called one at a time on a thread the session owns
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
    ModelProfile profile = given.profile != null ? given.profile : ModelProfile.of(given.model);
    LiveAuth auth = given.auth != null ? given.auth : apiKeyFromEnvironment();
    ToolRegistry tools =
        given.toolHandlers.isEmpty()
            ? ToolRegistry.empty()
            : ToolRegistry.of(given.toolHandlers.toArray());
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

  private SystemInstruction.Builder parts() {
    if (s.instructionParts == null) {
      s.instructionParts = SystemInstruction.builder();
    }
    return s.instructionParts;
  }

  private static Duration requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
    return d;
  }
}
