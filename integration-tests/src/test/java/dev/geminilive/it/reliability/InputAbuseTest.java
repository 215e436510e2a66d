package dev.geminilive.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.geminilive.LiveException;
import dev.geminilive.LiveSessionClosedException;
import dev.geminilive.ReconnectPolicy;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionState;
import dev.geminilive.Turn;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordedMessage;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bad and badly timed input: each gets a clear error, and nothing accepted is lost. */
@Tag("reliability")
class InputAbuseTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  @Test
  void anOversizedAudioChunkIsDeliveredOrRefusedClearlyAndTheSessionGoesOn() throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = server.sessionBuilder().listener(events).connect()) {
      CompletableFuture<Void> big = session.sendAudio(new byte[5 * 1024 * 1024]);
      // Either handed to the socket or failed with a message; never left pending.
      try {
        big.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(LiveException.class);
        assertThat(e.getCause().getMessage()).isNotBlank();
      }
      session.sendText("still there?");
      events.awaitTurnComplete(1, WAIT);
      assertThat(session.state()).isEqualTo(SessionState.ACTIVE);
      assertThat(events.count(EventType.FAILURE)).isZero();
    }
  }

  @Test
  void oddAndEmptyAudioIsRefusedOrIgnoredWithoutSendingAnything() throws Exception {
    FakeLiveServer server = live.server();
    try (ResilientLiveSession session = server.sessionBuilder().connect()) {
      assertThatThrownBy(() -> session.sendAudio(new byte[3]).join())
          .hasCauseInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("even number of bytes")
          .hasMessageContaining("3");
      assertThatThrownBy(() -> session.sendAudio(ByteBuffer.allocate(1001)).join())
          .hasCauseInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("1001");
      assertThat(session.sendAudio(new byte[0])).isCompleted();
      assertThat(session.sendAudio(ByteBuffer.allocate(0))).isCompleted();
      session.sendText("marker").get(WAIT.toSeconds(), TimeUnit.SECONDS);
      Waits.received(
          server.recorder(),
          "the marker",
          WAIT,
          () -> !server.recorder().ofKind(MessageKind.REALTIME_TEXT).isEmpty());
      assertThat(server.recorder().ofKind(MessageKind.REALTIME_AUDIO)).isEmpty();
      assertThat(session.state()).isEqualTo(SessionState.ACTIVE);
    }
  }

  @Test
  void nullArgumentsFailFastNamingTheParameter() {
    FakeLiveServer server = live.server();
    try (ResilientLiveSession session = server.sessionBuilder().connect()) {
      assertThatThrownBy(() -> session.sendAudio((byte[]) null))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("pcm16k");
      assertThatThrownBy(() -> session.sendAudio((ByteBuffer) null))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("pcm16k");
      assertThatThrownBy(() -> session.sendText(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("text");
      assertThatThrownBy(() -> session.sendVideoFrame(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("jpeg");
      assertThatThrownBy(() -> session.sendHistory(null, true))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("turns");
      assertThat(session.state()).isEqualTo(SessionState.ACTIVE);
    }
  }

  @Test
  void everySendAfterCloseFailsWithLiveSessionClosedException() {
    FakeLiveServer server = live.server();
    ResilientLiveSession session = server.sessionBuilder().connect();
    session.close();
    List<Supplier<CompletableFuture<Void>>> sends =
        List.of(
            () -> session.sendText("late"),
            () -> session.sendAudio(new byte[320]),
            () -> session.sendAudio(ByteBuffer.allocate(320)),
            () -> session.sendVideoFrame(new byte[] {1}),
            session::endAudioStream,
            session::activityStart,
            session::activityEnd,
            () -> session.sendHistory(List.of(Turn.user("late")), true));
    for (Supplier<CompletableFuture<Void>> send : sends) {
      CompletableFuture<Void> f = send.get();
      assertThat(f).isCompletedExceptionally();
      assertThatThrownBy(f::join).hasCauseInstanceOf(LiveSessionClosedException.class);
    }
    session.close(); // idempotent
    assertThat(session.state()).isEqualTo(SessionState.CLOSED);
  }

  @Test
  void concurrentClosesWhileOthersSendLeaveEveryFutureCompleteAndOneClosedEvent() throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    ResilientLiveSession session = server.sessionBuilder().listener(events).connect();
    int senders = 8;
    int closers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(senders + closers);
    CountDownLatch start = new CountDownLatch(1);
    ConcurrentLinkedQueue<CompletableFuture<Void>> futures = new ConcurrentLinkedQueue<>();
    List<Future<?>> jobs = new ArrayList<>();
    for (int i = 0; i < senders; i++) {
      int n = i;
      jobs.add(
          pool.submit(
              () -> {
                start.await();
                for (int k = 0; k < 200; k++) {
                  futures.add(
                      k % 2 == 0
                          ? session.sendText("sender " + n + " text " + k)
                          : session.sendAudio(new byte[640]));
                }
                return null;
              }));
    }
    for (int i = 0; i < closers; i++) {
      jobs.add(
          pool.submit(
              () -> {
                start.await();
                session.close();
                return null;
              }));
    }
    start.countDown();
    for (Future<?> job : jobs) {
      job.get(WAIT.toSeconds(), TimeUnit.SECONDS); // no exception escapes a send or a close
    }
    pool.shutdown();
    session.termination().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(session.state()).isEqualTo(SessionState.CLOSED);
    for (CompletableFuture<Void> f : futures) {
      try {
        f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(LiveSessionClosedException.class);
      }
    }
    events.awaitEnd(WAIT);
    assertThat(events.count(EventType.CLOSED)).isEqualTo(1);
    assertThat(events.count(EventType.FAILURE)).isZero();
  }

  @Test
  void inputWhileReconnectingBeyondTheBoundDropsTheOldestAudioOnlyAndReportsIt() throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    long bound = 64 * 1024;
    try (ResilientLiveSession session =
        server
            .sessionBuilder()
            .maxQueuedBytes(bound)
            .reconnectPolicy(ReconnectPolicy.fixed(Duration.ofMillis(100)).withMaxAttempts(1_000))
            .listener(events)
            .connect()) {
      session.sendText("before");
      events.awaitTurnComplete(1, WAIT);
      Waits.handle(events, session, WAIT);
      server.faults().rejectUpgrades(1_000, 503);
      server.connections().get(0).drop();
      events.await(EventType.RECONNECTING, 1, WAIT);

      List<CompletableFuture<Void>> audio = new ArrayList<>();
      List<CompletableFuture<Void>> texts = new ArrayList<>();
      List<String> textsSent = new ArrayList<>();
      byte[] quiet = new byte[3_200]; // 100 ms of silence: no user turn on the fake
      for (int i = 0; i < 100; i++) {
        audio.add(session.sendAudio(quiet));
        if (i % 10 == 0) {
          String t = "queued " + i;
          textsSent.add(t);
          texts.add(session.sendText(t));
        }
      }
      assertThat(session.stats().audioChunksDropped()).isPositive();
      LiveException reported = (LiveException) events.await(EventType.ERROR).value();
      assertThat(reported.getMessage()).contains("dropped").contains("maxQueuedBytes");
      // The oldest audio went first: the failed futures are a prefix.
      int failed = (int) audio.stream().filter(CompletableFuture::isCompletedExceptionally).count();
      assertThat(failed).isEqualTo(session.stats().audioChunksDropped());
      for (int i = 0; i < audio.size(); i++) {
        assertThat(audio.get(i).isCompletedExceptionally()).isEqualTo(i < failed);
      }
      assertThat(texts).noneMatch(CompletableFuture::isCompletedExceptionally);

      server.faults().rejectUpgrades(0, 503);
      events.await(EventType.RECONNECTED, 1, WAIT);
      for (CompletableFuture<Void> t : texts) {
        t.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      for (CompletableFuture<Void> a : audio.subList(failed, audio.size())) {
        a.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      // Every accepted text reached the service, in order, once.
      Waits.received(
          server.recorder(),
          "all texts",
          WAIT,
          () ->
              server.recorder().ofKind(MessageKind.REALTIME_TEXT).stream()
                      .map(RecordedMessage::text)
                      .filter(t -> t.startsWith("queued "))
                      .count()
                  >= textsSent.size());
      List<String> arrived =
          server.recorder().ofKind(MessageKind.REALTIME_TEXT).stream()
              .map(RecordedMessage::text)
              .filter(t -> t.startsWith("queued "))
              .toList();
      assertThat(arrived).containsExactlyElementsOf(textsSent);
      assertThat(session.state()).isEqualTo(SessionState.ACTIVE);
    }
  }
}
