package dev.geminilive.check.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.micrometer.GeminiLiveMetrics;
import dev.geminilive.spring.LiveSessions;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import dev.geminilive.tools.LiveTool;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What a Spring Boot application gets from Spring Boot's BOM and ours: the starter's builders with
 * a tool bean, meters in Actuator's registry and spans through the application's OpenTelemetry, on
 * the Micrometer and OpenTelemetry versions Spring Boot manages.
 */
@SpringBootTest(
    classes = SpringConsumerTest.App.class,
    properties = "gemini.live.metrics.tags.app=consumer-check")
class SpringConsumerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private static final FakeLiveServer live = FakeLiveServer.builder().plain(true).build();

  @DynamicPropertySource
  static void fakeService(DynamicPropertyRegistry registry) {
    registry.add("gemini.live.api-key", live::apiKey);
    registry.add("gemini.live.base-url", live::baseUrl);
  }

  @AfterAll
  static void stopFake() {
    live.close();
  }

  @Autowired ObjectProvider<LiveSessionBuilder> builders;
  @Autowired LiveSessions sessions;
  @Autowired MeterRegistry registry;

  @Test
  void aCallWithAToolBeanYieldsMetersAndSpans() throws Exception {
    // Spring Boot 3.5.7 manages these; the modules are built against the same lines.
    assertThat(jarOf(MeterRegistry.class)).endsWith("micrometer-core-1.15.5.jar");
    assertThat(jarOf(OpenTelemetry.class)).endsWith("opentelemetry-api-1.49.0.jar");

    live.script(
        s ->
            s.onText("what time is it?")
                .callTool("clock", Map.of())
                .onAnyToolResponse()
                .say("It is noon."));
    RecordingLiveListener events = new RecordingLiveListener();
    ResilientLiveSession session = sessions.connect(builders.getObject().listener(events));
    try (session) {
      session.sendText("what time is it?");
      events.await(EventType.TOOL_RESULT);
      events.awaitTurnComplete(1, WAIT);
    }
    events.awaitEnd(WAIT);
    // Once terminated, the session's observers have seen it end (and ended its spans).
    session.termination().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(
            registry
                .get(GeminiLiveMetrics.TOOL_CALLS)
                .tags("app", "consumer-check", "tool", "clock", "outcome", "success")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(spans.getFinishedSpanItems())
        .anyMatch(s -> s.getName().equals("execute_tool clock"))
        .anyMatch(s -> s.getName().startsWith("chat "));
  }

  private static String jarOf(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  /** The application: auto-configuration, one tool bean and its OpenTelemetry. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    Clock clock() {
      return new Clock();
    }

    @Bean
    OpenTelemetry openTelemetry() {
      return OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
          .build();
    }
  }

  /** A tool bean, found by the starter. */
  static class Clock {
    @LiveTool(name = "clock", description = "Tells the time.")
    public String now() {
      return "12:00";
    }
  }
}
