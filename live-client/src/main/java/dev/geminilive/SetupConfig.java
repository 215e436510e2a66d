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
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Turns a {@link SessionSpec} into the SDK's {@link LiveConnectConfig}: the one place where the
 * library's settings become the service's setup (and, through it, an ephemeral token's
 * constraints). Stateless.
 */
final class SetupConfig {
  private SetupConfig() {}

  /** The configuration of one connection; a null handle opens a new service session. */
  static LiveConnectConfig of(SessionSpec spec, @Nullable String resumptionHandle) {
    LiveConnectConfig.Builder b = LiveConnectConfig.builder();
    b.responseModalities(
        List.of(
            spec.responseModality() == ResponseModality.AUDIO
                ? new Modality(Modality.Known.AUDIO)
                : new Modality(Modality.Known.TEXT)));
    if (spec.temperature() != null) {
      b.temperature(spec.temperature());
    }
    if (spec.topP() != null) {
      b.topP(spec.topP());
    }
    if (spec.topK() != null) {
      b.topK(spec.topK());
    }
    if (spec.maxOutputTokens() != null) {
      b.maxOutputTokens(spec.maxOutputTokens());
    }
    if (spec.seed() != null) {
      b.seed(spec.seed());
    }
    if (spec.voice() != null || spec.languageCode() != null) {
      SpeechConfig.Builder speech = SpeechConfig.builder();
      if (spec.voice() != null) {
        speech.voiceConfig(
            VoiceConfig.builder()
                .prebuiltVoiceConfig(PrebuiltVoiceConfig.builder().voiceName(spec.voice()).build())
                .build());
      }
      if (spec.languageCode() != null) {
        speech.languageCode(spec.languageCode());
      }
      b.speechConfig(speech.build());
    }
    if (spec.thinkingLevel() != null
        || spec.thinkingBudget() != null
        || spec.includeThoughts() != null) {
      ThinkingConfig.Builder thinking = ThinkingConfig.builder();
      if (spec.includeThoughts() != null) {
        thinking.includeThoughts(spec.includeThoughts());
      }
      if (spec.thinkingBudget() != null) {
        thinking.thinkingBudget(spec.thinkingBudget());
      }
      if (spec.thinkingLevel() != null) {
        thinking.thinkingLevel(
            new com.google.genai.types.ThinkingLevel(
                com.google.genai.types.ThinkingLevel.Known.valueOf(spec.thinkingLevel().name())));
      }
      b.thinkingConfig(thinking.build());
    }
    if (spec.affectiveDialog() != null) {
      b.enableAffectiveDialog(spec.affectiveDialog());
    }
    if (spec.systemInstruction() != null) {
      b.systemInstruction(Content.fromParts(Part.fromText(spec.systemInstruction())));
    }
    if (!spec.tools().declarations().isEmpty()) {
      b.tools(List.of(Tool.builder().functionDeclarations(spec.tools().declarations()).build()));
    }
    if (spec.sessionResumption()) {
      SessionResumptionConfig.Builder resumption = SessionResumptionConfig.builder();
      if (resumptionHandle != null) {
        resumption.handle(resumptionHandle);
      }
      if (spec.transparentResumption()) {
        resumption.transparent(true);
      }
      b.sessionResumption(resumption.build());
    }
    if (spec.inputTranscription()) {
      b.inputAudioTranscription(AudioTranscriptionConfig.builder().build());
    }
    if (spec.outputTranscription()) {
      b.outputAudioTranscription(AudioTranscriptionConfig.builder().build());
    }
    b.realtimeInputConfig(realtimeInputConfig(spec));
    b.contextWindowCompression(
        ContextWindowCompressionConfig.builder()
            .triggerTokens(spec.compression().triggerTokens())
            .slidingWindow(
                SlidingWindow.builder().targetTokens(spec.compression().targetTokens()).build())
            .build());
    if (spec.proactiveAudio() != null) {
      b.proactivity(ProactivityConfig.builder().proactiveAudio(spec.proactiveAudio()).build());
    }
    return b.build();
  }

  private static RealtimeInputConfig realtimeInputConfig(SessionSpec spec) {
    AutomaticActivityDetection.Builder vad =
        AutomaticActivityDetection.builder().disabled(!spec.activityDetection().enabled());
    if (spec.activityDetection().startSensitivity() != null) {
      vad.startOfSpeechSensitivity(
          new StartSensitivity(
              spec.activityDetection().startSensitivity() == ActivityDetection.Sensitivity.LOW
                  ? StartSensitivity.Known.START_SENSITIVITY_LOW
                  : StartSensitivity.Known.START_SENSITIVITY_HIGH));
    }
    if (spec.activityDetection().endSensitivity() != null) {
      vad.endOfSpeechSensitivity(
          new EndSensitivity(
              spec.activityDetection().endSensitivity() == ActivityDetection.Sensitivity.LOW
                  ? EndSensitivity.Known.END_SENSITIVITY_LOW
                  : EndSensitivity.Known.END_SENSITIVITY_HIGH));
    }
    if (spec.activityDetection().prefixPadding() != null) {
      vad.prefixPaddingMs((int) spec.activityDetection().prefixPadding().toMillis());
    }
    if (spec.activityDetection().silenceDuration() != null) {
      vad.silenceDurationMs((int) spec.activityDetection().silenceDuration().toMillis());
    }
    RealtimeInputConfig.Builder config =
        RealtimeInputConfig.builder().automaticActivityDetection(vad.build());
    if (spec.activityHandling() != null) {
      config.activityHandling(
          new com.google.genai.types.ActivityHandling(
              Known.valueOf(spec.activityHandling().name())));
    }
    if (spec.turnCoverage() != null) {
      config.turnCoverage(
          new com.google.genai.types.TurnCoverage(
              com.google.genai.types.TurnCoverage.Known.valueOf(spec.turnCoverage().name())));
    }
    return config.build();
  }
}
