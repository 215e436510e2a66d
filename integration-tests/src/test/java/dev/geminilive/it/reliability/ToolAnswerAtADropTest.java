package dev.geminilive.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.ContextRestoration;
import dev.geminilive.LiveListener;
import dev.geminilive.LiveScheduler;
import dev.geminilive.ReconnectPolicy;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.FakeSession;
import dev.geminilive.testkit.HistoryEntry;
import dev.geminilive.testkit.ManualScheduler;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordedMessage;
import dev.geminilive.testkit.Reply;
import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolParam;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An answer to a tool call is handed to the socket, and the connection drops before the session has
 * done its bookkeeping for that hand-over. The conversation is resumed from a handle older than the
 * call, so the resumed service never saw the call: its answer must not be sent there. Under load
 * the tool's thread can lose the processor between the hand-over and the bookkeeping for as long as
 * the reply takes to begin and the drop to be seen (this once doubled the answer in {@code
 * BargeInExactlyOnceTest}); here the scheduler holds it there on purpose.
 *
 * <p>The only call the tool's thread makes out of the library between the hand-over and the
 * bookkeeping is the scheduler's {@code execute}, and only if the session's queue is idle then (a
 * busy queue runs the new task in the turn it has). So the test makes sure nothing else can reach
 * the queue at that moment, on any machine: its own send has queued its task, the session has
 * handled the call's frame, and the fake model starts its reply to the answer only once the tool's
 * thread is held.
 */
