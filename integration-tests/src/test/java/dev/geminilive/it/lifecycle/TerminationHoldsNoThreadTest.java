package dev.geminilive.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.geminilive.LiveConnectException;
import dev.geminilive.LiveListener;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.TurnComplete;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code termination()} completes only once no thread carries the session's name: observed by the
 * termination's own continuation, on the thread that completes it, at the very moment it does.
 */
class TerminationHoldsNoThreadTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int ROUNDS = 10;

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  @Test
  void afterACloseNoThreadCarriesTheSessionsName() throws Exception {
    FakeLiveServer server = live.server();
    // Several sessions: each round is a chance for a worker or a socket thread to be caught with
    // the name still on.
    for (int i = 0; i < ROUNDS; i++) {
      RecordingLiveListener events = new RecordingLiveListener();
      ResilientLiveSession session = server.sessionBuilder().listener(events).connect();
      session.sendText("hello " + i);
      events.awaitTurnComplete();
      CompletableFuture<List<String>> atTermination = namedThreadsAtTermination(session);
      session.close();
      session.termination().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(atTermination.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
          .as("threads named after %s when termination() completed", session.name())
          .isEmpty();
      assertThat(namedThreads(session)).as("right after termination()").isEmpty();
    }
  }

  @Test
  void afterAFailureNoThreadCarriesTheSessionsName() throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    ResilientLiveSession session = server.sessionBuilder().listener(events).connect();
    session.sendText("hello");
    events.awaitTurnComplete();
    CompletableFuture<List<String>> atTermination = namedThreadsAtTermination(session);
    server.connections().get(0).close(1007, "Request contains an invalid argument.");
    assertThat(events.awaitFailure(WAIT)).isInstanceOf(LiveConnectException.class);
    assertThatThrownBy(() -> session.termination().get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(LiveConnectException.class);
    assertThat(atTermination.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
        .as("threads named after %s when termination() completed", session.name())
        .isEmpty();
    assertThat(namedThreads(session)).isEmpty();
  }

  @Test
  void aCloseFromTheListenerEndsTheSameWayAndAWaitThereIsRefused() throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    AtomicReference<@Nullable Throwable> waitInCallback = new AtomicReference<>();
    CompletableFuture<String> callbackThread = new CompletableFuture<>();
    LiveListener closesOnTurnComplete =
        new dev.geminilive.ForwardingLiveListener(events) {
          @Override
          public void onTurnComplete(ResilientLiveSession session, TurnComplete turn) {
            super.onTurnComplete(session, turn);
            session.close();
          }

          @Override
          public void onClosed(ResilientLiveSession session) {
            callbackThread.complete(Thread.currentThread().getName());
            try {
              session.termination().join();
            } catch (RuntimeException e) {
              waitInCallback.set(e);
            }
            super.onClosed(session);
          }
        };
    ResilientLiveSession session = server.sessionBuilder().listener(closesOnTurnComplete).connect();
    CompletableFuture<List<String>> atTermination = namedThreadsAtTermination(session);
    session.sendText("hello");
    events.await(EventType.CLOSED);
    session.termination().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(callbackThread.get()).startsWith(session.name() + "-");
    assertThat(waitInCallback.get())
        .as("join() in onClosed, which would wait for its own thread")
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("termination().whenComplete");
    assertThat(atTermination.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEmpty();
    assertThat(namedThreads(session)).isEmpty();
  }

  @Test
  void aCloseWhileReconnectingEndsWithNoThreadNamedAfterTheSession() throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    ResilientLiveSession session = server.sessionBuilder().listener(events).connect();
    session.sendText("hello");
    events.awaitTurnComplete();
    Waits.handle(events, session, WAIT);

    // The reconnect's setup is answered late, so close() comes while it is in flight.
    server.faults().latency(Duration.ofMillis(1_500));
    server.connections().get(0).drop();
    events.await(EventType.RECONNECTING);
    Waits.received(
        server.recorder(),
        "the reconnect's setup",
        WAIT,
        () -> server.recorder().setups().size() == 2);
    CompletableFuture<List<String>> atTermination = namedThreadsAtTermination(session);
    session.close();
    session.termination().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(atTermination.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
        .as("threads named after %s when termination() completed", session.name())
        .isEmpty();
    assertThat(namedThreads(session)).isEmpty();
  }

  /** The live threads named after the session, taken by termination's continuation. */
  private static CompletableFuture<List<String>> namedThreadsAtTermination(
      ResilientLiveSession session) {
    CompletableFuture<List<String>> seen = new CompletableFuture<>();
    session.termination().whenComplete((v, e) -> seen.complete(namedThreads(session)));
    return seen;
  }

  private static List<String> namedThreads(ResilientLiveSession session) {
    String prefix = session.name() + "-";
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith(prefix))
        .toList();
  }
}
