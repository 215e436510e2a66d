package dev.geminilive.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.genai.types.HarmBlockThreshold;
import com.google.genai.types.HarmCategory;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.MediaResolution;
import dev.geminilive.ReconnectPolicy;
import dev.geminilive.SessionSpec;
import dev.geminilive.ThinkingLevel;
import dev.geminilive.Transcription;
import dev.geminilive.TranscriptionMode;
import dev.geminilive.tokens.EphemeralTokenService;
import dev.geminilive.tools.LiveTool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/** The auto-configuration's beans and its checks of the properties, without a server. */
class GeminiLiveAutoConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(GeminiLiveAutoConfiguration.class))
          .withPropertyValues("gemini.live.api-key=test-key");

  @Test
  void propertiesConfigureEveryBuilder() {
    runner
        .withPropertyValues(
            "gemini.live.model=gemini-2.5-flash-native-audio-preview-12-2025",
            "gemini.live.voice=Peri",
            "gemini.live.language=en-US",
            "gemini.live.base-url=https://gateway.example.test",
            "gemini.live.connect-timeout=3s",
            "gemini.live.tool-timeout=7s",
            "gemini.live.reconnect.initial-delay=100ms",
            "gemini.live.reconnect.max-delay=2s",
            "gemini.live.reconnect.jitter=0",
            "gemini.live.reconnect.max-attempts=4")
        .run(
            context -> {
              SessionSpec spec = context.getBean(LiveSessionBuilder.class).build();
              assertThat(spec.model()).isEqualTo("gemini-2.5-flash-native-audio-preview-12-2025");
              assertThat(spec.voice()).isEqualTo("Peri");
              assertThat(spec.languageCode()).isEqualTo("en-US");
              assertThat(spec.baseUrl()).isEqualTo("https://gateway.example.test");
              assertThat(spec.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
              assertThat(spec.toolTimeout()).isEqualTo(Duration.ofSeconds(7));
              assertThat(spec.reconnectPolicy())
                  .isEqualTo(
                      ReconnectPolicy.exponential(
                              Duration.ofMillis(100), 2.0, Duration.ofSeconds(2))
                          .withJitter(0)
                          .withMaxAttempts(4));
            });
  }

  @Test
  void theThreeEightSettingsConfigureEveryBuilder() {
    runner
        .withPropertyValues(
            "gemini.live.model=gemini-3.8-live-extended-thinking",
            "gemini.live.thinking-level=MEDIUM",
            "gemini.live.media-resolution=LOW",
            "gemini.live.labels.team=coaching",
            "gemini.live.safety.harassment=block-low-and-above",
            "gemini.live.transcription.input.custom-vocabulary=Laura,Brooklyn",
            "gemini.live.transcription.input.language-codes=en-US",
            "gemini.live.transcription.input.mode=VERBATIM",
            "gemini.live.transcription.output.enabled=true")
        .run(
            context -> {
              SessionSpec spec = context.getBean(LiveSessionBuilder.class).build();
              assertThat(spec.thinkingLevel()).isEqualTo(ThinkingLevel.MEDIUM);
              assertThat(spec.mediaResolution()).isEqualTo(MediaResolution.LOW);
              assertThat(spec.labels()).containsExactly(Map.entry("team", "coaching"));
              assertThat(spec.safetySettings())
                  .singleElement()
                  .satisfies(
                      s -> {
                        assertThat(s.category().orElseThrow().knownEnum())
                            .isEqualTo(HarmCategory.Known.HARM_CATEGORY_HARASSMENT);
                        assertThat(s.threshold().orElseThrow().knownEnum())
                            .isEqualTo(HarmBlockThreshold.Known.BLOCK_LOW_AND_ABOVE);
                      });
              assertThat(spec.inputTranscription()).isTrue();
              assertThat(spec.inputTranscriptionSettings())
                  .isEqualTo(
                      new Transcription(
                          List.of("Laura", "Brooklyn"),
                          List.of("en-US"),
                          TranscriptionMode.VERBATIM));
              assertThat(spec.outputTranscription()).isTrue();
            });
  }

  @Test
  void aThreeEightRuleBrokenByAPropertyNamesTheProperty() {
    runner
        .withPropertyValues("gemini.live.model=gemini-3.8-live", "gemini.live.thinking-level=LOW")
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable failure = rootOf(context.getStartupFailure());
              assertThat(((InvalidConfigurationPropertyValueException) failure).getName())
                  .isEqualTo("gemini.live.thinking-level");
              assertThat(failure.getMessage()).contains("thinkingLevel");
            });
  }

  @Test
  void anUnknownHarmCategoryStopsTheStartNamingTheProperty() {
    runner
        .withPropertyValues("gemini.live.safety.rudeness=block-low-and-above")
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable failure = rootOf(context.getStartupFailure());
              assertThat(((InvalidConfigurationPropertyValueException) failure).getName())
                  .isEqualTo("gemini.live.safety.rudeness");
            });
  }

  @Test
  void eachInjectionGetsAFreshBuilderWithTheCustomizersAppliedInOrder() {
    runner
        .withBean("second", LiveSessionBuilderCustomizer.class, () -> new Customizer("second"))
        .withBean("first", LiveSessionBuilderCustomizer.class, () -> new First())
        .withBean(Tools.class, Tools::new)
        .run(
            context -> {
              LiveSessionBuilder one = context.getBean(LiveSessionBuilder.class);
              LiveSessionBuilder two = context.getBean(LiveSessionBuilder.class);
              assertThat(one).isNotSameAs(two);
              SessionSpec spec = one.build();
              // The last customizer wins: "second" is ordered after "first".
              assertThat(spec.systemInstruction()).isEqualTo("second");
              assertThat(spec.tools().names()).containsExactly("ping");
            });
  }

  @Test
  void aWrongPropertyStopsTheStartNamingTheProperty() {
    runner
        .withPropertyValues("gemini.live.reconnect.jitter=1.5")
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable failure = rootOf(context.getStartupFailure());
              assertThat(failure).isInstanceOf(InvalidConfigurationPropertyValueException.class);
              assertThat(((InvalidConfigurationPropertyValueException) failure).getName())
                  .isEqualTo("gemini.live.reconnect.jitter");
              assertThat(failure.getMessage()).contains("jitter must be between 0 and 1");
            });
  }

  @Test
  void aSettingTheModelCannotRunStopsTheStartWithTheLibrarysReason() {
    runner
        .withPropertyValues("gemini.live.language=not a language")
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable failure = rootOf(context.getStartupFailure());
              assertThat(((InvalidConfigurationPropertyValueException) failure).getName())
                  .isEqualTo("gemini.live.language");
            });
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void springBootReportsAWrongPropertyWithWhatToChange(CapturedOutput output) {
    SpringApplicationBuilder app =
        new SpringApplicationBuilder(Empty.class)
            .web(WebApplicationType.NONE)
            .properties(
                "gemini.live.api-key=test-key",
                "gemini.live.token.expire=1h",
                "gemini.live.token.new-session-expire=2h");
    assertThatThrownBy(app::run).isInstanceOf(RuntimeException.class);
    assertThat(output.getOut() + output.getErr())
        .contains("APPLICATION FAILED TO START")
        .contains(
            "Invalid value '2h' for configuration property 'gemini.live.token.new-session-expire'")
        .contains("exceeds the token's lifetime")
        .contains("Review the value of the property");
  }

  @Test
  void anApiKeyAndVertexTogetherAreRefused() {
    runner
        .withPropertyValues("gemini.live.vertex.project=p", "gemini.live.vertex.location=global")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(rootOf(context.getStartupFailure()).getMessage())
                  .contains("choose one way to authenticate")
                  .doesNotContain("test-key");
            });
  }

  @Test
  void theTokenServiceNeedsAnApiKey() {
    runner.run(context -> assertThat(context).hasSingleBean(EphemeralTokenService.class));
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GeminiLiveAutoConfiguration.class))
        .withPropertyValues("gemini.live.vertex.project=p", "gemini.live.vertex.location=global")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(EphemeralTokenService.class);
            });
  }

  @Test
  void theTokenEndpointWithoutAnApiKeyStopsTheStart() {
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GeminiLiveAutoConfiguration.class))
        .withPropertyValues(
            "gemini.live.vertex.project=p",
            "gemini.live.vertex.location=global",
            "gemini.live.token.endpoint.enabled=true")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(rootOf(context.getStartupFailure()).getMessage())
                  .contains("gemini.live.token.endpoint.enabled")
                  .contains("set gemini.live.api-key");
            });
  }

  @Test
  void withoutCredentialsTheContextStartsAndTheBuilderSaysWhatIsMissing() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GeminiLiveAutoConfiguration.class))
        .withSystemProperties("GEMINI_API_KEY=")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(EphemeralTokenService.class);
              assertThatThrownBy(() -> context.getBean(LiveSessionBuilder.class).build())
                  .hasMessageContaining("No credentials");
            });
  }

  private static Throwable rootOf(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && !(c instanceof InvalidConfigurationPropertyValueException)) {
      c = c.getCause();
    }
    return c;
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class Empty {}

  @Order(1)
  static final class First implements LiveSessionBuilderCustomizer {
    @Override
    public void customize(LiveSessionBuilder builder) {
      builder.systemInstruction("first");
    }
  }

  @Order(2)
  static final class Customizer implements LiveSessionBuilderCustomizer {
    private final String text;

    Customizer(String text) {
      this.text = text;
    }

    @Override
    public void customize(LiveSessionBuilder builder) {
      builder.systemInstruction(text);
    }
  }

  static final class Tools {
    @LiveTool(name = "ping", description = "Answers pong.")
    public String ping() {
      return "pong";
    }
  }
}
