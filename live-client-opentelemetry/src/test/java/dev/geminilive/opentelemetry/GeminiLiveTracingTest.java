package dev.geminilive.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.geminilive.LiveObserver;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolBehavior;
import dev.geminilive.tools.ToolParam;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** Spans of whole sessions against the fake server, read from the in-memory exporter. */
class GeminiLiveTracingTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String MODEL = "gemini-3.8-live";

  @RegisterExtension static final OpenTelemetryExtension otel = OpenTelemetryExtension.create();

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeEach
  void captureLogs() {
    logs.start();
    root().addAppender(logs);
  }

  @AfterEach
  void stopCapturingLogs() {
    root().detachAppender(logs);
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  /**
   * A tool that starts a span of its own, as a handler calling a database would; BLOCKING, so each
   * call is answered within its turn, as the spans counted here expect.
   */
  public static final class Lookup {
    private final OpenTelemetry openTelemetry;

    Lookup(OpenTelemetry openTelemetry) {
      this.openTelemetry = openTelemetry;
    }

    @LiveTool(name = "lookup", description = "Looks a thing up.", behavior = ToolBehavior.BLOCKING)
    public String lookup(@ToolParam(description = "What to look up") String query) {
      LoggerFactory.getLogger(Lookup.class).info("looking up");
      Span db = openTelemetry.getTracer("app").spanBuilder("db query").startSpan();
      db.end();
      return "found";
    }

    @LiveTool(name = "broken", description = "Always fails.", behavior = ToolBehavior.BLOCKING)
    public String broken(@ToolParam(description = "Anything") String query) {
      throw new IllegalStateException("down");
    }
  }

  private static SpanData one(List<SpanData> spans, String name) {
    List<SpanData> named = spans.stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(named).as(name).hasSize(1);
    return named.get(0);
  }

  @Test
  void aCallWithAToolAGoAwayAndADropYieldsTheExpectedSpans() throws Exception {
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
    RecordingLiveListener events = new RecordingLiveListener();
    Span request = otel.getOpenTelemetry().getTracer("app").spanBuilder("POST /call").startSpan();
    String sessionName;
    try (Scope ignored = request.makeCurrent();
        ResilientLiveSession session =
            server
                .sessionBuilder()
                .tools(new Lookup(otel.getOpenTelemetry()))
                .listener(events)
                .observer(GeminiLiveTracing.create(otel.getOpenTelemetry()))
                .connect()) {
      sessionName = session.toString().substring(0, session.toString().indexOf('['));
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
    } finally {
      request.end();
    }

    List<SpanData> spans = otel.getSpans();
    SpanData sessionSpan = one(spans, "chat " + MODEL);
    SpanData requestSpan = one(spans, "POST /call");
    assertThat(sessionSpan.getParentSpanId()).isEqualTo(requestSpan.getSpanId());
    assertThat(sessionSpan.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(sessionSpan.getAttributes().get(GeminiLiveTracing.OPERATION)).isEqualTo("chat");
    assertThat(sessionSpan.getAttributes().get(GeminiLiveTracing.PROVIDER)).isEqualTo("gcp.gemini");
    assertThat(sessionSpan.getAttributes().get(GeminiLiveTracing.MODEL)).isEqualTo(MODEL);
    assertThat(sessionSpan.getAttributes().get(GeminiLiveTracing.CONVERSATION))
        .isEqualTo(sessionName);
    assertThat(sessionSpan.getAttributes().get(GeminiLiveTracing.INPUT_TOKENS)).isPositive();
    assertThat(sessionSpan.getAttributes().get(GeminiLiveTracing.OUTPUT_TOKENS)).isPositive();
    assertThat(sessionSpan.getAttributes().get(GeminiLiveTracing.END_REASON)).isEqualTo("closed");
    assertThat(sessionSpan.getAttributes().get(GeminiLiveTracing.CONNECTIONS)).isEqualTo(3);
    assertThat(sessionSpan.getAttributes().get(GeminiLiveTracing.RECONNECTS)).isEqualTo(2);
    assertThat(sessionSpan.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
    assertThat(sessionSpan.getEvents())
        .extracting(EventData::getName)
        .containsSubsequence(
            "gemini_live.go_away",
            "gemini_live.reconnecting",
            "gemini_live.reconnected",
            "gemini_live.reconnecting",
            "gemini_live.reconnected");

    List<SpanData> connections =
        spans.stream().filter(s -> s.getName().equals("gemini_live.connection")).toList();
    assertThat(connections).hasSize(3);
    assertThat(connections)
        .allSatisfy(c -> assertThat(c.getParentSpanId()).isEqualTo(sessionSpan.getSpanId()));
    assertThat(connections)
        .extracting(c -> c.getAttributes().get(GeminiLiveTracing.CAUSE))
        .containsExactly("go_away", "network", "client_close");
    assertThat(connections)
        .extracting(c -> c.getStatus().getStatusCode())
        .containsExactly(StatusCode.UNSET, StatusCode.ERROR, StatusCode.UNSET);
    assertThat(connections)
        .extracting(c -> c.getAttributes().get(GeminiLiveTracing.RESUMED))
        .containsExactly(false, true, true);

    SpanData lookup = one(spans, "execute_tool lookup");
    assertThat(lookup.getParentSpanId()).isEqualTo(sessionSpan.getSpanId());
    assertThat(lookup.getAttributes().get(GeminiLiveTracing.OPERATION)).isEqualTo("execute_tool");
    assertThat(lookup.getAttributes().get(GeminiLiveTracing.TOOL_NAME)).isEqualTo("lookup");
    assertThat(lookup.getAttributes().get(GeminiLiveTracing.TOOL_CALL_ID)).isNotEmpty();
    assertThat(lookup.getAttributes().get(GeminiLiveTracing.TOOL_OUTCOME)).isEqualTo("success");
    // The handler's own span nests under the tool call.
    assertThat(one(spans, "db query").getParentSpanId()).isEqualTo(lookup.getSpanId());

    SpanData broken = one(spans, "execute_tool broken");
    assertThat(broken.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(broken.getAttributes().get(GeminiLiveTracing.TOOL_OUTCOME)).isEqualTo("error");

    // Nothing the user or the model said is in any span.
    assertThat(spans.toString()).doesNotContain("look it up").doesNotContain("Found it.");
  }

  @Test
  void aFailedSessionEndsItsSpanWithAnError() throws Exception {
    FakeLiveServer server = live.server();
    server.script(s -> s.onText("talk").reply(r -> r.say("A long answer.").interrupt()));
    RecordingLiveListener events = new RecordingLiveListener();
    ResilientLiveSession session =
        server
            .sessionBuilder()
            .listener(events)
            .observer(GeminiLiveTracing.create(otel.getOpenTelemetry()))
            .connect();
    session.sendText("talk");
    events.await(EventType.INTERRUPTED, 1, WAIT);
    server.connections().get(0).close(1007, "Request contains an invalid argument.");
    events.awaitFailure(WAIT);

    SpanData sessionSpan = one(otel.getSpans(), "chat " + MODEL);
    assertThat(sessionSpan.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(sessionSpan.getAttributes().get(GeminiLiveTracing.END_REASON)).isEqualTo("failed");
    assertThat(sessionSpan.getEvents())
        .extracting(EventData::getName)
        .contains("gemini_live.interrupted");
    SpanData connection = one(otel.getSpans(), "gemini_live.connection");
    assertThat(connection.getAttributes().get(GeminiLiveTracing.CAUSE)).isEqualTo("refused");
    assertThat(connection.getAttributes().get(GeminiLiveTracing.CLOSE_CODE)).isEqualTo(1007);
  }

  @Test
  void logLinesOfTheSessionAndItsToolsCarryTheSessionIdInTheMdc() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText("look it up")
                .callTool("lookup", Map.of("query", "x"))
                .onToolResponse("lookup")
                .reply(r -> r.say("Found it.")));
    RecordingLiveListener events = new RecordingLiveListener();
    String sessionName;
    try (ResilientLiveSession session =
        server
            .sessionBuilder()
            .tools(new Lookup(OpenTelemetry.noop()))
            .listener(events)
            .connect()) {
      sessionName = session.toString().substring(0, session.toString().indexOf('['));
      session.sendText("look it up");
      events.awaitTurnComplete(1, WAIT);
    }
    List<ILoggingEvent> lines = List.copyOf(logs.list);
    ILoggingEvent toolLine =
        lines.stream().filter(e -> e.getFormattedMessage().equals("looking up")).findFirst().get();
    assertThat(toolLine.getMDCPropertyMap())
        .containsEntry(LiveObserver.MDC_SESSION_ID, sessionName);
    ILoggingEvent connected =
        lines.stream()
            .filter(e -> e.getFormattedMessage().contains("connected to"))
            .findFirst()
            .get();
    // Logged in one of the session's tasks: a shared worker, named after the session meanwhile.
    assertThat(connected.getThreadName()).isEqualTo(sessionName + "-events");
    assertThat(connected.getMDCPropertyMap())
        .containsEntry(LiveObserver.MDC_SESSION_ID, sessionName);
    // The test's own thread is left alone.
    assertThat(org.slf4j.MDC.get(LiveObserver.MDC_SESSION_ID)).isNull();
  }
}
