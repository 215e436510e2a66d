package dev.geminilive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.ContextUpdate;
import dev.geminilive.LiveObserver;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionSpec;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.it.lifecycle.Waits;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import dev.geminilive.testkit.ServerEffect;
import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolParam;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The observer seam, seen through whole sessions against the fake server. */
class ObserverTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  /** What a tracing observer makes current around a tool; read by the tool on its thread. */
  static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

  /** A tool that reports what it saw on its thread. */
  public static final class Probe {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @LiveTool(name = "probe", description = "Reports its context.")
    public String probe(@ToolParam(description = "Anything") String query) {
      seen.add("current=" + CURRENT.get() + " on " + Thread.currentThread().getName());
      return "ok";
    }
  }

  /** Records events as strings, and sets {@link #CURRENT} around tool execution. */
  static final class Recording implements LiveObserver {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void connectionStarted(int connection, boolean resuming) {
      events.add("started " + connection + " resuming=" + resuming);
    }

    @Override
    public void connectionOpened(int connection, @Nullable String serviceSessionId) {
      events.add("opened " + connection);
    }

    @Override
    public void connectionClosed(
        int connection, DisconnectCause cause, int closeCode, String reason) {
      events.add("closed " + connection + " " + cause);
    }

    @Override
    public void toolCallStarted(ToolCallEvent call) {
      events.add("tool " + call.name());
    }

    @Override
    public Scope toolExecution(ToolCallEvent call) {
      CURRENT.set("span-of-" + call.id());
      return () -> CURRENT.remove();
    }

    @Override
    public void toolCallEnded(ToolCallEvent call, ToolOutcome outcome, Duration elapsed) {
      events.add("tool " + call.name() + " " + outcome);
    }

    @Override
    public void sessionEnded(dev.geminilive.@Nullable LiveException failure) {
      events.add("ended " + (failure == null ? "closed" : "failed"));
    }
  }

  @Test
  void theObserverSeesConnectionsAndToolsAndScopesTheHandler() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText("probe")
                .callTool("probe", Map.of("query", "x"))
                .onToolResponse("probe")
                .reply(r -> r.say("Done.")));
    Recording observer = new Recording();
    Probe probe = new Probe();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        server
            .sessionBuilder()
            .tools(probe)
            .listener(events)
            .observer((sessionId, spec) -> observer)
            .connect()) {
      session.sendText("probe");
      events.awaitTurnComplete(1, WAIT);
    }
    assertThat(observer.events)
        .containsSubsequence(
            "started 1 resuming=false",
            "opened 1",
            "tool probe",
            "tool probe SUCCESS",
            "closed 1 CLIENT_CLOSE",
            "ended closed");
    String callId = events.<ToolCallEvent>values(EventType.TOOL_CALL).get(0).id();
    assertThat(probe.seen).hasSize(1);
    assertThat(probe.seen.get(0)).startsWith("current=span-of-" + callId + " on gemini-live-tool-");
  }

  @Test
  void anObserverThatThrowsChangesNothing() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText("probe")
                .callTool("probe", Map.of("query", "x"))
                .onToolResponse("probe")
                .reply(r -> r.say("Done.")));
    LiveObserver throwing =
        new LiveObserver() {
          @Override
          public void connectionOpened(int connection, @Nullable String serviceSessionId) {
            throw new IllegalStateException("observer bug");
          }

          @Override
          public void toolCallStarted(ToolCallEvent call) {
            throw new IllegalStateException("observer bug");
          }

          @Override
          public Scope toolExecution(ToolCallEvent call) {
            throw new IllegalStateException("observer bug");
          }

          @Override
          public void replyRequested() {
            throw new IllegalStateException("observer bug");
          }
        };
    LiveObserver.Factory throwingFactory =
        (String sessionId, SessionSpec spec) -> {
          throw new IllegalStateException("factory bug");
        };
    Probe probe = new Probe();
    RecordingLiveListener events = new RecordingLiveListener();
    // On 3.1 the tool blocks: the one turn ends with the reply to its result.
    try (ResilientLiveSession session =
        Fakes.builder(server)
            .tools(probe)
            .listener(events)
            .observer((sessionId, spec) -> throwing)
            .observer(throwingFactory)
            .connect()) {
      session.sendText("probe");
      events.awaitTurnComplete(1, WAIT);
      assertThat(events.outputTranscript()).contains("Done.");
    }
    assertThat(probe.seen).hasSize(1);
    assertThat(events.count(EventType.TOOL_RESULT)).isEqualTo(1);
    assertThat(events.count(EventType.ERROR)).isZero();
  }

  @Test
  void aMoveTheSessionPlansItselfIsReportedAsPlannedAndAMoveAfterAGoAwayAsGoAway()
      throws Exception {
    FakeLiveServer server = live.server();
    server.script(s -> s.onText("hello").reply(r -> r.say("Hi, I am Laura.")));
    Recording observer = new Recording();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        Fakes.builder(server)
            .persona("You are Laura, a career coach.")
            .listener(events)
            .observer((sessionId, spec) -> observer)
            .connect()) {
      session.sendText("hello");
      events.awaitTurnComplete();
      Waits.handle(events, session, WAIT);
      // On 3.1 a context update is a move the session plans itself: no goAway is involved.
      session.updateContext(
          ContextUpdate.builder().systemInstruction("You are Laura. Be brief.").build());
      Reconnecting toUpdate = (Reconnecting) events.await(EventType.RECONNECTING, 1, WAIT).value();
      assertThat(toUpdate.planned()).isTrue();
      assertThat(toUpdate.cause()).contains("context update");
      events.await(EventType.RECONNECTED, 1, WAIT);

      server.connections().get(1).apply(ServerEffect.goAway(Duration.ofSeconds(3)));
      Reconnecting toGoAway = (Reconnecting) events.await(EventType.RECONNECTING, 2, WAIT).value();
      assertThat(toGoAway.cause()).contains("goAway");
      events.await(EventType.RECONNECTED, 2, WAIT);
    }
    assertThat(observer.events)
        .containsSubsequence("closed 1 PLANNED", "closed 2 GO_AWAY", "closed 3 CLIENT_CLOSE");
  }
}
