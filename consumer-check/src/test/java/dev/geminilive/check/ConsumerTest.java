package dev.geminilive.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.geminilive.ResilientLiveSession;
import dev.geminilive.micrometer.GeminiLiveMetrics;
import dev.geminilive.opentelemetry.GeminiLiveTracing;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.RecordingLiveListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an application gets from the BOM: a working session, meters and spans on the Micrometer and
 * OpenTelemetry it chose, and named modules.
 */
class ConsumerTest {
  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  @Test
  void aSessionRunsWithWhatTheBomResolves() {
    live.server().script(s -> s.onText("hello").say("Hi there."));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        live.server().sessionBuilder().listener(events).connect()) {
      session.sendText("hello");
      events.awaitTurnComplete(1, Duration.ofSeconds(10));
    }
    assertTrue(events.outputTranscript().contains("Hi there."), events.outputTranscript());
  }

  @Test
  void metersAndSpansWorkOnTheApplicationsNewerMicrometerAndOpenTelemetry() throws Exception {
    // The modules are built against Micrometer 1.15.5 and OpenTelemetry 1.49.0; this application
    // runs them on the newer versions it chose.
    assertTrue(jarOf(MeterRegistry.class).endsWith("micrometer-core-1.17.2.jar"));
    assertTrue(jarOf(OpenTelemetry.class).endsWith("opentelemetry-api-1.68.0.jar"));
    live.server().script(s -> s.onText("hello").say("Hi there."));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    try (OpenTelemetrySdk openTelemetry =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .build()) {
      RecordingLiveListener events = new RecordingLiveListener();
      try (ResilientLiveSession session =
          live.server()
              .sessionBuilder()
              .observer(GeminiLiveMetrics.of(registry))
              .observer(GeminiLiveTracing.create(openTelemetry))
              .listener(events)
              .connect()) {
        session.sendText("hello");
        events.awaitTurnComplete(1, Duration.ofSeconds(10));
      }
      events.awaitEnd(Duration.ofSeconds(10));
      assertEquals(1.0, registry.get(GeminiLiveMetrics.TURNS).counter().count());
      assertTrue(
          spans.getFinishedSpanItems().stream()
              .anyMatch(span -> span.getName().equals("gemini_live.connection")),
          () -> "no connection span in " + spans.getFinishedSpanItems());
    }
  }

  @Test
  void eachPublishedJarNamesItsModule() throws Exception {
    assertEquals("dev.geminilive", moduleName(ResilientLiveSession.class));
    assertEquals("dev.geminilive.testkit", moduleName(FakeLiveServerExtension.class));
    assertEquals("dev.geminilive.micrometer", moduleName(GeminiLiveMetrics.class));
    assertEquals("dev.geminilive.opentelemetry", moduleName(GeminiLiveTracing.class));
  }

  private static String jarOf(Class<?> type) throws Exception {
    URL location = type.getProtectionDomain().getCodeSource().getLocation();
    return Path.of(location.toURI()).toString();
  }

  private static String moduleName(Class<?> type) throws Exception {
    Path path = Path.of(jarOf(type));
    assertTrue(
        path.toString().endsWith(".jar"),
        type.getName() + " should come from a jar, as it does for an application, not " + path);
    try (JarFile jar = new JarFile(path.toFile())) {
      return jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
    }
  }
}
