package dev.geminilive.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.LiveObserver;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.micrometer.GeminiLiveMetrics;
import dev.geminilive.opentelemetry.GeminiLiveTracing;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.RecordingLiveListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The starter's metrics and traces against the fake server: registered when their module, its
 * library and the application's registry or OpenTelemetry are there, attached to every builder the
 * starter hands out, and absent (with the starter still working) when they are not.
 */
class ObservabilityAutoConfigurationTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String MODEL = "gemini-3.8-live";

  @RegisterExtension
  final FakeLiveServerExtension live = new FakeLiveServerExtension(b -> b.plain(true));

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk openTelemetry =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(spans))
                  .build())
          .build();

  @AfterEach
  void closeOpenTelemetry() {
    openTelemetry.close();
  }

  private ApplicationContextRunner runner() {
    FakeLiveServer server = live.server();
    server.script(s -> s.onText("hello").say("Hi there."));
    return new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                GeminiLiveAutoConfiguration.class,
                GeminiLiveMetricsAutoConfiguration.class,
                GeminiLiveTracingAutoConfiguration.class))
        .withPropertyValues(
            "gemini.live.api-key=" + server.apiKey(), "gemini.live.base-url=" + server.baseUrl());
  }

  /** The actuator's metrics infrastructure, as an application with Spring Boot Actuator has it. */
  private ApplicationContextRunner withActuatorMetrics(ApplicationContextRunner runner) {
    return runner.withConfiguration(
        AutoConfigurations.of(
            MetricsAutoConfiguration.class,
            SimpleMetricsExportAutoConfiguration.class,
            CompositeMeterRegistryAutoConfiguration.class));
  }

  /**
   * One call through a builder the starter hands out: a turn, then a close; returns once the
   * session has terminated, so its observers have seen it end.
   */
  private static void holdACall(AssertableApplicationContext context) throws Exception {
    RecordingLiveListener events = new RecordingLiveListener();
    ResilientLiveSession session =
        context.getBean(LiveSessionBuilder.class).listener(events).connect();
    try (session) {
      session.sendText("hello");
      events.awaitTurnComplete(1, WAIT);
    }
    events.awaitEnd(WAIT);
    session.termination().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static double count(MeterRegistry registry, String name, String... tags) {
    return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
  }

  @Test
  void aCallYieldsTheMetersInTheApplicationsRegistryWithTheConfiguredTags() {
    withActuatorMetrics(runner())
        .withPropertyValues("gemini.live.metrics.tags.app=coach")
        .withBean(
            GeminiLiveMetricsCustomizer.class, () -> metrics -> metrics.tags("region", "eu-west"))
        .run(
            context -> {
              assertThat(context).hasSingleBean(GeminiLiveMetrics.class);
              holdACall(context);
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              String[] tags = {"app", "coach", "region", "eu-west", "model", MODEL};
              assertThat(count(registry, GeminiLiveMetrics.SESSIONS_STARTED, tags)).isEqualTo(1);
              assertThat(count(registry, GeminiLiveMetrics.CONNECTIONS_OPENED, tags)).isEqualTo(1);
              assertThat(count(registry, GeminiLiveMetrics.TURNS, tags)).isEqualTo(1);
              assertThat(
                      count(
                          registry,
                          GeminiLiveMetrics.SESSIONS_ENDED,
                          "outcome",
                          "closed",
                          "app",
                          "coach"))
                  .isEqualTo(1);
            });
  }

  @Test
  void aRegistryDefinedWithoutActuatorGetsTheMetersToo() {
    runner()
        .withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
        .run(
            context -> {
              holdACall(context);
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              assertThat(count(registry, GeminiLiveMetrics.SESSIONS_STARTED, "model", MODEL))
                  .isEqualTo(1);
            });
  }

  @Test
  void withoutMicrometerOnTheClasspathTheStarterStartsAndSessionsRun() {
    runner()
        .withClassLoader(new FilteredClassLoader("io.micrometer"))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(GeminiLiveMetricsAutoConfiguration.class);
              holdACall(context);
            });
  }

  @Test
  void withoutTheMetricsModuleARegistryAloneAddsNothing() {
    runner()
        .withClassLoader(new FilteredClassLoader(GeminiLiveMetrics.class))
        .withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(GeminiLiveMetricsAutoConfiguration.class);
              holdACall(context);
              assertThat(context.getBean(MeterRegistry.class).find("gemini.live.sessions.started"))
                  .satisfies(search -> assertThat(search.counters()).isEmpty());
            });
  }

  @Test
  void withoutAMeterRegistryThereAreNoMetrics() {
    runner()
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(GeminiLiveMetrics.class);
            });
  }

  @Test
  void metricsAndTracingCanBeTurnedOff() {
    withActuatorMetrics(runner())
        .withBean(OpenTelemetry.class, () -> openTelemetry)
        .withPropertyValues(
            "gemini.live.metrics.enabled=false", "gemini.live.tracing.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(GeminiLiveMetrics.class);
              assertThat(context).doesNotHaveBean(GeminiLiveTracing.class);
              holdACall(context);
              assertThat(
                      count(
                          context.getBean(MeterRegistry.class), GeminiLiveMetrics.SESSIONS_STARTED))
                  .isZero();
              assertThat(spans.getFinishedSpanItems()).isEmpty();
            });
  }

  @Test
  void aTagWithoutAValueStopsTheStartNamingTheProperty() {
    withActuatorMetrics(runner())
        .withPropertyValues("gemini.live.metrics.tags.tenant= ")
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable failure = context.getStartupFailure();
              while (!(failure instanceof InvalidConfigurationPropertyValueException)
                  && failure.getCause() != null) {
                failure = failure.getCause();
              }
              assertThat(failure).isInstanceOf(InvalidConfigurationPropertyValueException.class);
              assertThat(((InvalidConfigurationPropertyValueException) failure).getName())
                  .isEqualTo("gemini.live.metrics.tags.tenant");
            });
  }

  @Test
  void aCallIsTracedThroughTheApplicationsOpenTelemetry() {
    runner()
        .withBean(OpenTelemetry.class, () -> openTelemetry)
        .run(
            context -> {
              assertThat(context).hasSingleBean(GeminiLiveTracing.class);
              holdACall(context);
              SpanData session =
                  spans.getFinishedSpanItems().stream()
                      .filter(s -> s.getName().equals("chat " + MODEL))
                      .findFirst()
                      .orElseThrow();
              assertThat(
                      session.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model")))
                  .isEqualTo(MODEL);
              assertThat(spans.getFinishedSpanItems())
                  .anyMatch(
                      s ->
                          s.getName().equals("gemini_live.connection")
                              && s.getParentSpanId().equals(session.getSpanId()));
            });
  }

  @Test
  void withoutOpenTelemetryOnTheClasspathTheStarterStarts() {
    runner()
        .withClassLoader(new FilteredClassLoader("io.opentelemetry"))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(GeminiLiveTracingAutoConfiguration.class);
              holdACall(context);
            });
  }

  @Test
  void everyObserverFactoryBeanIsAttachedToEveryBuilder() {
    AtomicInteger observed = new AtomicInteger();
    runner()
        .withBean(
            "counting",
            LiveObserver.Factory.class,
            () ->
                (sessionId, spec) -> {
                  observed.incrementAndGet();
                  return LiveObserver.NONE;
                })
        .run(
            context -> {
              holdACall(context);
              holdACall(context);
              assertThat(observed).hasValue(2);
            });
  }
}
