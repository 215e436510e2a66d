package dev.geminilive.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.LiveException;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.Transport;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.Event;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A caller that gives up on a connect (cancels the future, times it out, or interrupts {@code
 * connect()}) gets a closed session: its connection is released and the listener hears {@code
 * onClosed}, never a first connection reported as a reconnect.
 */
class ConnectAbandonedTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** How late the fake answers the setup: the caller gives up before it arrives. */
  private static final Duration SETUP_LATENCY = Duration.ofSeconds(3);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  private FakeLiveServer server;
  private final RecordingLiveListener events = new RecordingLiveListener();

  @BeforeEach
  void slowSetups() {
    server = live.server();
    server.faults().latency(SETUP_LATENCY);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void cancellingConnectAsyncClosesTheSession(Transport transport) throws Exception {
    CompletableFuture<ResilientLiveSession> connecting =
        server.sessionBuilder().transport(transport).listener(events).connectAsync();
    Waits.received(
        server.recorder(), "the setup", WAIT, () -> server.recorder().setups().size() == 1);

    assertThat(connecting.cancel(true)).isTrue();

    assertClosedAndReleased();
  }

  @Test
  void aTimeoutOnConnectAsyncClosesTheSession() throws Exception {
    CompletableFuture<ResilientLiveSession> connecting =
        server
            .sessionBuilder()
            .listener(events)
            .connectAsync()
            .orTimeout(200, TimeUnit.MILLISECONDS);

    ExecutionException thrown = null;
    try {
      connecting.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      thrown = e;
    }
    assertThat(thrown).isNotNull().hasCauseInstanceOf(TimeoutException.class);

    assertClosedAndReleased();
  }

  @Test
  void interruptingConnectClosesTheSession() throws Exception {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                server.sessionBuilder().listener(events).connect();
              } catch (Throwable t) {
                thrown.set(t);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
              }
            },
            "connecting-caller");
    caller.start();
    Waits.received(
        server.recorder(), "the setup", WAIT, () -> server.recorder().setups().size() == 1);

    caller.interrupt();
    caller.join(WAIT.toMillis());

    assertThat(thrown.get()).isInstanceOf(LiveException.class).hasMessageContaining("nterrupted");
    assertThat(stillInterrupted.get()).as("the interrupt flag is kept").isTrue();
    assertClosedAndReleased();
  }

  private void assertClosedAndReleased() throws InterruptedException {
    Event closed = events.await(EventType.CLOSED);
    assertThat(server.connections()).hasSize(1);
    assertThat(server.connections().get(0).awaitClosed(WAIT))
        .as("the connection is released")
        .isTrue();
    assertThat(events.count(EventType.OPEN)).isZero();
    assertThat(events.count(EventType.RECONNECTED)).isZero();
    assertThat(events.count(EventType.RECONNECTING)).isZero();
    assertThat(closed).isNotNull();
  }
}
