package dev.geminilive.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.tools.LiveTool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tool handlers that never return, on the library's own threads: more of them than the shared
 * workers and than the workers that may leave the pool to run a handler. Other sessions' calls are
 * still answered, each handler runs on a tool thread that does not carry its session's name, and
 * closing a session interrupts its handler and lets the session terminate.
 */
class HangingToolsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** More than the workers that may leave the pool at once on a machine of up to 4 cores. */
  private static final int HANGING = 20;

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  static final class Tools {
    final CountDownLatch hanging = new CountDownLatch(HANGING);
    final CountDownLatch interrupted = new CountDownLatch(HANGING);
    final List<String> threads = new CopyOnWriteArrayList<>();

    @LiveTool(description = "Waits until it is interrupted.")
    String hang() throws InterruptedException {
      threads.add(Thread.currentThread().getName());
      hanging.countDown();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        interrupted.countDown();
        throw e;
      }
      return "never";
    }

    @LiveTool(description = "Answers at once.")
    String quick() {
      return "ok";
    }
  }

  @Test
  void handlersThatNeverReturnHoldUpNoOtherSessionAndEndWithTheirSessions() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText("hang")
                .callTool("hang", Map.of())
                .onText("quick")
                .callTool("quick", Map.of())
                .onToolResponse("quick")
                .reply(r -> r.say("Done.")));
    Tools tools = new Tools();
    List<ResilientLiveSession> hung = new ArrayList<>();
    try {
      for (int i = 0; i < HANGING; i++) {
        ResilientLiveSession session =
            server.sessionBuilder().tools(tools).listener(new RecordingLiveListener()).connect();
        hung.add(session);
        session.sendText("hang");
      }
      assertThat(tools.hanging.await(WAIT.toSeconds(), TimeUnit.SECONDS))
          .as("every handler started")
          .isTrue();

      RecordingLiveListener events = new RecordingLiveListener();
      try (ResilientLiveSession other =
          server.sessionBuilder().tools(tools).listener(events).connect()) {
        other.sendText("quick");
        events.awaitTurnComplete(1, WAIT);
      }

      // A library tool thread, or on Java 21+ past the workers that may leave the pool, a virtual
      // thread (unnamed): never one that carries a session's name.
      assertThat(tools.threads)
          .hasSize(HANGING)
          .allSatisfy(name -> assertThat(name).matches("gemini-live-tool-\\d+|"))
          .anySatisfy(name -> assertThat(name).startsWith("gemini-live-tool-"));
    } finally {
      for (ResilientLiveSession session : hung) {
        session.close();
      }
    }
    assertThat(tools.interrupted.await(WAIT.toSeconds(), TimeUnit.SECONDS))
        .as("closing each session interrupted its handler")
        .isTrue();
    for (ResilientLiveSession session : hung) {
      session.termination().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
  }
}
