package dev.geminilive;

import com.google.genai.types.LiveConnectConfig;
import com.google.genai.types.SafetySetting;
import dev.geminilive.flow.Flow;
import dev.geminilive.instruction.SystemInstruction;
import dev.geminilive.tools.ToolRegistry;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * The complete, validated description of a Live session: everything {@link
 * LiveSessionBuilder#build()} checked, ready to connect.
 *
 * <p>Only {@link LiveSessionBuilder#build()} makes one, so every spec has passed the builder's
 * checks (the model's profile, the instruction against the tools, the cross-field rules). Derive a
 * variant with {@link #toBuilder()}: it gives back every setting as it was given (a structured
 * {@link SystemInstruction} stays structured, tool handlers stay the same objects), and building it
 * again runs the same checks.
 *
 * <p>Immutable and thread-safe. Two specs built from equal settings are equal (listener, executor,
 * HTTP client, tool handlers and observers compare by identity). {@link #toString()} never shows
 * credentials. It converts to the SDK's {@link LiveConnectConfig} in one place, {@link
 * #toLiveConnectConfig(String)}, and the same conversion drives the constraints of ephemeral tokens
 * minted for it.
 *
 * <pre>{@code
 * SessionSpec spec = ResilientLiveSession.builder().apiKey(key).persona("...").tools(tools).build();
 * SessionSpec german = spec.toBuilder().language("de-DE").build();
 * }</pre>
 *
 * @since 0.1
 */
public final class SessionSpec {
  /** The settings as given; a private copy nothing changes. */
  private final SessionSettings given;

  private final ModelProfile profile;
  private final LiveAuth auth;
  private final ToolRegistry tools;
  private final @Nullable SystemInstruction structuredInstruction;
  private final @Nullable String systemInstruction;
  private final @Nullable String languageCode;

  /** Called by {@link LiveSessionBuilder#build()} only, with what it derived from {@code given}. */
  SessionSpec(
      SessionSettings given,
      ModelProfile profile,
      LiveAuth auth,
      ToolRegistry tools,
      InstructionRendering.Rendered instruction) {
    this.given = given;
    this.profile = profile;
    this.auth = auth;
    this.tools = tools;
    this.structuredInstruction = instruction.structured();
    this.systemInstruction = instruction.text();
    this.languageCode = instruction.languageCode();
  }

  /**
   * A builder holding every setting of this spec as it was given, to derive a variant.
   *
   * <p>With a {@linkplain #flow() flow}, the builder holds the flow but not the instruction and
   * tools of the stage this spec is in: building it starts the flow at its first stage.
   *
   * @return a new builder; changing it does not change this spec
   */
  public LiveSessionBuilder toBuilder() {
    return new LiveSessionBuilder(given.copyForBuilder());
  }

  /**
   * The spec of this session after a context update: the same settings with the new instruction
   * and/or tools, checked exactly as {@link LiveSessionBuilder#build()} checks a new spec (the
   * instruction rendered with the language and linted against the tools, the tools and everything
   * else against the model's profile). A running session calls it for {@code contextUpdate}, sends
   * {@link #systemInstruction()} and {@link #tools()} of the result, and opens every later resume
   * or rebuild with it; whether the model takes the update in place or needs a new connection is
   * {@link ModelProfile#contextUpdates()}.
   *
   * <pre>{@code
   * SessionSpec next = spec.withContext(ContextUpdate.builder().tools(new BillingTools()).build());
   * }</pre>
   *
   * @param update the new instruction and/or tools
   * @return the new spec; this one is unchanged
   * @throws LiveConfigException naming the setting at fault, as {@code build()} would
   */
  public SessionSpec withContext(ContextUpdate update) {
    return LiveSessionBuilder.spec(given.withContext(update, auth));
  }

  /**
   * {@return the flow the session runs, if it was given one; {@link #systemInstruction()} and
   * {@link #tools()} are then those of the stage this spec is for}
   */
  @Experimental
  public Optional<Flow> flow() {
    return Optional.ofNullable(given.flow);
  }

  /** {@return the model id, without the {@code models/} prefix} */
  public String model() {
    return given.model;
  }

  /** {@return what the model accepts} */
  public ModelProfile profile() {
    return profile;
  }

  /** {@return how to authenticate} */
  public LiveAuth auth() {
    return auth;
  }

  /**
   * {@return the service's base URL ({@code https://host[:port]}), or null for the default of the
   * auth kind}
   */
  public @Nullable String baseUrl() {
    return given.baseUrl;
  }

  /**
   * {@return the API version ({@code v1beta}, {@code v1alpha}, {@code v1beta1}), or null for the
   * default of the auth kind}
   */
  public @Nullable String apiVersion() {
    return given.apiVersion;
  }

  /** {@return the OkHttp client to derive connections from, or null for the library's own} */
  public @Nullable OkHttpClient httpClient() {
    return given.httpClient;
  }

  /** {@return which connector carries the frames} */
  public Transport transport() {
    return given.transport;
  }

  /** {@return what the model answers with} */
  public ResponseModality responseModality() {
    return given.responseModality;
  }

  /** {@return the prebuilt voice name, or null for the service default} */
  public @Nullable String voice() {
    return given.voice;
  }

  /** {@return the BCP-47 speech language, or null} */
  public @Nullable String languageCode() {
    return languageCode;
  }

  /** {@return sampling temperature, or null} */
  public @Nullable Float temperature() {
    return given.temperature;
  }

  /** {@return nucleus sampling, or null} */
  public @Nullable Float topP() {
    return given.topP;
  }

  /** {@return top-k sampling, or null} */
  public @Nullable Float topK() {
    return given.topK;
  }

  /** {@return output token cap, or null} */
  public @Nullable Integer maxOutputTokens() {
    return given.maxOutputTokens;
  }

  /** {@return sampling seed, or null} */
  public @Nullable Integer seed() {
    return given.seed;
  }

  /** {@return thinking level (level-based models), or null} */
  public @Nullable ThinkingLevel thinkingLevel() {
    return given.thinkingLevel;
  }

  /** {@return thinking budget in tokens (budget-based models), or null} */
  public @Nullable Integer thinkingBudget() {
    return given.thinkingBudget;
  }

  /** {@return whether thought parts are sent, or null} */
  public @Nullable Boolean includeThoughts() {
    return given.includeThoughts;
  }

  /** {@return the rendered system instruction, or null} */
  public @Nullable String systemInstruction() {
    return systemInstruction;
  }

  /** {@return the tools the model may call} */
  public ToolRegistry tools() {
    return tools;
  }

  /** {@return voice activity detection} */
  public ActivityDetection activityDetection() {
    return given.activityDetection;
  }

  /** {@return what user activity does to a model turn, or null for the service default} */
  public @Nullable ActivityHandling activityHandling() {
    return given.activityHandling;
  }

  /** {@return which input a turn includes, or null for the model default} */
  public @Nullable TurnCoverage turnCoverage() {
    return given.turnCoverage;
  }

  /** {@return whether the user's speech is transcribed} */
  public boolean inputTranscription() {
    return given.inputTranscription;
  }

  /** {@return whether the model's speech is transcribed} */
  public boolean outputTranscription() {
    return given.outputTranscription;
  }

  /** {@return how the user's speech is transcribed, when {@link #inputTranscription()} is on} */
  public Transcription inputTranscriptionSettings() {
    return given.inputTranscriptionSettings;
  }

  /** {@return how the model's speech is transcribed, when {@link #outputTranscription()} is on} */
  public Transcription outputTranscriptionSettings() {
    return given.outputTranscriptionSettings;
  }

  /** {@return whether the service's voice activity signals are asked for, or null} */
  public @Nullable Boolean explicitVadSignal() {
    return given.explicitVadSignal;
  }

  /** {@return the resolution image and video frames are read at, or null for the default} */
  public @Nullable MediaResolution mediaResolution() {
    return given.mediaResolution;
  }

  /** {@return the safety settings, in the order given; empty for the service's defaults} */
  public List<SafetySetting> safetySettings() {
    return Collections.unmodifiableList(given.safetySettings);
  }

  /** {@return the usage labels, in the order given} */
  public Map<String, String> labels() {
    return Collections.unmodifiableMap(given.labels);
  }

  /** {@return context window compression (always on)} */
  public ContextCompression compression() {
    return given.compression;
  }

  /** {@return whether resumption handles are requested (required for reconnects)} */
  public boolean sessionResumption() {
    return given.sessionResumption;
  }

  /** {@return whether the service is asked for consumed-message indexes (Vertex AI only)} */
  public boolean transparentResumption() {
    return given.transparentResumption;
  }

  /** {@return a handle to resume on the first connect, or null} */
  public @Nullable String initialHandle() {
    return given.initialHandle;
  }

  /** {@return whether affective dialog is on, or null} */
  public @Nullable Boolean affectiveDialog() {
    return given.affectiveDialog;
  }

  /** {@return whether proactive audio is on, or null} */
  public @Nullable Boolean proactiveAudio() {
    return given.proactiveAudio;
  }

  /** {@return turns seeded into the session before it starts} */
  public List<Turn> history() {
    return Collections.unmodifiableList(given.history);
  }

  /** {@return a prompt that makes the agent speak first, or null} */
  public @Nullable String greeting() {
    return given.greeting;
  }

  /** {@return receives the session's events} */
  public LiveListener listener() {
    return given.listener;
  }

  /** {@return when and how often to reconnect} */
  public ReconnectPolicy reconnectPolicy() {
    return given.reconnectPolicy;
  }

  /** {@return the longest a connect may take, setup included} */
  public Duration connectTimeout() {
    return given.connectTimeout;
  }

  /**
   * {@return WebSocket ping interval; a missing pong within one interval ends the connection (keep
   * it generous: the service's pongs can take many seconds)}
   */
  public Duration pingInterval() {
    return given.pingInterval;
  }

  /**
   * {@return the longest the model may stay silent in the middle of a turn before the connection is
   * taken for dead}
   */
  public Duration stallTimeout() {
    return given.stallTimeout;
  }

  /** {@return how far back unconfirmed audio is replayed after resuming} */
  public Duration replayWindow() {
    return given.replayWindow;
  }

  /** {@return bound on input kept for replay and queued while reconnecting} */
  public long maxQueuedBytes() {
    return given.maxQueuedBytes;
  }

  /** {@return where tools run, or null for the library's own} */
  public @Nullable Executor toolExecutor() {
    return given.toolExecutor;
  }

  /** {@return default per-call tool timeout} */
  public Duration toolTimeout() {
    return given.toolTimeout;
  }

  /**
   * {@return where the session's time and work come from: {@link LiveScheduler#system()} unless the
   * builder was given another}
   */
  public LiveScheduler scheduler() {
    return given.scheduler;
  }

  /** {@return the factories of the observers each session gets (metrics, tracing), in order} */
  public List<LiveObserver.Factory> observers() {
    return Collections.unmodifiableList(given.observers);
  }

  /**
   * The structured instruction {@link #systemInstruction()} was rendered from, with the builder's
   * language applied, when the instruction was given structured (with {@code persona(..)}, {@code
   * rule(..)}... or {@code systemInstruction(SystemInstruction)}).
   *
   * @return the structured instruction, or empty for a plain-text instruction or none
   */
  public Optional<SystemInstruction> structuredInstruction() {
    return Optional.ofNullable(structuredInstruction);
  }

  /**
   * {@return whether this spec authenticates with ephemeral tokens ({@link
   * LiveAuth.EphemeralToken})}
   */
  public boolean usesEphemeralTokens() {
    return auth instanceof LiveAuth.EphemeralToken;
  }

  /**
   * The SDK configuration for one connection of this session: the one place where this spec becomes
   * a {@link LiveConnectConfig}.
   *
   * @param resumptionHandle the handle to resume, or null for a new service session
   * @return the SDK configuration for the connection
   */
  public LiveConnectConfig toLiveConnectConfig(@Nullable String resumptionHandle) {
    return SetupConfig.of(this, resumptionHandle);
  }

  /** Equal when built from equal settings (see the class documentation). */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof SessionSpec other
        && other.given.values().equals(given.values())
        && other.auth.equals(auth);
  }

  @Override
  public int hashCode() {
    return given.values().hashCode() * 31 + auth.hashCode();
  }

  @Override
  public String toString() {
    return "SessionSpec[model="
        + model()
        + ", auth="
        + auth
        + ", transport="
        + transport()
        + ", responseModality="
        + responseModality()
        + ", voice="
        + voice()
        + ", languageCode="
        + languageCode
        + ", tools="
        + tools.names()
        + ", sessionResumption="
        + sessionResumption()
        + ", compression="
        + compression()
        + ", reconnectPolicy="
        + reconnectPolicy()
        + "]";
  }
}
