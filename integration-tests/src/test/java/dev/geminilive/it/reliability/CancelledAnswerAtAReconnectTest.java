package dev.geminilive.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.ContextRestoration;
import dev.geminilive.LiveObserver;
import dev.geminilive.LiveScheduler;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ModelProfile;
import dev.geminilive.ReconnectPolicy;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.HistoryEntry;
import dev.geminilive.testkit.ManualScheduler;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import dev.geminilive.testkit.Script;
import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolBehavior;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The service cancels a tool call whose answer is already on its way, and the connection is then
 * replaced before that answer reaches the outbound queue. The answer was claimed (by the call's
 * timeout on the timer's thread, or by its handler returning) just before the {@code
 * toolCallCancellation} was handled, so the cancel could not stop it; the cancel's stale mark is
 * what drops it. That mark must survive the reconnect: the resumed conversation cancelled the call
 * (or, for a handle older than the call, never saw it), and an answer sent there is an answer to no
 * open call.
 *
 * <p>The tests hold the answering thread between the claim and the hand-over in {@link
 * LiveObserver#toolCallEnded}, the one call out of the library in that stretch: it stands for a
 * thread that lost the processor there. Each waits for the held thread to finish before it sends
 * the probe whose reply ends the test, so an answer sent at all is on the wire before that reply.
 */
@Tag("reliability")
class CancelledAnswerAtAReconnectTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String BOOK = "book_session";
  // How long the fake waits before it replies to the probe that ends each test.
  private static final Duration PROBE_PAUSE = Duration.ofMillis(300);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  private final ManualScheduler clock = new ManualScheduler();
  private final ExecutorService toolThread = singleThread("test-tool");
  private final TimeoutsOffTheQueue scheduler = new TimeoutsOffTheQueue(clock);
  private final Hold hold = new Hold();
  private final Booking booking = new Booking();

  @AfterEach
  void stop() {
    hold.release.countDown();
    booking.releaseAll();
    toolThread.shutdownNow();
    scheduler.timerThread.shutdownNow();
    clock.close();
  }

  @Test
  void aTimeoutAnswerClaimedBeforeTheCancelIsNotSentAfterTheReconnect() throws Exception {
    FakeLiveServer server = live.server();
    server.script(BookingScript::script);
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = connect(server, events, Duration.ofSeconds(5))) {
      ToolCallEvent call = startBooking(session, events);
      // The timeout fires on the timer's thread, which claims the call's end and is held.
      clock.advanceBy(clock.timeUntil("timeout of tool call").orElseThrow());
      cancelAndResume(server, session, events, call);

      hold.release.countDown();
      scheduler.timerThread.submit(() -> {}).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertNoAnswerAfterTheProbe(server, session, events, call.id());
    }
  }

  @Test
  void aHandlerAnswerClaimedBeforeTheCancelIsNotSentAfterTheReconnect() throws Exception {
    FakeLiveServer server = live.server();
    server.script(BookingScript::script);
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = connect(server, events, Duration.ofMinutes(1))) {
      ToolCallEvent call = startBooking(session, events);
      // The handler returns on the tool's thread, which claims the call's end and is held.
      booking.release("Tuesday 10:00");
      cancelAndResume(server, session, events, call);

      hold.release.countDown();
      toolThread.submit(() -> {}).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertNoAnswerAfterTheProbe(server, session, events, call.id());
    }
  }

  /**
   * The caller's thread: without a tool executor the handler runs on the library worker that
   * received the call, once the session's events moved on (only on the system scheduler, so the
   * reconnect here is the policy's first attempt, at once). That worker goes back to the pool with
   * no sign the test can wait for, so the probe goes as soon as the worker is released, and the
   * fake waits {@link #PROBE_PAUSE} before it replies: an answer sent on the resumed connection is
   * seen unless the released worker takes longer than that to hand it over. With the rule broken
   * this test fails nearly always, not always; the two tests above are exact.
   */
  @Test
  void anAnswerOnTheCallersThreadClaimedBeforeTheCancelIsNotSentAfterTheReconnect()
      throws Exception {
    FakeLiveServer server = live.server();
    server.script(s -> BookingScript.script(s, true));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        server
            .sessionBuilder()
            .model(ModelProfile.GEMINI_3_8_LIVE)
            .tools(booking)
            .toolTimeout(Duration.ofMinutes(1))
            .observer((id, spec) -> hold)
            .listener(events)
            .connect()) {
      session.sendText("book Tuesday");
      ToolCallEvent call = (ToolCallEvent) events.await(EventType.TOOL_CALL, 1, WAIT).value();
      assertThat(booking.running.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      booking.release("Tuesday 10:00");
      assertThat(hold.held.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      cancel(session, events, call);
      server.connections().get(0).drop();
      events.await(EventType.RECONNECTED, 1, WAIT);
      assertThat(events.values(EventType.RECONNECTED)).containsExactly(ContextRestoration.RESUMED);

      hold.release.countDown();
      assertNoAnswerAfterTheProbe(server, session, events, call.id());
    }
  }

  /**
   * A message of two calls: the service cancels one, the other still runs when the connection
   * drops, and the conversation is resumed from the handle before both. The running call's answer
   * is stale; the frame that carries it names both calls, so it is dropped only while the cancelled
   * call's mark is kept too.
   */
  @Test
  void theOtherCallOfAPartlyCancelledMessageIsNotAnsweredIntoAConversationWithoutIt()
      throws Exception {
    FakeLiveServer server = live.server();
    AtomicInteger bookings = new AtomicInteger();
    CompletableFuture<Void> never = new CompletableFuture<>();
    server.script(
        s ->
            s.onText("first")
                .reply(r -> r.say("Hello."))
                .onText("book both")
                .reply(
                    r -> {
                      if (bookings.getAndIncrement() == 0) {
                        // Two calls in one message; the turn stays open, so no handle follows.
                        r.message(twoCalls()).pauseUntil(never);
                      } else {
                        r.say("Booked nothing yet.");
                      }
                    })
                .onText("anything else")
                .reply(r -> r.say("No.")));
    ExecutorService toolThreads = Executors.newFixedThreadPool(2, daemon("test-tools"));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        builder(server, events, Duration.ofMinutes(1)).toolExecutor(toolThreads).connect()) {
      session.sendText("first");
      events.await(EventType.RESUMPTION_HANDLE, 1, WAIT);
      session.sendText("book both");
      events.await(EventType.TOOL_CALL, 2, WAIT);
      clock.runUntilIdle();
      assertThat(booking.started.get("Tuesday").await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(booking.started.get("Wednesday").await(WAIT.toSeconds(), TimeUnit.SECONDS))
          .isTrue();
      server.connections().get(0).sendRaw("{\"toolCallCancellation\":{\"ids\":[\"fc-a\"]}}");
      events.await(EventType.TOOL_CALL_CANCELLED, 1, WAIT);
      assertThat(booking.returned.get("Tuesday").await(WAIT.toSeconds(), TimeUnit.SECONDS))
          .isTrue();

      server.connections().get(0).drop();
      events.await(EventType.RECONNECTING, 1, WAIT);
      clock.advanceBy(clock.timeUntil("reconnect attempt").orElseThrow());
      events.await(EventType.RECONNECTED, 1, WAIT);
      assertThat(events.values(EventType.RECONNECTED)).containsExactly(ContextRestoration.RESUMED);
      awaitTranscript(events, "Booked nothing yet.");

      // The running call ends now and its answer goes to the outbound queue on the tool's thread.
      booking.release("Wednesday");
      toolThreads.shutdown();
      assertThat(toolThreads.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertNoAnswerAfterTheProbe(server, session, events, "fc-b");
      assertThat(answeredIds(server)).doesNotContain("fc-a");
    } finally {
      never.complete(null);
      toolThreads.shutdownNow();
    }
  }

  /** A session on the manual clock whose first tool call's end is held. */
  private ResilientLiveSession connect(
      FakeLiveServer server, RecordingLiveListener events, Duration toolTimeout) {
    return builder(server, events, toolTimeout)
        .toolExecutor(toolThread)
        .observer((id, spec) -> hold)
        .connect();
  }

  private LiveSessionBuilder builder(
      FakeLiveServer server, RecordingLiveListener events, Duration toolTimeout) {
    return server
        .sessionBuilder()
        .model(ModelProfile.GEMINI_3_8_LIVE)
        .scheduler(scheduler)
        .tools(booking)
        .toolTimeout(toolTimeout)
        .reconnectPolicy(ReconnectPolicy.fixed(Duration.ofSeconds(1)))
        .listener(events);
  }

  /** Asks for the booking and waits until its handler runs; returns the call. */
  private ToolCallEvent startBooking(ResilientLiveSession session, RecordingLiveListener events)
      throws InterruptedException {
    session.sendText("book Tuesday");
    ToolCallEvent call = (ToolCallEvent) events.await(EventType.TOOL_CALL, 1, WAIT).value();
    clock.runUntilIdle(); // the task that told the listener dispatches the call
    assertThat(booking.running.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    return call;
  }

  /**
   * With the answer's thread held: new input makes the fake cancel the BLOCKING call, its reply
   * brings a handle that holds the cancel, the connection drops and the session resumes from that
   * handle.
   */
  private void cancelAndResume(
      FakeLiveServer server,
      ResilientLiveSession session,
      RecordingLiveListener events,
      ToolCallEvent call)
      throws InterruptedException {
    assertThat(hold.held.await(WAIT.toSeconds(), TimeUnit.SECONDS))
        .as("the answering thread held between its claim and the hand-over")
        .isTrue();
    cancel(session, events, call);
    server.connections().get(0).drop();
    events.await(EventType.RECONNECTING, 1, WAIT);
    clock.advanceBy(clock.timeUntil("reconnect attempt").orElseThrow());
    events.await(EventType.RECONNECTED, 1, WAIT);
    assertThat(events.values(EventType.RECONNECTED)).containsExactly(ContextRestoration.RESUMED);
  }

  private static void cancel(
      ResilientLiveSession session, RecordingLiveListener events, ToolCallEvent call) {
    int handles = events.count(EventType.RESUMPTION_HANDLE);
    session.sendText("actually wait");
    events.await(EventType.TOOL_CALL_CANCELLED, 1, WAIT);
    assertThat(events.<List<String>>values(EventType.TOOL_CALL_CANCELLED))
        .containsExactly(List.of(call.id()));
    awaitTranscript(events, "Sure, I stopped the booking.");
    events.await(EventType.RESUMPTION_HANDLE, handles + 1, WAIT);
  }

  /**
   * Sends a probe and waits for its reply: the session and the fake have handled whatever came
   * before it on the resumed connection. No call {@code id} was answered on any connection, and the
   * resumed conversation holds no answer without a call.
   */
  private static void assertNoAnswerAfterTheProbe(
      FakeLiveServer server,
      ResilientLiveSession session,
      RecordingLiveListener events,
      String id) {
    session.sendText("anything else");
    awaitTranscript(events, "No.");
    assertThat(answeredIds(server)).as("answers to call %s", id).doesNotContain(id);
    String sessionId = session.sessionId().orElseThrow();
    List<HistoryEntry> history =
        server.sessions().stream()
            .filter(s -> s.id().equals(sessionId))
            .findFirst()
            .orElseThrow()
            .history();
    assertThat(ToolHistoryCheck.responsesWithoutOpenCall(history)).isEmpty();
  }

  private static List<String> answeredIds(FakeLiveServer server) {
    return server.recorder().ofKind(MessageKind.TOOL_RESPONSE).stream()
        .flatMap(m -> m.functionResponses().stream())
        .map(r -> r.path("id").asText())
        .toList();
  }

  private static void awaitTranscript(RecordingLiveListener events, String text) {
    events.awaitMatching(
        e -> e.type() == EventType.OUTPUT_TRANSCRIPT && text.equals(e.value()),
        1,
        WAIT,
        "the transcript '" + text + "'");
  }

  private static String twoCalls() {
    return "{\"toolCall\":{\"functionCalls\":["
        + "{\"id\":\"fc-a\",\"name\":\"book_session\",\"args\":{\"slot\":\"Tuesday\"}},"
        + "{\"id\":\"fc-b\",\"name\":\"book_session\",\"args\":{\"slot\":\"Wednesday\"}}]}}";
  }

  private static ExecutorService singleThread(String name) {
    return Executors.newSingleThreadExecutor(daemon(name));
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** The fake's side of the booking conversation. */
  private static final class BookingScript {
    static void script(Script s) {
      script(s, false);
    }

    /** With {@code pausedProbe}, the reply to the probe waits {@link #PROBE_PAUSE} first. */
    static void script(Script s, boolean pausedProbe) {
      s.onText("book Tuesday")
          .callTool(BOOK, Map.of("slot", "Tuesday 10:00"))
          .onText("actually wait")
          .reply(r -> r.say("Sure, I stopped the booking."))
          .onText("anything else")
          .reply(
              r -> {
                if (pausedProbe) {
                  r.pauseUntil(
                      CompletableFuture.runAsync(
                          () -> {},
                          CompletableFuture.delayedExecutor(
                              PROBE_PAUSE.toMillis(), TimeUnit.MILLISECONDS)));
                }
                r.say("No.");
              });
    }
  }

  /**
   * Holds the first thread that ends a tool call with an answer, in the observer, until released (a
   * cancel that wins its call's end runs on the session's queue and is not held).
   */
  static final class Hold implements LiveObserver {
    final CountDownLatch held = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void toolCallEnded(ToolCallEvent call, ToolOutcome outcome, Duration elapsed) {
      if (outcome == ToolOutcome.CANCELLED || held.getCount() == 0) {
        return;
      }
      held.countDown();
      try {
        release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A BLOCKING booking that runs until the test releases its slot or the call is interrupted. */
  static final class Booking {
    final CountDownLatch running = new CountDownLatch(1);
    final Map<String, CountDownLatch> started = new ConcurrentHashMap<>();
    final Map<String, CountDownLatch> returned = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> releases = new ConcurrentHashMap<>();

    Booking() {
      for (String slot : List.of("Tuesday 10:00", "Tuesday", "Wednesday")) {
        started.put(slot, new CountDownLatch(1));
        returned.put(slot, new CountDownLatch(1));
        releases.put(slot, new CountDownLatch(1));
      }
    }

    void release(String slot) {
      releases.get(slot).countDown();
    }

    void releaseAll() {
      releases.values().forEach(CountDownLatch::countDown);
    }

    @LiveTool(
        name = BOOK,
        description = "Books a coaching session.",
        behavior = ToolBehavior.BLOCKING)
    String book(String slot) {
      running.countDown();
      started.get(slot).countDown();
      try {
        releases.get(slot).await(WAIT.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        // cancelled or timed out: the result below is dropped
      } finally {
        returned.get(slot).countDown();
      }
      return "booked " + slot;
    }
  }

  /**
   * The session's scheduler over the manual clock, except that a tool call's timeout, when the
   * clock reaches it, runs on a thread of its own (as the system scheduler's timer does), off the
   * clock's thread that runs the session's queue.
   */
  static final class TimeoutsOffTheQueue implements LiveScheduler {
    final ManualScheduler clock;
    final ExecutorService timerThread = singleThread("test-timer");

    TimeoutsOffTheQueue(ManualScheduler clock) {
      this.clock = clock;
    }

    @Override
    public long nanoTime() {
      return clock.nanoTime();
    }

    @Override
    public void execute(Runnable task) {
      clock.execute(task);
    }

    @Override
    public ScheduledTask schedule(String name, Duration delay, Runnable task) {
      if (name.startsWith("timeout of tool call")) {
        return clock.schedule(name, delay, () -> timerThread.execute(task));
      }
      return clock.schedule(name, delay, task);
    }
  }
}
