package dev.geminilive.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.ContextRestoration;
import dev.geminilive.ReconnectPolicy;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.FakeSession;
import dev.geminilive.testkit.HistoryEntry;
import dev.geminilive.testkit.ManualScheduler;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A resume that replays two tool turns: the resumed conversation is back before both, the replay
 * brings them in one burst, and on gemini-3.8 (calls NON_BLOCKING) the model takes the second turn
 * while the first turn's call still runs, so two calls are open at once and their answers come in
 * the order the tools finish, not the order of the calls. In the chaos soak, whose driver sends a
 * turn only after the reply to the one before, a replay holds two turns when the connection ends
 * after the session saw a tool turn's reply but before the handle that followed it (a {@code
 * goAway} deadline timer, a stall or a drop between the two frames): the session resumes from the
 * handle before the tool turn and replays it with the turn sent since.
 *
 * <p>Each call is answered once, in the conversation that has it; the soak's check must accept the
 * overlap (it once took a response after another tool's call for an answer without a call).
 */
@Tag("reliability")
class ReplayedToolTurnsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration TOOL_TIMEOUT = Duration.ofMillis(300);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  private final ManualScheduler clock = new ManualScheduler();
  private final ExecutorService toolThreads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "test-tool");
            t.setDaemon(true);
            return t;
          });

  @AfterEach
  void stop() {
    toolThreads.shutdownNow();
    clock.close();
  }

  @Test
  void twoReplayedToolTurnsLeaveTwoCallsOpenAtOnceAndEachIsAnsweredOnceWhereItWasMade()
      throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.realTime()
                .onText(t -> t.startsWith("lookup "))
                .reply((turn, r) -> r.callTool("lookup", Map.of("label", turn.text())))
                .onText(t -> t.startsWith("hang "))
                .reply((turn, r) -> r.callTool("hang", Map.of("label", turn.text())))
                .onAnyToolResponse()
                .reply((turn, r) -> r.say("re: " + lastUserText(turn), Duration.ofMillis(100)))
                .onAnyText()
                .reply((turn, r) -> r.say("re: " + turn.text(), Duration.ofMillis(100))));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        server
            .sessionBuilder()
            .scheduler(clock)
            .toolExecutor(toolThreads)
            .tools(new ChaosTools())
            .toolTimeout(TOOL_TIMEOUT)
            .reconnectPolicy(ReconnectPolicy.fixed(Duration.ofSeconds(1)))
            .listener(events)
            .connect()) {
      session.sendText("first");
      events.await(EventType.RESUMPTION_HANDLE, 1, WAIT);

      // The connection ends; the two tool turns wait for the next one, as a turn sent after the
      // previous reply does when the handle that covers that reply never arrived.
      server.connections().get(0).drop();
      events.await(EventType.RECONNECTING, 1, WAIT);
      session.sendText("hang a");
      session.sendText("lookup b");
      clock.advanceBy(clock.timeUntil("reconnect attempt").orElseThrow());
      events.await(EventType.RECONNECTED, 1, WAIT);
      assertThat(events.values(EventType.RECONNECTED)).containsExactly(ContextRestoration.RESUMED);

      // The lookup answers at once and the model replies to it while the hang call still runs.
      awaitTranscript(events, "re: lookup b", 1);
      clock.advanceBy(clock.timeUntil("timeout of tool call").orElseThrow());
      awaitTranscript(events, "re: lookup b", 2);
      events.await(EventType.RESUMPTION_HANDLE, 2, WAIT);

      List<ToolCallEvent> calls = events.values(EventType.TOOL_CALL);
      assertThat(calls).extracting(ToolCallEvent::name).containsExactly("hang", "lookup");
      FakeSession conversation = fakeSession(server, session);
      List<HistoryEntry> history = conversation.history();
      assertThat(history.stream().filter(h -> h.role().equals("user")).map(HistoryEntry::text))
          .containsExactly("first", "hang a", "lookup b");
      // Both calls open before either is answered; the lookup's answer first.
      assertThat(history.stream().filter(h -> h.role().equals("tool")).map(HistoryEntry::text))
          .satisfiesExactly(
              t -> assertThat(t).startsWith("hang{"),
              t -> assertThat(t).startsWith("lookup{"),
              t -> assertThat(t).startsWith("lookup -> "),
              t -> assertThat(t).startsWith("hang -> ").contains("timeout"));
      // Each call answered once, on the connection that made it.
      assertThat(conversation.connections()).hasSize(2);
      assertThat(
              server.recorder().ofConnection(conversation.connections().get(1).index()).stream()
                  .filter(m -> m.kind() == MessageKind.TOOL_RESPONSE)
                  .flatMap(m -> m.functionResponses().stream())
                  .map(r -> r.path("id").asText()))
          .containsExactlyInAnyOrderElementsOf(calls.stream().map(ToolCallEvent::id).toList());
      assertThat(
              server.recorder().ofConnection(conversation.connections().get(0).index()).stream()
                  .filter(m -> m.kind() == MessageKind.TOOL_RESPONSE))
          .isEmpty();
      // The soak's check takes this conversation as it is: every answer has its open call.
      assertThat(ToolHistoryCheck.responsesWithoutOpenCall(history)).isEmpty();
    }
  }

  /**
   * The soak's own path: the hang call times out and its answer goes on the first connection, the
   * session sees the model's reply to it end, and the connection ends before the handle that would
   * have followed (here the fake holds its real end of the turn). The next turn waits for the next
   * connection, which resumes from the handle before the tool turn: the tool turn is replayed with
   * it, and the first call's answer, which that conversation never asked for, is not sent again.
   */
  @Test
  void aToolTurnWhoseReplyEndedBeforeItsHandleIsReplayedWithTheNextTurnAndItsOldAnswerIsNotResent()
      throws Exception {
    FakeLiveServer server = live.server();
    java.util.concurrent.atomic.AtomicInteger answers =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.CompletableFuture<Void> never =
        new java.util.concurrent.CompletableFuture<>();
    server.script(
        s ->
            s.realTime()
                .onText(t -> t.startsWith("lookup "))
                .reply((turn, r) -> r.callTool("lookup", Map.of("label", turn.text())))
                .onText(t -> t.startsWith("hang "))
                .reply((turn, r) -> r.callTool("hang", Map.of("label", turn.text())))
                .onAnyToolResponse()
                .reply(
                    (turn, r) -> {
                      r.say("re: " + lastUserText(turn), Duration.ofMillis(100));
                      if (answers.incrementAndGet() == 1) {
                        // The session sees the turn end; the fake's own end, and its handle, wait.
                        r.message("{\"serverContent\":{\"turnComplete\":true}}").pauseUntil(never);
                      }
                    })
                .onAnyText()
                .reply((turn, r) -> r.say("re: " + turn.text(), Duration.ofMillis(100))));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        server
            .sessionBuilder()
            .scheduler(clock)
            .toolExecutor(toolThreads)
            .tools(new ChaosTools())
            .toolTimeout(TOOL_TIMEOUT)
            .reconnectPolicy(ReconnectPolicy.fixed(Duration.ofSeconds(1)))
            .listener(events)
            .connect()) {
      session.sendText("first");
      events.await(EventType.RESUMPTION_HANDLE, 1, WAIT);
      session.sendText("hang a");
      events.await(EventType.TOOL_CALL, 1, WAIT);
      clock.advanceBy(clock.timeUntil("timeout of tool call").orElseThrow());
      awaitTranscript(events, "re: hang a", 1);
      events.await(EventType.TURN_COMPLETE, 2, WAIT);
      String firstCall = ((ToolCallEvent) events.values(EventType.TOOL_CALL).get(0)).id();
      int firstConnection = server.connections().get(0).index();
      server
          .recorder()
          .awaitUntil(
              "the first call's answer",
              WAIT,
              r ->
                  r.ofConnection(firstConnection).stream()
                      .anyMatch(m -> m.kind() == MessageKind.TOOL_RESPONSE));

      server.connections().get(0).drop();
      events.await(EventType.RECONNECTING, 1, WAIT);
      session.sendText("lookup b");
      clock.advanceBy(clock.timeUntil("reconnect attempt").orElseThrow());
      events.await(EventType.RECONNECTED, 1, WAIT);
      assertThat(events.values(EventType.RECONNECTED)).containsExactly(ContextRestoration.RESUMED);
      awaitTranscript(events, "re: lookup b", 1);
      clock.advanceBy(clock.timeUntil("timeout of tool call").orElseThrow());
      awaitTranscript(events, "re: lookup b", 2);
      events.await(EventType.RESUMPTION_HANDLE, 2, WAIT);

      List<ToolCallEvent> calls = events.values(EventType.TOOL_CALL);
      assertThat(calls).extracting(ToolCallEvent::name).containsExactly("hang", "hang", "lookup");
      FakeSession conversation = fakeSession(server, session);
      List<HistoryEntry> history = conversation.history();
      assertThat(history.stream().filter(h -> h.role().equals("user")).map(HistoryEntry::text))
          .containsExactly("first", "hang a", "lookup b");
      assertThat(history.stream().filter(h -> h.role().equals("tool")).map(HistoryEntry::text))
          .satisfiesExactly(
              t -> assertThat(t).startsWith("hang{"),
              t -> assertThat(t).startsWith("lookup{"),
              t -> assertThat(t).startsWith("lookup -> "),
              t -> assertThat(t).startsWith("hang -> ").contains("timeout"));
      assertThat(conversation.connections()).hasSize(2);
      assertThat(answeredOn(server, conversation.connections().get(0).index()))
          .containsExactly(firstCall);
      assertThat(answeredOn(server, conversation.connections().get(1).index()))
          .containsExactlyInAnyOrder(calls.get(1).id(), calls.get(2).id());
      assertThat(ToolHistoryCheck.responsesWithoutOpenCall(history)).isEmpty();
    } finally {
      never.complete(null);
    }
  }

  private static List<String> answeredOn(FakeLiveServer server, int connection) {
    return server.recorder().ofConnection(connection).stream()
        .filter(m -> m.kind() == MessageKind.TOOL_RESPONSE)
        .flatMap(m -> m.functionResponses().stream())
        .map(r -> r.path("id").asText())
        .toList();
  }

  private static void awaitTranscript(RecordingLiveListener events, String text, int n) {
    events.awaitMatching(
        e -> e.type() == EventType.OUTPUT_TRANSCRIPT && text.equals(e.value()),
        n,
        WAIT,
        n + " × the transcript '" + text + "'");
  }

  private static String lastUserText(dev.geminilive.testkit.UserTurn turn) {
    List<HistoryEntry> h = turn.history();
    for (int i = h.size() - 1; i >= 0; i--) {
      if (h.get(i).role().equals("user")) {
        return h.get(i).text();
      }
    }
    return "";
  }

  private static FakeSession fakeSession(FakeLiveServer server, ResilientLiveSession session) {
    String id = session.sessionId().orElseThrow();
    return server.sessions().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
  }
}
