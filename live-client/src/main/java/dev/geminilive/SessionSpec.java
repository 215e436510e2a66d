package dev.geminilive;

import com.google.genai.types.ActivityHandling.Known;
import com.google.genai.types.AudioTranscriptionConfig;
import com.google.genai.types.AutomaticActivityDetection;
import com.google.genai.types.Content;
import com.google.genai.types.ContextWindowCompressionConfig;
import com.google.genai.types.EndSensitivity;
import com.google.genai.types.LiveConnectConfig;
import com.google.genai.types.Modality;
import com.google.genai.types.Part;
import com.google.genai.types.PrebuiltVoiceConfig;
import com.google.genai.types.ProactivityConfig;
import com.google.genai.types.RealtimeInputConfig;
import com.google.genai.types.SessionResumptionConfig;
import com.google.genai.types.SlidingWindow;
import com.google.genai.types.SpeechConfig;
import com.google.genai.types.StartSensitivity;
import com.google.genai.types.ThinkingConfig;
import com.google.genai.types.Tool;
import com.google.genai.types.VoiceConfig;
import dev.geminilive.tools.ToolRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * The complete, validated description of a Live session: everything {@link
 * LiveSessionBuilder#build()} checked, ready to connect.
 *
 * <p>Immutable and {@code equals}-comparable (listener, executor, HTTP client and tools compare by
 * identity). {@link #toString()} never shows credentials. It converts to the SDK's {@link
 * LiveConnectConfig} in one place, {@link #toLiveConnectConfig(String)}, and the same conversion
 * drives the constraints of ephemeral tokens minted for it.
 *
 * <p>Get one from {@code ResilientLiveSession.builder()...build()}; derive a variant with {@link
 * #toBuilder()}.
 *
 * @param model the model id, without the {@code models/} prefix
 * @param profile what the model accepts
 * @param auth how to authenticate
 * @param baseUrl the service's base URL ({@code https://host[:port]}), or null for the default of
 *     the auth kind
 * @param apiVersion the API version ({@code v1beta}, {@code v1alpha}, {@code v1beta1}), or null for
 *     the default of the auth kind
 * @param httpClient the OkHttp client to derive connections from, or null for the library's own
 * @param transport which connector carries the frames
 * @param responseModality what the model answers with
 * @param voice the prebuilt voice name, or null for the service default
 * @param languageCode the BCP-47 speech language, or null
 * @param temperature sampling temperature, or null
 * @param topP nucleus sampling, or null
 * @param topK top-k sampling, or null
 * @param maxOutputTokens output token cap, or null
 * @param seed sampling seed, or null
 * @param thinkingLevel thinking level (level-based models), or null
 * @param thinkingBudget thinking budget in tokens (budget-based models), or null
 * @param includeThoughts whether thought parts are sent, or null
 * @param systemInstruction the rendered system instruction, or null
 * @param tools the tools the model may call
 * @param activityDetection voice activity detection
 * @param activityHandling what user activity does to a model turn, or null for the service default
 * @param turnCoverage which input a turn includes, or null for the model default
 * @param inputTranscription whether the user's speech is transcribed
 * @param outputTranscription whether the model's speech is transcribed
 * @param compression context window compression (always on)
 * @param sessionResumption whether resumption handles are requested (required for reconnects)
 * @param transparentResumption whether the service is asked for consumed-message indexes (Vertex AI
 *     only)
 * @param initialHandle a handle to resume on the first connect, or null
 * @param affectiveDialog whether affective dialog is on, or null
 * @param proactiveAudio whether proactive audio is on, or null
 * @param history turns seeded into the session before it starts
 * @param greeting a prompt that makes the agent speak first, or null
 * @param listener receives the session's events
 * @param reconnectPolicy when and how often to reconnect
 * @param connectTimeout the longest a connect may take, setup included
 * @param pingInterval WebSocket ping interval; a missing pong within one interval ends the
 *     connection (keep it generous: the service's pongs can take many seconds)
 * @param stallTimeout the longest the model may stay silent in the middle of a turn before the
 *     connection is taken for dead
 * @param replayWindow how far back unconfirmed audio is replayed after resuming
 * @param maxQueuedBytes bound on input kept for replay and queued while reconnecting
 * @param toolExecutor where tools run, or null for the library's own
 * @param toolTimeout default per-call tool timeout
 * @param observers the factories of the observers each session gets (metrics, tracing), in order
 * @since 0.1
 */
public record SessionSpec(
    String model,
    ModelProfile profile,
    LiveAuth auth,
    @Nullable String baseUrl,
    @Nullable String apiVersion,
    @Nullable OkHttpClient httpClient,
    Transport transport,
    ResponseModality responseModality,
    @Nullable String voice,
    @Nullable String languageCode,
    @Nullable Float temperature,
    @Nullable Float topP,
    @Nullable Float topK,
    @Nullable Integer maxOutputTokens,
    @Nullable Integer seed,
    @Nullable ThinkingLevel thinkingLevel,
    @Nullable Integer thinkingBudget,
    @Nullable Boolean includeThoughts,
    @Nullable String systemInstruction,
    ToolRegistry tools,
    ActivityDetection activityDetection,
    @Nullable ActivityHandling activityHandling,
    @Nullable TurnCoverage turnCoverage,
    boolean inputTranscription,
    boolean outputTranscription,
    ContextCompression compression,
    boolean sessionResumption,
    boolean transparentResumption,
    @Nullable String initialHandle,
    @Nullable Boolean affectiveDialog,
    @Nullable Boolean proactiveAudio,
    List<Turn> history,
    @Nullable String greeting,
    LiveListener listener,
    ReconnectPolicy reconnectPolicy,
    Duration connectTimeout,
    Duration pingInterval,
    Duration stallTimeout,
    Duration replayWindow,
    long maxQueuedBytes,
    @Nullable Executor toolExecutor,
    Duration toolTimeout,
    List<LiveObserver.Factory> observers) {

  /**
   * Checks the required components and copies the history.
   *
   * @param model the model id, without the {@code models/} prefix
   * @param profile what the model accepts
   * @param auth how to authenticate
   * @param baseUrl the service's base URL ({@code https://host[:port]}), or null for the default of
   *     the auth kind
   * @param apiVersion the API version ({@code v1beta}, {@code v1alpha}, {@code v1beta1}), or null
   *     for the default of the auth kind
   * @param httpClient the OkHttp client to derive connections from, or null for the library's own
   * @param transport which connector carries the frames
   * @param responseModality what the model answers with
   * @param voice the prebuilt voice name, or null for the service default
   * @param languageCode the BCP-47 speech language, or null
   * @param temperature sampling temperature, or null
   * @param topP nucleus sampling, or null
   * @param topK top-k sampling, or null
   * @param maxOutputTokens output token cap, or null
   * @param seed sampling seed, or null
   * @param thinkingLevel thinking level (level-based models), or null
   * @param thinkingBudget thinking budget in tokens (budget-based models), or null
   * @param includeThoughts whether thought parts are sent, or null
   * @param systemInstruction the rendered system instruction, or null
   * @param tools the tools the model may call
   * @param activityDetection voice activity detection
   * @param activityHandling what user activity does to a model turn, or null for the service
   *     default
   * @param turnCoverage which input a turn includes, or null for the model default
   * @param inputTranscription whether the user's speech is transcribed
   * @param outputTranscription whether the model's speech is transcribed
   * @param compression context window compression (always on)
   * @param sessionResumption whether resumption handles are requested (required for reconnects)
   * @param transparentResumption whether the service is asked for consumed-message indexes (Vertex
   *     AI only)
   * @param initialHandle a handle to resume on the first connect, or null
   * @param affectiveDialog whether affective dialog is on, or null
   * @param proactiveAudio whether proactive audio is on, or null
   * @param history turns seeded into the session before it starts
   * @param greeting a prompt that makes the agent speak first, or null
   * @param listener receives the session's events
   * @param reconnectPolicy when and how often to reconnect
   * @param connectTimeout the longest a connect may take, setup included
   * @param pingInterval WebSocket ping interval; a missing pong within one interval ends the
   *     connection (keep it generous: the service's pongs can take many seconds)
   * @param stallTimeout the longest the model may stay silent in the middle of a turn before the
   *     connection is taken for dead
   * @param replayWindow how far back unconfirmed audio is replayed after resuming
   * @param maxQueuedBytes bound on input kept for replay and queued while reconnecting
   * @param toolExecutor where tools run, or null for the library's own
   * @param toolTimeout default per-call tool timeout
   * @param observers the factories of the observers each session gets (metrics, tracing), in order
   */
  public SessionSpec {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(responseModality, "responseModality");
    Objects.requireNonNull(tools, "tools");
    Objects.requireNonNull(activityDetection, "activityDetection");
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(reconnectPolicy, "reconnectPolicy");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(pingInterval, "pingInterval");
    Objects.requireNonNull(stallTimeout, "stallTimeout");
    Objects.requireNonNull(replayWindow, "replayWindow");
    Objects.requireNonNull(toolTimeout, "toolTimeout");
    history = List.copyOf(history);
    observers = List.copyOf(observers);
  }

  /**
   * A builder holding every setting of this spec, to derive a variant.
   *
   * @return a new builder; changing it does not change this spec
   */
  public LiveSessionBuilder toBuilder() {
    return new LiveSessionBuilder(this);
  }

  /**
   * Whether this spec authenticates with ephemeral tokens.
   *
   * @return true if the auth is {@link LiveAuth.EphemeralToken}
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
    LiveConnectConfig.Builder b = LiveConnectConfig.builder();
    b.responseModalities(
        List.of(
            responseModality == ResponseModality.AUDIO
                ? new Modality(Modality.Known.AUDIO)
                : new Modality(Modality.Known.TEXT)));
    if (temperature != null) {
      b.temperature(temperature);
    }
    if (topP != null) {
      b.topP(topP);
    }
    if (topK != null) {
      b.topK(topK);
    }
    if (maxOutputTokens != null) {
      b.maxOutputTokens(maxOutputTokens);
    }
    if (seed != null) {
      b.seed(seed);
    }
    if (voice != null || languageCode != null) {
      SpeechConfig.Builder speech = SpeechConfig.builder();
      if (voice != null) {
        speech.voiceConfig(
            VoiceConfig.builder()
                .prebuiltVoiceConfig(PrebuiltVoiceConfig.builder().voiceName(voice).build())
                .build());
      }
      if (languageCode != null) {
        speech.languageCode(languageCode);
      }
      b.speechConfig(speech.build());
    }
    if (thinkingLevel != null || thinkingBudget != null || includeThoughts != null) {
      ThinkingConfig.Builder thinking = ThinkingConfig.builder();
      if (includeThoughts != null) {
        thinking.includeThoughts(includeThoughts);
      }
      if (thinkingBudget != null) {
        thinking.thinkingBudget(thinkingBudget);
      }
      if (thinkingLevel != null) {
        thinking.thinkingLevel(
            new com.google.genai.types.ThinkingLevel(
                com.google.genai.types.ThinkingLevel.Known.valueOf(thinkingLevel.name())));
      }
      b.thinkingConfig(thinking.build());
    }
    if (affectiveDialog != null) {
      b.enableAffectiveDialog(affectiveDialog);
    }
    if (systemInstruction != null) {
      b.systemInstruction(Content.fromParts(Part.fromText(systemInstruction)));
    }
    if (!tools.declarations().isEmpty()) {
      b.tools(List.of(Tool.builder().functionDeclarations(tools.declarations()).build()));
    }
    if (sessionResumption) {
      SessionResumptionConfig.Builder resumption = SessionResumptionConfig.builder();
      if (resumptionHandle != null) {
        resumption.handle(resumptionHandle);
      }
      if (transparentResumption) {
        resumption.transparent(true);
      }
      b.sessionResumption(resumption.build());
    }
    if (inputTranscription) {
      b.inputAudioTranscription(AudioTranscriptionConfig.builder().build());
    }
    if (outputTranscription) {
      b.outputAudioTranscription(AudioTranscriptionConfig.builder().build());
    }
    b.realtimeInputConfig(realtimeInputConfig());
    b.contextWindowCompression(
        ContextWindowCompressionConfig.builder()
            .triggerTokens(compression.triggerTokens())
            .slidingWindow(SlidingWindow.builder().targetTokens(compression.targetTokens()).build())
            .build());
    if (proactiveAudio != null) {
      b.proactivity(ProactivityConfig.builder().proactiveAudio(proactiveAudio).build());
    }
    return b.build();
  }

  private RealtimeInputConfig realtimeInputConfig() {
    AutomaticActivityDetection.Builder vad =
        AutomaticActivityDetection.builder().disabled(!activityDetection.enabled());
    if (activityDetection.startSensitivity() != null) {
      vad.startOfSpeechSensitivity(
          new StartSensitivity(
              activityDetection.startSensitivity() == ActivityDetection.Sensitivity.LOW
                  ? StartSensitivity.Known.START_SENSITIVITY_LOW
                  : StartSensitivity.Known.START_SENSITIVITY_HIGH));
    }
    if (activityDetection.endSensitivity() != null) {
      vad.endOfSpeechSensitivity(
          new EndSensitivity(
              activityDetection.endSensitivity() == ActivityDetection.Sensitivity.LOW
                  ? EndSensitivity.Known.END_SENSITIVITY_LOW
                  : EndSensitivity.Known.END_SENSITIVITY_HIGH));
    }
    if (activityDetection.prefixPadding() != null) {
      vad.prefixPaddingMs((int) activityDetection.prefixPadding().toMillis());
    }
    if (activityDetection.silenceDuration() != null) {
      vad.silenceDurationMs((int) activityDetection.silenceDuration().toMillis());
    }
    RealtimeInputConfig.Builder config =
        RealtimeInputConfig.builder().automaticActivityDetection(vad.build());
    if (activityHandling != null) {
      config.activityHandling(
          new com.google.genai.types.ActivityHandling(Known.valueOf(activityHandling.name())));
    }
    if (turnCoverage != null) {
      config.turnCoverage(
          new com.google.genai.types.TurnCoverage(
              com.google.genai.types.TurnCoverage.Known.valueOf(turnCoverage.name())));
    }
    return config.build();
  }

  @Override
  public String toString() {
    return "SessionSpec[model="
        + model
        + ", auth="
        + auth
        + ", transport="
        + transport
        + ", responseModality="
        + responseModality
        + ", voice="
        + voice
        + ", languageCode="
        + languageCode
        + ", tools="
        + tools.names()
        + ", sessionResumption="
        + sessionResumption
        + ", compression="
        + compression
        + ", reconnectPolicy="
        + reconnectPolicy
        + "]";
  }
}
