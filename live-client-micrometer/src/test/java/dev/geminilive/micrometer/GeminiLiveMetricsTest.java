package dev.geminilive.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolBehavior;
import dev.geminilive.tools.ToolParam;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The meters of whole sessions against the fake server. */
class GeminiLiveMetricsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** The tools the model calls in these tests: BLOCKING, so each is answered within its turn. */
  public static final class Lookup {
    @LiveTool(name = "lookup", description = "Looks a thing up.", behavior = ToolBehavior.BLOCKING)
    public String lookup(@ToolParam(description = "What to look up") String query) {
      return "found " + query;
    }

    @LiveTool(name = "broken", description = "Always fails.", behavior = ToolBehavior.BLOCKING)
    public String broken(@ToolParam(description = "Anything") String query) {
      throw new IllegalStateException("down");
    }
  }

  private double count(String name, String... tags) {
    return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
  }

  private double gauge(String state) {
    return registry.find(GeminiLiveMetrics.SESSIONS_ACTIVE).tag("state", state).gauges().stream()
        .mapToDouble(Gauge::value)
        .sum();
  }

  @Test
  void aCallWithAToolAGoAwayAndADropYieldsTheExpectedMeters() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText("look it up")
                .callTool("lookup", Map.of("query", "x"))
                .onToolResponse("lookup")
                .reply(r -> r.say("Found it."))
                .onText("and this")
                .callTool("broken", Map.of("query", "y"))
                .onToolResponse("broken")
                .reply(r -> r.say("That did not work."))
                .onText("thanks")
                .say("You're welcome."));
    GeminiLiveMetrics metrics = GeminiLiveMetrics.builder().tags("app", "coach").build();
    metrics.bindTo(registry);
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        server
            .sessionBuilder()
            .tools(new Lookup())
            .listener(events)
            .observer(metrics.withTags(Tags.of("tenant", "acme")))
            .connect()) {
      assertThat(gauge("active")).isEqualTo(1);
      session.sendText("look it up");
      events.awaitTurnComplete(1, WAIT);

      server.connections().get(0).goAway(Duration.ofSeconds(10));
      events.await(EventType.RECONNECTED, 1, WAIT);
      session.sendText("and this");
      events.awaitTurnComplete(2, WAIT);

      server.awaitConnections(2, WAIT).get(1).drop();
      events.await(EventType.RECONNECTED, 2, WAIT);
      session.sendText("thanks");
      events.awaitTurnComplete(3, WAIT);
    }

    String[] base = {"app", "coach", "tenant", "acme", "model", "gemini-3.8-live"};
    assertThat(count(GeminiLiveMetrics.SESSIONS_STARTED, base)).isEqualTo(1);
    assertThat(count(GeminiLiveMetrics.SESSIONS_ENDED, "outcome", "closed")).isEqualTo(1);
    assertThat(gauge("connecting") + gauge("active") + gauge("resuming")).isZero();

    assertThat(count(GeminiLiveMetrics.CONNECTIONS_OPENED)).isEqualTo(3);
    assertThat(count(GeminiLiveMetrics.CONNECTIONS_OPENED, "resumed", "true")).isEqualTo(2);
    assertThat(count(GeminiLiveMetrics.CONNECTIONS_CLOSED, "cause", "go_away")).isEqualTo(1);
    assertThat(count(GeminiLiveMetrics.CONNECTIONS_CLOSED, "cause", "network")).isEqualTo(1);
    assertThat(count(GeminiLiveMetrics.CONNECTIONS_CLOSED, "cause", "client_close")).isEqualTo(1);
    assertThat(count(GeminiLiveMetrics.GO_AWAYS)).isEqualTo(1);
    assertThat(count(GeminiLiveMetrics.RECONNECTS, "cause", "go_away", "restoration", "resumed"))
        .isEqualTo(1);
    assertThat(count(GeminiLiveMetrics.RECONNECTS, "cause", "network")).isEqualTo(1);
    assertThat(count(GeminiLiveMetrics.RECONNECT_ATTEMPTS, "planned", "true")).isEqualTo(1);
    assertThat(count(GeminiLiveMetrics.RECONNECT_ATTEMPTS, "planned", "false")).isGreaterThan(0);

    Timer lookup =
        registry
            .find(GeminiLiveMetrics.TOOL_CALLS)
            .tags("tool", "lookup", "outcome", "success")
            .timer();
    assertThat(lookup).isNotNull();
    assertThat(lookup.count()).isEqualTo(1);
    assertThat(lookup.getId().getTags())
        .contains(io.micrometer.core.instrument.Tag.of("tenant", "acme"));
    Timer broken =
        registry
            .find(GeminiLiveMetrics.TOOL_CALLS)
            .tags("tool", "broken", "outcome", "error")
            .timer();
    assertThat(broken).isNotNull();
    assertThat(broken.count()).isEqualTo(1);

    // One answer per user turn; after a tool call the clock restarts at the tool response.
    Timer latency = registry.find(GeminiLiveMetrics.RESPONSE_LATENCY).tag("first", "audio").timer();
    assertThat(latency).isNotNull();
    assertThat(latency.count()).isGreaterThanOrEqualTo(3);
    assertThat(latency.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();

    assertThat(count(GeminiLiveMetrics.TURNS)).isGreaterThanOrEqualTo(3);
    assertThat(count(GeminiLiveMetrics.TOKENS, "type", "input", "modality", "text")).isPositive();
    assertThat(count(GeminiLiveMetrics.TOKENS, "type", "output", "modality", "audio")).isPositive();

    // No meter carries a session id or anything the user said.
    registry.getMeters().stream()
        .flatMap(m -> m.getId().getTags().stream())
        .forEach(
            t -> {
              assertThat(t.getValue()).doesNotStartWith("live-session-");
              assertThat(t.getValue()).doesNotContain("look it up");
            });
  }

  @Test
  void interruptionsAndAFailedSessionAreCounted() throws Exception {
    FakeLiveServer server = live.server();
    server.script(s -> s.onText("talk").reply(r -> r.say("A long answer.").interrupt()));
    GeminiLiveMetrics metrics = GeminiLiveMetrics.of(registry);
    RecordingLiveListener events = new RecordingLiveListener();
    ResilientLiveSession session =
        server.sessionBuilder().listener(events).observer(metrics).connect();
    session.sendText("talk");
    events.await(EventType.INTERRUPTED, 1, WAIT);
    server.connections().get(0).close(1007, "Request contains an invalid argument.");
    events.awaitFailure(WAIT);

    assertThat(count(GeminiLiveMetrics.INTERRUPTIONS)).isEqualTo(1);
    assertThat(count(GeminiLiveMetrics.CONNECTIONS_CLOSED, "cause", "refused")).isEqualTo(1);
    assertThat(count(GeminiLiveMetrics.SESSIONS_ENDED, "outcome", "failed")).isEqualTo(1);
    assertThat(gauge("active") + gauge("resuming") + gauge("connecting")).isZero();
  }

  @Test
  void audioDroppedWhileReconnectingAndInputReplayedAfterADropAreCounted() throws Exception {
    FakeLiveServer server = live.server();
    server.script(s -> s.onText("hi").say("Hello."));
    GeminiLiveMetrics metrics = GeminiLiveMetrics.of(registry);
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        server
            .sessionBuilder()
            .listener(events)
            .observer(metrics)
            .maxQueuedBytes(64 * 1024)
            .connect()) {
      session.sendText("hi");
      events.awaitTurnComplete(1, WAIT);
      // No rule answers this, so no resumption update covers it: it is replayed after the drop.
      session.sendText("an unanswered line").get(5, java.util.concurrent.TimeUnit.SECONDS);
      server.faults().rejectUpgrades(5, 503);
      server.connections().get(0).drop();
      events.await(EventType.RECONNECTING, 1, WAIT);
      for (int i = 0; i < 3; i++) {
        session.sendAudio(new byte[60_000]); // each is over the 64 KiB bound: dropped
      }
      events.await(EventType.RECONNECTED, 1, WAIT);
    }
    assertThat(count(GeminiLiveMetrics.AUDIO_DROPPED)).isEqualTo(3);
    assertThat(count(GeminiLiveMetrics.MESSAGES_REPLAYED)).isGreaterThanOrEqualTo(1);
    assertThat(count(GeminiLiveMetrics.CONNECTIONS_FAILED)).isEqualTo(5);
  }

  @Test
  void sessionsObservedBeforeBindingAreCountedFromTheBindingOn() throws Exception {
    FakeLiveServer server = live.server();
    server.script(s -> s.onText("hi").say("Hello."));
    GeminiLiveMetrics metrics = GeminiLiveMetrics.create();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        server.sessionBuilder().listener(events).observer(metrics).connect()) {
      metrics.bindTo(registry);
      assertThat(gauge("active")).isEqualTo(1);
      session.sendText("hi");
      events.awaitTurnComplete(1, WAIT);
    }
    assertThat(count(GeminiLiveMetrics.SESSIONS_STARTED)).isZero();
    assertThat(count(GeminiLiveMetrics.SESSIONS_ENDED, "outcome", "closed")).isEqualTo(1);
    assertThat(gauge("active")).isZero();
  }

  @Test
  void aSecondRegistryIsRefusedWithAHint() {
    GeminiLiveMetrics metrics = GeminiLiveMetrics.of(registry);
    metrics.bindTo(registry);
    assertThatThrownBy(() -> metrics.bindTo(new SimpleMeterRegistry()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("CompositeMeterRegistry");
  }
}
