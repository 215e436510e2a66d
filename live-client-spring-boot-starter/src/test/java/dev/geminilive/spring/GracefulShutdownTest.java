package dev.geminilive.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionState;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;

/** Stopping the application: running tool calls answer (or are cancelled), then sessions close. */
class GracefulShutdownTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final FakeLiveServer live = FakeLiveServer.builder().plain(true).build();

  @AfterEach
  void stop() {
    live.close();
  }

  private ConfigurableApplicationContext start(String toolGrace) {
    live.script(s -> s.onText("report please").callTool("slow_report", Map.of()));
    return new SpringApplicationBuilder(CoachTestApp.class, ShutdownProbe.class)
        .properties(
            "gemini.live.api-key=" + live.apiKey(),
            "gemini.live.base-url=" + live.baseUrl(),
            "gemini.live.shutdown.tool-grace=" + toolGrace,
            "server.port=0",
            "spring.main.banner-mode=off")
        .run();
  }

  @Test
  void aRunningToolAnswersBeforeTheSessionIsClosed() throws Exception {
    ConfigurableApplicationContext context = start("20s");
    CoachTestApp.CoachDesk desk = context.getBean(CoachTestApp.CoachDesk.class);
    RecordingLiveListener events = new RecordingLiveListener();
    ResilientLiveSession session = startSlowReport(context, events);

    Thread closer = new Thread(context::close, "closer");
    closer.start();
    // Shutdown has reached the sessions, which wait for the tool: the session is still up and
    // nothing was answered yet. (Were the probe stopped after the registry, this would time out:
    // the registry waits for the tool, released only below.)
    assertThat(context.getBean(ShutdownProbe.class).awaitStopping()).isTrue();
    assertThat(session.state()).isEqualTo(SessionState.ACTIVE);
    assertThat(live.recorder().ofKind(MessageKind.TOOL_RESPONSE)).isEmpty();

    desk.release();
    closer.join(WAIT.toMillis());
    assertThat(closer.isAlive()).isFalse();
    assertThat(session.state()).isEqualTo(SessionState.CLOSED);
    // The server records frames on its own thread: wait for the answer sent before the close.
    live.recorder().awaitOfKind(MessageKind.TOOL_RESPONSE, 1, WAIT);
    assertThat(live.connections().get(0).clientCloseCode()).isPresent();
    assertThat(live.recorder().ofKind(MessageKind.TOOL_RESPONSE).get(0).functionResponses())
        .first()
        .satisfies(r -> assertThat(r.at("/response/output").asText()).isEqualTo("report ready"));
    events.await(EventType.CLOSED);
  }

  @Test
  void aToolStillRunningAfterTheGracePeriodIsCancelledByTheClose() throws Exception {
    ConfigurableApplicationContext context = start("200ms");
    CoachTestApp.CoachDesk desk = context.getBean(CoachTestApp.CoachDesk.class);
    RecordingLiveListener events = new RecordingLiveListener();
    ResilientLiveSession session = startSlowReport(context, events);

    context.close(); // the tool never finishes by itself

    assertThat(session.state()).isEqualTo(SessionState.CLOSED);
    events.await(EventType.CLOSED);
    assertThat(live.recorder().ofKind(MessageKind.TOOL_RESPONSE)).isEmpty();
    assertThat(desk.awaitSlowCancelled()).isTrue();
  }

  /** Opens a session through {@link LiveSessions} and waits until its slow tool call runs. */
  private static ResilientLiveSession startSlowReport(
      ConfigurableApplicationContext context, RecordingLiveListener events)
      throws InterruptedException {
    ResilientLiveSession session =
        context
            .getBean(LiveSessions.class)
            .connect(context.getBean(LiveSessionBuilder.class).listener(events));
    session.sendText("report please");
    assertThat(context.getBean(CoachTestApp.CoachDesk.class).awaitSlowStarted()).isTrue();
    return session;
  }

  /**
   * Tells when shutdown reaches {@link LiveSessions}: it takes the registry only so that Spring
   * records it as a dependent, and Spring stops a dependent just before what it depends on, on the
   * same thread.
   */
  static class ShutdownProbe implements SmartLifecycle {
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean running;

    ShutdownProbe(LiveSessions sessions) {}

    boolean awaitStopping() throws InterruptedException {
      return stopping.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void start() {
      running = true;
    }

    @Override
    public void stop() {
      running = false;
      stopping.countDown();
    }

    @Override
    public boolean isRunning() {
      return running;
    }
  }
}
