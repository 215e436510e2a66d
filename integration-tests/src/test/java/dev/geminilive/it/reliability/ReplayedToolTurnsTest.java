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
import dev.geminilive.testkit.RecordedMessage;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import dev.geminilive.testkit.Reply;
import dev.geminilive.testkit.Script;
import dev.geminilive.testkit.UserTurn;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
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
  private static final Duration REPLY = Duration.ofMillis(100);

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
    server.script(s -> script(s, (turn, r) -> {}));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = connect(server, events)) {
      session.sendText("first");
      events.await(EventType.RESUMPTION_HANDLE, 1, WAIT);

      // The connection ends; the two tool turns wait for the next one, as a turn sent after the
      // previous reply does when the handle that covers that reply never arrived.
      server.connections().get(0).drop();
      events.await(EventType.RECONNECTING, 1, WAIT);
      session.sendText("hang a");
      session.sendText("lookup b");
      resumeAndAnswerBoth(events);

      List<ToolCallEvent> calls = events.values(EventType.TOOL_CALL);
      assertThat(calls).extracting(ToolCallEvent::name).containsExactly("hang", "lookup");
      FakeSession conversation = assertOverlappedInTheResumedConversation(server, session);
      assertThat(answeredOn(server, conversation.connections().get(0).index())).isEmpty();
      assertThat(answeredOn(server, conversation.connections().get(1).index()))
          .containsExactlyInAnyOrderElementsOf(calls.stream().map(ToolCallEvent::id).toList());
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
    AtomicInteger answers = new AtomicInteger();
    CompletableFuture<Void> never = new CompletableFuture<>();
    server.script(
        s ->
            script(
                s,
                (turn, r) -> {
                  if (answers.incrementAndGet() == 1) {
                    // The session sees the turn end; the fake's own end, and its handle, wait.
                    r.message("{\"serverContent\":{\"turnComplete\":true}}").pauseUntil(never);
                  }
                }));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = connect(server, events)) {
      session.sendText("first");
      events.await(EventType.RESUMPTION_HANDLE, 1, WAIT);
      session.sendText("hang a");
      events.await(EventType.TOOL_CALL, 1, WAIT);
      // The listener hears of the call before the call is dispatched and its time limit armed, in
      // the same task on the clock's thread: let that task end.
      clock.runUntilIdle();
      clock.advanceBy(clock.timeUntil("timeout of tool call").orElseThrow());
      awaitTranscript(events, "re: hang a", 1);
      events.await(EventType.TURN_COMPLETE, 2, WAIT);
      int firstConnection = server.connections().get(0).index();
      server
          .recorder()
          .awaitUntil(
              "the first call's answer",
              WAIT,
              r -> !answeredOn(r.ofConnection(firstConnection)).isEmpty());

      server.connections().get(0).drop();
      events.await(EventType.RECONNECTING, 1, WAIT);
      session.sendText("lookup b");
      resumeAndAnswerBoth(events);

      List<ToolCallEvent> calls = events.values(EventType.TOOL_CALL);
      assertThat(calls).extracting(ToolCallEvent::name).containsExactly("hang", "hang", "lookup");
      FakeSession conversation = assertOverlappedInTheResumedConversation(server, session);
      assertThat(answeredOn(server, conversation.connections().get(0).index()))
          .containsExactly(calls.get(0).id());
      assertThat(answeredOn(server, conversation.connections().get(1).index()))
          .containsExactlyInAnyOrder(calls.get(1).id(), calls.get(2).id());
    } finally {
      never.complete(null);
    }
  }

  /**
   * The soak's script: "lookup ..." and "hang ..." call their tool, other text is answered; the
   * reply to an answer says the last user text, after {@code afterAnswer} may add to it.
   */
  private static void script(Script s, java.util.function.BiConsumer<UserTurn, Reply> afterAnswer) {
    s.realTime()
        .onText(t -> t.startsWith("lookup "))
        .reply((turn, r) -> r.callTool("lookup", Map.of("label", turn.text())))
        .onText(t -> t.startsWith("hang "))
        .reply((turn, r) -> r.callTool("hang", Map.of("label", turn.text())))
        .onAnyToolResponse()
        .reply(
            (turn, r) -> {
              r.say("re: " + ChaosSoakTest.lastUserText(turn), REPLY);
              afterAnswer.accept(turn, r);
            })
        .onAnyText()
        .reply((turn, r) -> r.say("re: " + turn.text(), REPLY));
  }

  private ResilientLiveSession connect(FakeLiveServer server, RecordingLiveListener events) {
    return server
        .sessionBuilder()
        .scheduler(clock)
        .toolExecutor(toolThreads)
        .tools(new ChaosTools())
        .toolTimeout(TOOL_TIMEOUT)
        .reconnectPolicy(ReconnectPolicy.fixed(Duration.ofSeconds(1)))
        .listener(events)
        .connect();
  }

  /**
   * Resumes on the next connection, which replays "hang a" then "lookup b": the lookup answers at
   * once and the model replies to it while the hang call still runs; then the hang call times out
   * and the model replies to that answer.
   */
  private void resumeAndAnswerBoth(RecordingLiveListener events) {
    clock.advanceBy(clock.timeUntil("reconnect attempt").orElseThrow());
    events.await(EventType.RECONNECTED, 1, WAIT);
    assertThat(events.values(EventType.RECONNECTED)).containsExactly(ContextRestoration.RESUMED);
    awaitTranscript(events, "re: lookup b", 1);
    clock.advanceBy(clock.timeUntil("timeout of tool call").orElseThrow());
    awaitTranscript(events, "re: lookup b", 2);
    events.await(EventType.RESUMPTION_HANDLE, 2, WAIT);
  }

  /**
   * The resumed conversation holds each turn once, the hang call and the lookup call open together
   * (the lookup answered first), and the soak's check takes it as it is; returns it.
   */
  private static FakeSession assertOverlappedInTheResumedConversation(
      FakeLiveServer server, ResilientLiveSession session) {
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
    assertThat(ToolHistoryCheck.responsesWithoutOpenCall(history)).isEmpty();
    return conversation;
  }

  private static List<String> answeredOn(FakeLiveServer server, int connection) {
    return answeredOn(server.recorder().ofConnection(connection));
  }

  private static List<String> answeredOn(List<RecordedMessage> messages) {
    return messages.stream()
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

  private static FakeSession fakeSession(FakeLiveServer server, ResilientLiveSession session) {
    String id = session.sessionId().orElseThrow();
    return server.sessions().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
  }
}
