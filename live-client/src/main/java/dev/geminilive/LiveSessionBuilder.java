package dev.geminilive;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.genai.Client;
import dev.geminilive.instruction.InstructionCheck;
import dev.geminilive.instruction.SystemInstruction;
import dev.geminilive.internal.RealLiveSession;
import dev.geminilive.internal.Secrets;
import dev.geminilive.tools.ToolBehavior;
import dev.geminilive.tools.ToolDefinition;
import dev.geminilive.tools.ToolRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger log = LoggerFactory.getLogger(LiveSessionBuilder.class);

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

  private String model = ModelProfile.GEMINI_3_1_FLASH_LIVE;
  private @Nullable ModelProfile profile;
  private @Nullable LiveAuth auth;
  private @Nullable String baseUrl;
  private @Nullable String apiVersion;
  private @Nullable OkHttpClient httpClient;
  private Transport transport = Transport.OKHTTP;
  private ResponseModality responseModality = ResponseModality.AUDIO;
  private @Nullable String voice;
  private @Nullable String languageCode;
  private @Nullable Float temperature;
  private @Nullable Float topP;
  private @Nullable Float topK;
  private @Nullable Integer maxOutputTokens;
  private @Nullable Integer seed;
  private @Nullable ThinkingLevel thinkingLevel;
  private @Nullable Integer thinkingBudget;
  private @Nullable Boolean includeThoughts;
  private @Nullable SystemInstruction instruction;
  private @Nullable String rawInstruction;
  private final SystemInstruction.Builder instructionParts = SystemInstruction.builder();
  private boolean instructionPartsUsed;
  private final Set<InstructionCheck> ignoredInstructionChecks =
      EnumSet.noneOf(InstructionCheck.class);
  private final List<Object> toolHandlers = new ArrayList<>();
  private @Nullable ToolRegistry toolRegistry;
  private ActivityDetection activityDetection = ActivityDetection.automatic();
  private @Nullable ActivityHandling activityHandling;
  private @Nullable TurnCoverage turnCoverage;
  private boolean inputTranscription = true;
  private boolean outputTranscription = true;
  private ContextCompression compression = ContextCompression.defaults();
  private boolean sessionResumption = true;
  private boolean transparentResumption;
  private @Nullable String initialHandle;
  private @Nullable Boolean affectiveDialog;
  private @Nullable Boolean proactiveAudio;
  private final List<Turn> history = new ArrayList<>();
  private @Nullable String greeting;
  private LiveListener listener = new LiveListener() {};
  private ReconnectPolicy reconnectPolicy = ReconnectPolicy.defaults();
  private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
  private Duration pingInterval = DEFAULT_PING_INTERVAL;
  private Duration stallTimeout = DEFAULT_STALL_TIMEOUT;
  private Duration replayWindow = DEFAULT_REPLAY_WINDOW;
  private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
  private @Nullable Executor toolExecutor;
  private Duration toolTimeout = DEFAULT_TOOL_TIMEOUT;
  private final List<LiveObserver.Factory> observers = new ArrayList<>();

  /** A builder with the defaults. Prefer {@link ResilientLiveSession#builder()}. */
  public LiveSessionBuilder() {}

  LiveSessionBuilder(SessionSpec s) {
    model = s.model();
    profile = s.profile().known() ? null : s.profile();
    auth = s.auth();
    baseUrl = s.baseUrl();
    apiVersion = s.apiVersion();
    httpClient = s.httpClient();
    transport = s.transport();
    responseModality = s.responseModality();
    voice = s.voice();
    languageCode = s.languageCode();
    temperature = s.temperature();
    topP = s.topP();
    topK = s.topK();
    maxOutputTokens = s.maxOutputTokens();
    seed = s.seed();
    thinkingLevel = s.thinkingLevel();
    thinkingBudget = s.thinkingBudget();
    includeThoughts = s.includeThoughts();
    rawInstruction = s.systemInstruction();
    toolRegistry = s.tools();
    activityDetection = s.activityDetection();
    activityHandling = s.activityHandling();
    turnCoverage = s.turnCoverage();
    inputTranscription = s.inputTranscription();
    outputTranscription = s.outputTranscription();
    compression = s.compression();
    sessionResumption = s.sessionResumption();
    transparentResumption = s.transparentResumption();
    initialHandle = s.initialHandle();
    affectiveDialog = s.affectiveDialog();
    proactiveAudio = s.proactiveAudio();
    history.addAll(s.history());
    greeting = s.greeting();
    listener = s.listener();
    reconnectPolicy = s.reconnectPolicy();
    connectTimeout = s.connectTimeout();
    pingInterval = s.pingInterval();
    stallTimeout = s.stallTimeout();
    replayWindow = s.replayWindow();
    maxQueuedBytes = s.maxQueuedBytes();
    toolExecutor = s.toolExecutor();
    toolTimeout = s.toolTimeout();
    observers.addAll(s.observers());
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
    this.model = m.startsWith("models/") ? m.substring("models/".length()) : m;
    return this;
  }

  /**
   * Overrides the model's profile (for models the library does not know yet).
   *
   * @param profile the capabilities to assume for the model
   * @return this builder
   */
  public LiveSessionBuilder modelProfile(ModelProfile profile) {
    this.profile = Objects.requireNonNull(profile, "profile");
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
    this.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    return this;
  }

  /**
   * The API version ({@code v1beta} by default; ephemeral tokens switch to {@code v1alpha}).
   *
   * @param apiVersion the version path segment, such as {@code v1beta} or {@code v1alpha}
   * @return this builder
   */
  public LiveSessionBuilder apiVersion(String apiVersion) {
    this.apiVersion = LiveAuth.requireText(apiVersion, "apiVersion");
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
    this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
    return this;
  }

  /**
   * Which connector carries the frames ({@link Transport#OKHTTP} by default).
   *
   * @param transport the connector to use
   * @return this builder
   */
  public LiveSessionBuilder transport(Transport transport) {
    this.transport = Objects.requireNonNull(transport, "transport");
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
    this.auth = new LiveAuth.ApiKey(apiKey);
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
    this.auth = new LiveAuth.EphemeralToken(() -> t, false);
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
    this.auth = new LiveAuth.EphemeralToken(tokens, true);
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
    this.auth = new LiveAuth.VertexAi(project, location, null);
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
    this.auth = new LiveAuth.VertexAi(project, location, credentials);
    return this;
  }

  /**
   * The credentials of an existing SDK client (its API key, or its Vertex AI settings).
   *
   * @param client the SDK client whose API key or Vertex AI settings are used
   * @return this builder
   */
  public LiveSessionBuilder client(Client client) {
    this.auth = new LiveAuth.SdkClient(client);
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
    this.responseModality = Objects.requireNonNull(modality, "modality");
    return this;
  }

  /**
   * A prebuilt voice, such as {@code Puck}, {@code Kore} or {@code Peri}.
   *
   * @param voiceName the voice name as the API spells it
   * @return this builder
   */
  public LiveSessionBuilder voice(String voiceName) {
    this.voice = LiveAuth.requireText(voiceName, "voiceName");
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
    this.languageCode = tag;
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
    this.temperature = (float) temperature;
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
    this.topP = (float) topP;
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
    this.topK = (float) topK;
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
    this.maxOutputTokens = tokens;
    return this;
  }

  /**
   * Sampling seed.
   *
   * @param seed the seed; the same seed makes answers more repeatable, not identical
   * @return this builder
   */
  public LiveSessionBuilder seed(int seed) {
    this.seed = seed;
    return this;
  }

  /**
   * Thinking level, for models that think by level (3.1 Flash Live).
   *
   * @param level the thinking level
   * @return this builder
   */
  public LiveSessionBuilder thinkingLevel(ThinkingLevel level) {
    this.thinkingLevel = Objects.requireNonNull(level, "level");
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
    this.thinkingBudget = tokens;
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
    this.includeThoughts = include;
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
    this.affectiveDialog = enabled;
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
    this.proactiveAudio = enabled;
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
    instructionParts.persona(LiveAuth.requireText(persona, "persona"));
    instructionPartsUsed = true;
    return this;
  }

  /**
   * Adds the next numbered conversational rule. Name tools in backticks: {@code `tool_name`}.
   *
   * @param rule the rule text; not blank
   * @return this builder
   */
  public LiveSessionBuilder rule(String rule) {
    instructionParts.rule(LiveAuth.requireText(rule, "rule"));
    instructionPartsUsed = true;
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
    instructionParts.rule(LiveAuth.requireText(title, "title"), LiveAuth.requireText(text, "text"));
    instructionPartsUsed = true;
    return this;
  }

  /**
   * Adds a general guideline.
   *
   * @param guideline the guideline text; not blank
   * @return this builder
   */
  public LiveSessionBuilder guideline(String guideline) {
    instructionParts.guideline(LiveAuth.requireText(guideline, "guideline"));
    instructionPartsUsed = true;
    return this;
  }

  /**
   * Adds a guardrail.
   *
   * @param guardrail the guardrail text; not blank
   * @return this builder
   */
  public LiveSessionBuilder guardrail(String guardrail) {
    instructionParts.guardrail(LiveAuth.requireText(guardrail, "guardrail"));
    instructionPartsUsed = true;
    return this;
  }

  /**
   * A complete structured system instruction (replaces persona, rules, guidelines, guardrails).
   *
   * @param instruction the instruction to send
   * @return this builder
   */
  public LiveSessionBuilder systemInstruction(SystemInstruction instruction) {
    this.instruction = Objects.requireNonNull(instruction, "instruction");
    this.rawInstruction = null;
    return this;
  }

  /**
   * A system instruction as plain text, used as it is.
   *
   * @param text the instruction text, sent unchanged
   * @return this builder
   */
  public LiveSessionBuilder systemInstruction(String text) {
    this.rawInstruction = LiveAuth.requireText(text, "text");
    this.instruction = null;
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
      ignoredInstructionChecks.add(Objects.requireNonNull(c, "check"));
    }
    return this;
  }

  // ---- tools ----

  /**
   * Adds tool handlers: objects with {@code @LiveTool} methods, or tool definitions.
   *
   * @param handlers annotated handler objects, {@link ToolDefinition}s or {@link ToolRegistry}s
   * @return this builder
   */
  public LiveSessionBuilder tools(Object... handlers) {
    for (Object h : handlers) {
      toolHandlers.add(Objects.requireNonNull(h, "handler"));
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
    this.toolExecutor = Objects.requireNonNull(executor, "executor");
    return this;
  }

  /**
   * The default per-call tool timeout; a call that exceeds it gets an error response.
   *
   * @param timeout the time limit per call; positive
   * @return this builder
   */
  public LiveSessionBuilder toolTimeout(Duration timeout) {
    this.toolTimeout = requirePositive(timeout, "timeout");
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
    this.activityDetection = Objects.requireNonNull(detection, "detection");
    return this;
  }

  /**
   * What user activity does to a model turn in progress.
   *
   * @param handling whether user activity interrupts the model
   * @return this builder
   */
  public LiveSessionBuilder activityHandling(ActivityHandling handling) {
    this.activityHandling = Objects.requireNonNull(handling, "handling");
    return this;
  }

  /**
   * Which input a user turn includes.
   *
   * @param coverage whether a turn includes only detected activity or all input
   * @return this builder
   */
  public LiveSessionBuilder turnCoverage(TurnCoverage coverage) {
    this.turnCoverage = Objects.requireNonNull(coverage, "coverage");
    return this;
  }

  /**
   * Whether the user's speech is transcribed (on by default).
   *
   * @param enabled false to turn input transcription off
   * @return this builder
   */
  public LiveSessionBuilder inputTranscription(boolean enabled) {
    this.inputTranscription = enabled;
    return this;
  }

  /**
   * Whether the model's speech is transcribed (on by default).
   *
   * @param enabled false to turn output transcription off
   * @return this builder
   */
  public LiveSessionBuilder outputTranscription(boolean enabled) {
    this.outputTranscription = enabled;
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
    this.compression = new ContextCompression(triggerTokens, targetTokens);
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
    this.sessionResumption = enabled;
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
    this.transparentResumption = enabled;
    return this;
  }

  /**
   * Resumes an earlier service session on the first connect.
   *
   * @param handle a resumption handle from an earlier session
   * @return this builder
   */
  public LiveSessionBuilder resumptionHandle(String handle) {
    this.initialHandle = LiveAuth.requireText(handle, "handle");
    return this;
  }

  /**
   * Seeds the conversation with earlier turns, sent before any input.
   *
   * @param turns the turns in conversation order; an empty list seeds nothing
   * @return this builder
   */
  public LiveSessionBuilder history(List<Turn> turns) {
    Objects.requireNonNull(turns, "turns").forEach(t -> history.add(Objects.requireNonNull(t)));
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
    this.greeting = LiveAuth.requireText(prompt, "prompt");
    return this;
  }

  /**
   * When and how often to reconnect ({@link ReconnectPolicy#defaults()} by default).
   *
   * @param policy the reconnect policy
   * @return this builder
   */
  public LiveSessionBuilder reconnectPolicy(ReconnectPolicy policy) {
    this.reconnectPolicy = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * The longest a connect may take, setup included.
   *
   * @param timeout the connect time limit; positive
   * @return this builder
   */
  public LiveSessionBuilder connectTimeout(Duration timeout) {
    this.connectTimeout = requirePositive(timeout, "timeout");
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
    this.pingInterval = interval;
    return this;
  }

  /**
   * The longest the model may stay silent in the middle of a turn before the connection is dropped.
   *
   * @param timeout the longest silence within a turn; positive
   * @return this builder
   */
  public LiveSessionBuilder stallTimeout(Duration timeout) {
    this.stallTimeout = requirePositive(timeout, "timeout");
    return this;
  }

  /**
   * How far back unconfirmed input is replayed after a resume; older audio is dropped.
   *
   * @param window how far back input is replayed; positive
   * @return this builder
   */
  public LiveSessionBuilder replayWindow(Duration window) {
    this.replayWindow = requirePositive(window, "window");
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
    this.maxQueuedBytes = bytes;
    return this;
  }

  /**
   * Receives the session's events.
   *
   * @param listener the listener; its methods are called one at a time on a thread the session owns
   * @return this builder
   */
  public LiveSessionBuilder listener(LiveListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
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
    observers.add(Objects.requireNonNull(factory, "factory"));
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
    ModelProfile p = profile != null ? profile : ModelProfile.of(model);
    if (!p.known()) {
      log.warn(
          "Model {} is not in the library's model table; its options are passed through unchecked.",
          model);
    }
    LiveAuth a = auth;
    if (a == null) {
      String env = System.getenv(API_KEY_ENV);
      if (env == null || env.isBlank()) {
        throw new IllegalStateException(
            "No credentials: call apiKey(...), ephemeralToken(...), vertexAi(...) or client(...),"
                + " or set the "
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
      a = new LiveAuth.ApiKey(env);
    }
    ToolRegistry registry = toolRegistry;
    if (!toolHandlers.isEmpty()) {
      registry = ToolRegistry.of(toolHandlers.toArray());
    } else if (registry == null) {
      registry = ToolRegistry.empty();
    }
    Rendered rendered = renderInstruction(registry);
    checkAgainstProfile(p, a, registry);
    return new SessionSpec(
        model,
        p,
        a,
        baseUrl,
        apiVersion,
        httpClient,
        transport,
        responseModality,
        voice,
        rendered.languageCode(),
        temperature,
        topP,
        topK,
        maxOutputTokens,
        seed,
        thinkingLevel,
        thinkingBudget,
        includeThoughts,
        rendered.text(),
        registry,
        activityDetection,
        activityHandling,
        turnCoverage,
        inputTranscription,
        outputTranscription,
        compression,
        sessionResumption,
        transparentResumption,
        initialHandle,
        affectiveDialog,
        proactiveAudio,
        history,
        greeting,
        listener,
        reconnectPolicy,
        connectTimeout,
        pingInterval,
        stallTimeout,
        replayWindow,
        maxQueuedBytes,
        toolExecutor,
        toolTimeout,
        observers);
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

  /** The system instruction text and the language code it implies, computed by build(). */
  private record Rendered(@Nullable String text, @Nullable String languageCode) {}

  private Rendered renderInstruction(ToolRegistry registry) {
    SystemInstruction si = instruction;
    if (si == null && instructionPartsUsed) {
      si = instructionParts.build();
    }
    if (si != null) {
      if (languageCode != null && si.language().isEmpty()) {
        si = si.toBuilder().language(languageCode).build();
      }
      si.lint(registry.names(), ignoredInstructionChecks);
      return new Rendered(
          si.render(), languageCode != null ? languageCode : si.languageCode().orElse(null));
    }
    if (rawInstruction != null && languageCode != null) {
      String directive = SystemInstruction.languageDirective(Locale.forLanguageTag(languageCode));
      // A spec's text already carries the directive when the builder came from toBuilder().
      String text =
          rawInstruction.endsWith(directive) ? rawInstruction : rawInstruction + "\n\n" + directive;
      return new Rendered(text, languageCode);
    }
    return new Rendered(rawInstruction, languageCode);
  }

  private void checkAgainstProfile(ModelProfile p, LiveAuth a, ToolRegistry registry) {
    if (!p.asyncFunctionCalling()) {
      for (ToolDefinition t : registry.definitions()) {
        if (t.behavior() == ToolBehavior.NON_BLOCKING) {
          throw new LiveConfigException(
              "tools",
              "Tool '"
                  + t.name()
                  + "' is NON_BLOCKING, but "
                  + model
                  + " calls functions synchronously (it waits for every tool response)."
                  + " Remove behavior = NON_BLOCKING, or use a model with asynchronous function"
                  + " calling such as "
                  + ModelProfile.GEMINI_2_5_FLASH_NATIVE_AUDIO
                  + ".");
        }
      }
    }
    if (!p.responseModalities().contains(responseModality)) {
      throw new LiveConfigException(
          "responseModality",
          model
              + " answers with "
              + p.responseModalities()
              + " only, not "
              + responseModality
              + ". Use ResponseModality.AUDIO and read the words from output transcription"
              + " (onOutputTranscript).");
    }
    if (thinkingBudget != null && p.thinking() != ModelProfile.Thinking.BUDGET) {
      throw new LiveConfigException(
          "thinkingBudget",
          model
              + " does not take a thinking budget."
              + (p.thinking() == ModelProfile.Thinking.LEVEL
                  ? " Use thinkingLevel(ThinkingLevel.MINIMAL|LOW|MEDIUM|HIGH) instead."
                  : " Remove it: this model does not think."));
    }
    if (thinkingLevel != null && p.thinking() != ModelProfile.Thinking.LEVEL) {
      throw new LiveConfigException(
          "thinkingLevel",
          model
              + " does not take a thinking level."
              + (p.thinking() == ModelProfile.Thinking.BUDGET
                  ? " Use thinkingBudget(tokens) instead (0 turns thinking off)."
                  : " Remove it: this model does not think."));
    }
    if (Boolean.TRUE.equals(affectiveDialog) && !p.affectiveDialog()) {
      throw new LiveConfigException(
          "affectiveDialog",
          model + " does not support affective dialog. Remove affectiveDialog(true).");
    }
    if (Boolean.TRUE.equals(proactiveAudio) && !p.proactiveAudio()) {
      throw new LiveConfigException(
          "proactiveAudio",
          model + " does not support proactive audio. Remove proactiveAudio(true).");
    }
    if (compression.triggerTokens() > p.contextWindowTokens()) {
      throw new LiveConfigException(
          "contextCompression",
          "triggerTokens "
              + compression.triggerTokens()
              + " exceeds the context window of "
              + model
              + " ("
              + p.contextWindowTokens()
              + " tokens). Choose a trigger below the window, e.g. 80% of it.");
    }
    if (transparentResumption && !(a instanceof LiveAuth.VertexAi)) {
      throw new LiveConfigException(
          "transparentResumption",
          "Transparent resumption is only offered by Vertex AI; the Gemini API rejects it."
              + " Remove transparentResumption(true).");
    }
    if (!sessionResumption && reconnectPolicy.enabled()) {
      throw new LiveConfigException(
          "sessionResumption",
          "Session resumption is off but the reconnect policy reconnects: a reconnect would"
              + " silently lose the conversation. Set reconnectPolicy(ReconnectPolicy.none())"
              + " or keep sessionResumption on.");
    }
    if (initialHandle != null && !sessionResumption) {
      throw new LiveConfigException(
          "resumptionHandle", "A resumption handle needs sessionResumption(true).");
    }
  }

  private static Duration requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
    return d;
  }
}