@Tag("reliability")
class ToolAnswerAtADropTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration BACKOFF = Duration.ofSeconds(1);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  private final ManualScheduler clock = new ManualScheduler();
  private final HoldingScheduler scheduler = new HoldingScheduler(clock);
  private final Events events = new Events();
  // Counted down once the test's sendText("lookup x") has returned (its task is queued by then).
  private final CountDownLatch asked = new CountDownLatch(1);
  private final AtomicInteger answers = new AtomicInteger();
  private final ExecutorService toolThread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "test-tool");
            t.setDaemon(true);
            return t;
          });

  @AfterEach
  void stop() {
    scheduler.release();
    toolThread.shutdownNow();
    clock.close();
  }

  @Test
  void anAnswerSentJustBeforeADropIsNotSentAgainToAConversationResumedFromBeforeItsCall()
      throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.realTime()
                .onText(t -> t.startsWith("lookup "))
                .reply((turn, r) -> r.callTool("lookup", Map.of("label", turn.text())))
                .onAnyToolResponse()
                .reply(r -> replyToAnswer(r))
                .onAnyText()
                .reply((turn, r) -> r.say("re: " + turn.text(), Duration.ofMillis(200))));
    Lookup tool = new Lookup();
    try (ResilientLiveSession session =
        server
            .sessionBuilder()
            .scheduler(scheduler)
            .toolExecutor(toolThread)
            .reconnectPolicy(ReconnectPolicy.fixed(BACKOFF))
            .tools(tool)
            .listener(events)
            .connect()) {
      tool.sent = () -> session.stats().messagesSent();
      session.sendText("first");
      assertThat(events.handle.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      session.sendText("lookup x");
      asked.countDown();
      // The answer is on the socket; the tool's thread is held before the session hears of it.
      assertThat(scheduler.held.await(WAIT.toSeconds(), TimeUnit.SECONDS))
          .as(
              () ->
                  "the tool's thread held right after handing its answer over (turns asked for by"
                      + " other threads after the tool armed the hold: "
                      + scheduler.othersWhileArmed
                      + ")")
          .isTrue();
      server.recorder().awaitOfKind(MessageKind.TOOL_RESPONSE, 1, WAIT);
      assertThat(events.replyToTheAnswer.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      server.connections().get(0).drop();
      assertThat(events.reconnecting.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

      // Now the tool's thread goes on, and finishes, before the reconnect attempt runs.
      scheduler.release();
      toolThread.submit(() -> {}).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      clock.runUntilIdle();
      clock.advanceBy(clock.timeUntil("reconnect attempt").orElseThrow());

      assertThat(events.reconnected.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(events.restoration.get()).isEqualTo(ContextRestoration.RESUMED);
      // The resumed conversation is back at "first": "lookup x" is replayed, the model calls the
      // tool again, and only that call is answered there.
      assertThat(events.turns.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(events.calls).hasSize(2);
      List<String> answeredOnTheNewConnection =
          server.recorder().ofConnection(1).stream()
              .filter(m -> m.kind() == MessageKind.TOOL_RESPONSE)
              .flatMap(m -> ids(m).stream())
              .toList();
      assertThat(answeredOnTheNewConnection).containsExactly(events.calls.get(1).id());
      List<HistoryEntry> history = fakeSession(server, session).history();
      assertThat(history.stream().filter(h -> h.role().equals("user")).map(HistoryEntry::text))
          .containsExactly("first", "lookup x");
      assertThat(history.stream().filter(h -> h.role().equals("tool")).map(HistoryEntry::text))
          .hasSize(2)
          .first()
          .asString()
          .startsWith("lookup{");
    }
  }

  /**
   * The fake model's reply to an answer. To the first one it starts only once the tool's thread is
   * held (a frame of it reaching the session before would keep the queue busy), and it keeps the
   * turn open until the drop, so that no handle covers the call however long the test takes to drop
   * the connection. To the answer on the resumed connection it replies in full.
   */
  private void replyToAnswer(Reply r) {
    if (answers.incrementAndGet() > 1) {
      r.say("re: the lookup", Duration.ofMillis(200));
      return;
    }
    try {
      scheduler.held.await(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    r.say("re: the lookup", Duration.ofMillis(200)).pause(Duration.ofMinutes(1));
  }

  private static List<String> ids(RecordedMessage m) {
    return m.functionResponses().stream().map(r -> r.path("id").asText()).toList();
  }

  private static FakeSession fakeSession(FakeLiveServer server, ResilientLiveSession session) {
    String id = session.sessionId().orElseThrow();
    return server.sessions().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
  }

  /**
   * The session's scheduler (over the manual clock), which can hold one thread in the first task it
   * hands over once the session has sent more messages than when the hold was armed: for the tool's
   * thread, the turn its first task after handing its answer to the socket asks for, before it
   * tells the session the answer went. It names the other threads that asked for a turn while the
   * hold was armed: one of those is what kept the queue busy if the hold never came.
   */
  static final class HoldingScheduler implements LiveScheduler {
    final ManualScheduler clock;
    final CountDownLatch held = new CountDownLatch(1);
    final List<String> othersWhileArmed = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile @Nullable Thread armed;
    private volatile long sentWhenArmed;
    private volatile LongSupplier sent = () -> 0;

    HoldingScheduler(ManualScheduler clock) {
      this.clock = clock;
    }

    void arm(Thread thread, LongSupplier sentNow) {
      sent = sentNow;
      sentWhenArmed = sentNow.getAsLong();
      armed = thread;
    }

    void release() {
      release.countDown();
    }

    @Override
    public long nanoTime() {
      return clock.nanoTime();
    }

    @Override
    public void execute(Runnable task) {
      clock.execute(task);
      Thread holding = armed;
      if (holding != null && Thread.currentThread() != holding) {
        othersWhileArmed.add(Thread.currentThread().getName());
      }
      if (Thread.currentThread() == holding && sent.getAsLong() > sentWhenArmed) {
        armed = null;
        held.countDown();
        try {
          release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public ScheduledTask schedule(String name, Duration delay, Runnable task) {
      return clock.schedule(name, delay, task);
    }
  }

  /**
   * The tool. Its first call waits until the test's send has returned and the session has handled
   * the call's frame and has nothing left to do (the model, on 3.8, holds its turn open for the
   * NON_BLOCKING call and sends nothing more until the answer's reply, which waits for the hold),
   * so that the session's queue is idle when the answer goes; then it arms the hold.
   */
  final class Lookup {
    private final AtomicInteger calls = new AtomicInteger();
    volatile LongSupplier sent = () -> 0;

    @LiveTool(name = "lookup", description = "Looks a label up at once.")
    String lookup(@ToolParam(name = "label", description = "what to look up") String label)
        throws InterruptedException {
      if (calls.incrementAndGet() == 1) {
        asked.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        events.theCall.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        clock.runUntilIdle();
        scheduler.arm(Thread.currentThread(), sent);
      }
      return "result for " + label;
    }
  }

  /**
   * What the test waits for. It does not implement {@code onToolResult}, so the tool's thread
   * queues nothing for the listener before its answer is sent.
   */
  final class Events implements LiveListener {
    final CountDownLatch firstTurn = new CountDownLatch(1);
    // The handle after the answer to "first": the one the session resumes from.
    final CountDownLatch handle = new CountDownLatch(1);
    final CountDownLatch theCall = new CountDownLatch(1);
    final CountDownLatch replyToTheAnswer = new CountDownLatch(1);
    final CountDownLatch reconnecting = new CountDownLatch(1);
    final CountDownLatch reconnected = new CountDownLatch(1);
    // "first", then the reply to the second call's answer (the first one's is cut off by the drop).
    final CountDownLatch turns = new CountDownLatch(2);
    final AtomicReference<ContextRestoration> restoration = new AtomicReference<>();
    final List<ToolCallEvent> calls = new CopyOnWriteArrayList<>();

    @Override
    public void onRawMessage(ResilientLiveSession session, JsonNode message) {
      JsonNode update = message.path("sessionResumptionUpdate");
      if (update.hasNonNull("newHandle") && firstTurn.getCount() == 0) {
        handle.countDown();
      }
    }

    @Override
    public void onToolCall(ResilientLiveSession session, ToolCallEvent call) {
      calls.add(call);
      theCall.countDown();
    }

    @Override
    public void onOutputTranscript(ResilientLiveSession session, String text) {
      if (text.equals("re: the lookup")) {
        replyToTheAnswer.countDown();
      }
    }

    @Override
    public void onTurnComplete(ResilientLiveSession session, @Nullable String reason) {
      firstTurn.countDown();
      turns.countDown();
    }

    @Override
    public void onReconnecting(ResilientLiveSession session, Reconnecting event) {
      reconnecting.countDown();
    }

    @Override
    public void onReconnected(ResilientLiveSession session, ContextRestoration restored) {
      restoration.set(restored);
      reconnected.countDown();
    }
  }
}
