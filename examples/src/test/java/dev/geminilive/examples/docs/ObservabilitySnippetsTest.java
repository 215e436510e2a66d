package dev.geminilive.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.micrometer.GeminiLiveMetrics;
import dev.geminilive.opentelemetry.GeminiLiveTracing;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.RecordingLiveListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The wiring shown in docs/observability.md; it runs with the build. */
class ObservabilitySnippetsTest {
  @RegisterExtension final FakeLiveServerExtension live = new FakeLiveServerExtension();

  @Test
  void metricsAndTracingAttachToEverySession() {
    live.server().script(s -> s.onText("hello").say("Hi."));
    MeterRegistry meterRegistry = new SimpleMeterRegistry();
    OpenTelemetry openTelemetry = OpenTelemetry.noop();
    RecordingLiveListener events = new RecordingLiveListener();
    LiveSessionBuilder builder = live.server().sessionBuilder().listener(events);
    String tenantId = "acme";
    String campaign = "renewals";

    // snippet:observability-wiring
    GeminiLiveMetrics metrics = GeminiLiveMetrics.builder().tags("app", "coach").build();
    metrics.bindTo(meterRegistry); // once per application
    GeminiLiveTracing tracing = GeminiLiveTracing.create(openTelemetry);

    ResilientLiveSession session =
        builder // ResilientLiveSession.builder() with the agent's settings
            .observer(metrics.withTags(Tags.of("tenant", tenantId, "campaign", campaign)))
            .observer(tracing)
            .connect();
    // end:observability-wiring

    try (session) {
      session.sendText("hello");
      events.awaitTurnComplete();
    }
    assertThat(
            meterRegistry
                .find(GeminiLiveMetrics.SESSIONS_ENDED)
                .tags("app", "coach", "tenant", "acme", "campaign", "renewals")
                .counter()
                .count())
        .isEqualTo(1);
  }
}
