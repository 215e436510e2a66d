package dev.geminilive;

import com.google.genai.types.SafetySetting;
import dev.geminilive.flow.Flow;
import dev.geminilive.instruction.InstructionCheck;
import dev.geminilive.instruction.SystemInstruction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * Every setting of a {@link LiveSessionBuilder}, exactly as it was given: what the builder fills
 * in, and what a {@link SessionSpec} keeps so that {@link SessionSpec#toBuilder()} gives all of it
 * back (a structured instruction stays structured, the tool handlers stay the objects they were).
 * What {@code build()} derives from it (the profile of a known model, credentials from the
 * environment, the tool registry, the rendered instruction) lives in the spec, never here.
 *
 * <p>Not thread-safe. A builder owns one and changes it; a spec owns a {@link #copy()} that nothing
 * changes after the spec is built.
 */
final class SessionSettings {
  String model = ModelProfile.GEMINI_3_8_LIVE;
  @Nullable ModelProfile profile;
  @Nullable LiveAuth auth;
  @Nullable String baseUrl;
  @Nullable String apiVersion;
  @Nullable OkHttpClient httpClient;
  Transport transport = Transport.OKHTTP;
  ResponseModality responseModality = ResponseModality.AUDIO;
  @Nullable String voice;
  @Nullable String languageTag;
  @Nullable Float temperature;
  @Nullable Float topP;
  @Nullable Float topK;
  @Nullable Integer maxOutputTokens;
  @Nullable Integer seed;
  @Nullable ThinkingLevel thinkingLevel;
  @Nullable Integer thinkingBudget;
  @Nullable Boolean includeThoughts;

  /** Given with {@code systemInstruction(SystemInstruction)}; excludes {@link #rawInstruction}. */
  @Nullable SystemInstruction instruction;

  /** Given with {@code systemInstruction(String)}; excludes {@link #instruction}. */
  @Nullable String rawInstruction;

  /** Given with {@code persona(..)}, {@code rule(..)}...; null until one of them is called. */
  SystemInstruction.@Nullable Builder instructionParts;

  final Set<InstructionCheck> ignoredInstructionChecks = EnumSet.noneOf(InstructionCheck.class);

  /** Annotated objects, {@code ToolDefinition}s and {@code ToolRegistry}s, in the order given. */
  final List<Object> toolHandlers = new ArrayList<>();

  /**
   * Given with {@code flow(..)}; the instruction and tools above are then those of the stage the
   * session is in (set by {@code build()} for the first stage, by context updates after).
   */
  @Nullable Flow flow;

  ActivityDetection activityDetection = ActivityDetection.automatic();
  @Nullable ActivityHandling activityHandling;
  @Nullable TurnCoverage turnCoverage;
  boolean inputTranscription = true;
  boolean outputTranscription = true;
  Transcription inputTranscriptionSettings = Transcription.defaults();
  Transcription outputTranscriptionSettings = Transcription.defaults();
  @Nullable Boolean explicitVadSignal;
  @Nullable MediaResolution mediaResolution;

  /** The SDK's values, in the order given. */
  final List<SafetySetting> safetySettings = new ArrayList<>();

  /** In the order given. */
  final Map<String, String> labels = new LinkedHashMap<>();

  ContextCompression compression = ContextCompression.defaults();
  boolean sessionResumption = true;
  boolean transparentResumption;
  @Nullable String initialHandle;
  @Nullable Boolean affectiveDialog;
  @Nullable Boolean proactiveAudio;
  final List<Turn> history = new ArrayList<>();
  @Nullable String greeting;
  LiveListener listener = NO_LISTENER;
  ReconnectPolicy reconnectPolicy = ReconnectPolicy.defaults();
  Duration connectTimeout = LiveSessionBuilder.DEFAULT_CONNECT_TIMEOUT;
  Duration pingInterval = LiveSessionBuilder.DEFAULT_PING_INTERVAL;
  Duration stallTimeout = LiveSessionBuilder.DEFAULT_STALL_TIMEOUT;
  Duration replayWindow = LiveSessionBuilder.DEFAULT_REPLAY_WINDOW;
  long maxQueuedBytes = LiveSessionBuilder.DEFAULT_MAX_QUEUED_BYTES;
  @Nullable Executor toolExecutor;
  Duration toolTimeout = LiveSessionBuilder.DEFAULT_TOOL_TIMEOUT;
  final List<LiveObserver.Factory> observers = new ArrayList<>();
  LiveScheduler scheduler = LiveScheduler.system();

  /** The listener of a builder that was given none: one instance, so that such specs are equal. */
  private static final LiveListener NO_LISTENER = new LiveListener() {};

  /**
   * A copy for a builder that derives a variant of a spec. With a flow, the instruction and tools
   * are left out: they were the stage's, and a session built again starts the flow over.
   */
  SessionSettings copyForBuilder() {
    SessionSettings c = copy();
    if (c.flow != null) {
      c.instruction = null;
      c.rawInstruction = null;
      c.instructionParts = null;
      c.toolHandlers.clear();
    }
    return c;
  }

  /**
   * A copy with a context update applied, for the spec of a running session: it keeps {@code auth},
   * the credentials the session already uses, rather than reading the environment again.
   */
  SessionSettings withContext(ContextUpdate update, LiveAuth auth) {
    SessionSettings next = copy();
    update.applyTo(next);
    next.auth = auth;
    return next;
  }

  /** A copy that shares no mutable state with this one. */
  SessionSettings copy() {
    SessionSettings c = new SessionSettings();
    c.model = model;
    c.profile = profile;
    c.auth = auth;
    c.baseUrl = baseUrl;
    c.apiVersion = apiVersion;
    c.httpClient = httpClient;
    c.transport = transport;
    c.responseModality = responseModality;
    c.voice = voice;
    c.languageTag = languageTag;
    c.temperature = temperature;
    c.topP = topP;
    c.topK = topK;
    c.maxOutputTokens = maxOutputTokens;
    c.seed = seed;
    c.thinkingLevel = thinkingLevel;
    c.thinkingBudget = thinkingBudget;
    c.includeThoughts = includeThoughts;
    c.instruction = instruction;
    c.rawInstruction = rawInstruction;
    c.instructionParts = instructionParts == null ? null : instructionParts.build().toBuilder();
    c.ignoredInstructionChecks.addAll(ignoredInstructionChecks);
    c.toolHandlers.addAll(toolHandlers);
    c.flow = flow;
    c.activityDetection = activityDetection;
    c.activityHandling = activityHandling;
    c.turnCoverage = turnCoverage;
    c.inputTranscription = inputTranscription;
    c.outputTranscription = outputTranscription;
    c.inputTranscriptionSettings = inputTranscriptionSettings;
    c.outputTranscriptionSettings = outputTranscriptionSettings;
    c.explicitVadSignal = explicitVadSignal;
    c.mediaResolution = mediaResolution;
    c.safetySettings.addAll(safetySettings);
    c.labels.putAll(labels);
    c.compression = compression;
    c.sessionResumption = sessionResumption;
    c.transparentResumption = transparentResumption;
    c.initialHandle = initialHandle;
    c.affectiveDialog = affectiveDialog;
    c.proactiveAudio = proactiveAudio;
    c.history.addAll(history);
    c.greeting = greeting;
    c.listener = listener;
    c.reconnectPolicy = reconnectPolicy;
    c.connectTimeout = connectTimeout;
    c.pingInterval = pingInterval;
    c.stallTimeout = stallTimeout;
    c.replayWindow = replayWindow;
    c.maxQueuedBytes = maxQueuedBytes;
    c.toolExecutor = toolExecutor;
    c.toolTimeout = toolTimeout;
    c.observers.addAll(observers);
    c.scheduler = scheduler;
    return c;
  }

  /**
   * Every setting, for equality: two specs built from equal settings are equal. Objects without
   * their own {@code equals} (listener, executor, HTTP client, tool handlers, observers, scheduler)
   * compare by identity; the instruction parts compare by what they hold.
   */
  List<Object> values() {
    return Arrays.asList(
        model,
        profile,
        auth,
        baseUrl,
        apiVersion,
        httpClient,
        transport,
        responseModality,
        voice,
        languageTag,
        temperature,
        topP,
        topK,
        maxOutputTokens,
        seed,
        thinkingLevel,
        thinkingBudget,
        includeThoughts,
        instruction,
        rawInstruction,
        instructionParts == null ? null : instructionParts.build(),
        ignoredInstructionChecks,
        toolHandlers,
        flow,
        activityDetection,
        activityHandling,
        turnCoverage,
        inputTranscription,
        outputTranscription,
        inputTranscriptionSettings,
        outputTranscriptionSettings,
        explicitVadSignal,
        mediaResolution,
        safetySettings,
        labels,
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
        observers,
        scheduler);
  }
}
