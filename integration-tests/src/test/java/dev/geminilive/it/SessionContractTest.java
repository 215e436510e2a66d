package dev.geminilive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.AudioChunk;
import dev.geminilive.LiveListener;
import dev.geminilive.ReconnectPolicy;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionState;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.ManualScheduler;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordedMessage;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The threading and lifecycle contract of a session. */
class SessionContractTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  /** 20 ms of 16 kHz PCM whose first two samples carry a number; loud enough to be speech. */
  static byte[] numberedChunk(int thread, int n) {
    ByteBuffer b = ByteBuffer.allocate(640).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) (10_000 + thread)).putShort((short) (10_000 + n));
    while (b.hasRemaining()) {
      b.putShort((short) 8000);
    }
    return b.array();
  }

  static int[] numberOf(byte[] pcm) {
    ByteBuffer b = ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN);
    return new int[] {b.getShort() - 10_000, b.getShort() - 10_000};
  }

  @Test
  void messagesFromManyThreadsReachTheServiceInTheOrderTheCallsReturned() throws Exception {
    FakeLiveServer server = live.server();
    int threads = 4;
    int perThread = 500;
    try (ResilientLiveSession session = Fakes.builder(server).connect()) {
      List<Thread> senders = new ArrayList<>();
      CountDownLatch start = new CountDownLatch(1);
      for (int t = 0; t < threads; t++) {
        int thread = t;
        senders.add(
            new Thread(
                () -> {
                  try {
                    start.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  for (int n = 0; n < perThread; n++) {
                    session.sendAudio(numberedChunk(thread, n));
                  }
                }));
      }
      senders.forEach(Thread::start);
      start.countDown();
      for (Thread s : senders) {
        s.join();
      }
      Await.received(
          server.recorder(),
          "all chunks",
          WAIT,
          () -> server.recorder().ofKind(MessageKind.REALTIME_AUDIO).size() == threads * perThread);
      int[] next = new int[threads];
      for (RecordedMessage m : server.recorder().ofKind(MessageKind.REALTIME_AUDIO)) {
        int[] id = numberOf(m.audioBytes());
        assertThat(id[1]).as("chunk order of thread %d", id[0]).isEqualTo(next[id[0]]);
        next[id[0]]++;
      }
      assertThat(session.stats().messagesSent()).isEqualTo(threads * perThread);
    }
  }

  @Test
  void aListenerThatThrowsIsLoggedAndTheSessionGoesOn() throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    LiveListener throwing =
        new dev.geminilive.ForwardingLiveListener(events) {
          @Override
          public void onAudio(ResilientLiveSession s, AudioChunk chunk) {
            super.onAudio(s, chunk);
            throw new IllegalStateException("a bug in the UI");
          }
        };
    try (ResilientLiveSession session = Fakes.builder(server).listener(throwing).connect()) {
      session.sendText("one");
      events.awaitTurnComplete();
      session.sendText("two");
      events.awaitTurnComplete(2, WAIT);
      assertThat(session.state()).isEqualTo(SessionState.ACTIVE);
      assertThat(session.stats().listenerErrors()).isEqualTo(events.count(EventType.AUDIO));
    }
  }

  @Test
  void aListenerThatBlocksDelaysOnlyItsOwnEvents() throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    AtomicBoolean blocked = new AtomicBoolean();
    CountDownLatch blocking = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    LiveListener slow =
        new dev.geminilive.ForwardingLiveListener(events) {
          @Override
          public void onOutputTranscript(ResilientLiveSession s, String text) {
            if (blocked.compareAndSet(false, true)) {
              blocking.countDown();
              try {
                release.await(); // until the test has seen the second send go out
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            super.onOutputTranscript(s, text);
          }
        };
    try (ResilientLiveSession session = Fakes.builder(server).listener(slow).connect()) {
      session.sendText("one");
      // While the listener blocks, sends still go out: the second text reaches the server before
      // the listener is released (it stays blocked until then, however long that takes).
      assertThat(blocking.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      session.sendText("two");
      try {
        Await.received(
            server.recorder(),
            "the second text reached the server while the listener blocks",
            WAIT,
            () -> server.recorder().ofKind(MessageKind.REALTIME_TEXT).size() == 2);
      } finally {
        release.countDown();
      }
      events.awaitTurnComplete(2, WAIT);
      List<RecordingLiveListener.EventType> order =
          events.events().stream()
              .map(RecordingLiveListener.Event::type)
              .filter(t -> t == EventType.OUTPUT_TRANSCRIPT || t == EventType.TURN_COMPLETE)
              .toList();
      assertThat(order)
          .containsExactly(
              EventType.OUTPUT_TRANSCRIPT,
              EventType.TURN_COMPLETE,
              EventType.OUTPUT_TRANSCRIPT,
              EventType.TURN_COMPLETE);
    }
  }

  @Test
  void closeReleasesTheSessionsThreadsAndSocket() throws Exception {
    FakeLiveServer server = live.server();
    ResilientLiveSession session = Fakes.builder(server).connect();
    session.sendText("hello");
    String prefix = session.toString().substring(0, session.toString().indexOf('['));
    assertThat(threadsNamed(prefix)).isNotEmpty();
    session.close();
    session.termination().get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(
            dev.geminilive.it.lifecycle.Waits.threadsGone(
                List.of(session), n -> n.startsWith(prefix + "-"), WAIT))
        .as("session threads gone")
        .isEmpty();
    assertThat(server.connections().get(0).awaitClosed(WAIT)).isTrue();
    assertThat(session.state()).isEqualTo(SessionState.CLOSED);
  }

  /**
   * A session closed while a reconnect waits for its backoff never dials again. The session's clock
   * is a {@link ManualScheduler}, moved well past the longest delay the policy gives once the
   * session has ended: an attempt that ran on the way would have started a connection, counted in
   * {@code stats()} by the time {@code advanceBy} returns, whatever the speed of the machine.
   */
  @Test
  void aClosedSessionNeverReconnects() throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    Duration longest = Duration.ofSeconds(2);
    try (ManualScheduler clock = new ManualScheduler();
        ResilientLiveSession session =
            Fakes.builder(server)
                .scheduler(clock)
                .reconnectPolicy(
                    ReconnectPolicy.exponential(Duration.ofMillis(500), 2.0, longest).withJitter(0))
                .listener(events)
                .connect()) {
      server.connections().get(0).drop();
      Reconnecting waiting = (Reconnecting) events.await(EventType.RECONNECTING).value();
      // The attempt waits for the clock, which has not moved: it is pending when close() comes.
      assertThat(clock.timeUntil("reconnect attempt 1")).contains(waiting.delay());

      session.close();
      assertThat(session.termination()).succeedsWithin(WAIT);
      clock.advanceBy(longest.multipliedBy(10));

      // The listener hears nothing after onClosed, so no event can show a late dial; the count of
      // connections the session started can.
      assertThat(session.stats().connections()).as("connections started").isEqualTo(1);
      assertThat(server.connections()).hasSize(1);
    }
  }

  static Set<String> threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .filter(n -> n.startsWith(prefix + "-"))
        .collect(Collectors.toSet());
  }
}
