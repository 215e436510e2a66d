package dev.geminilive.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.genai.AsyncSession;
import com.google.genai.types.LiveServerMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Demonstrates the google-genai 2.0.0 Live gaps of SDK-GAPS.md against the fake server, so that
 * live-client's workarounds have a reproducible reason.
 */
class SdkGapsTest {
  static final String MODEL = "gemini-3.1-flash-live-preview";
  static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension final FakeLiveServerExtension live = new FakeLiveServerExtension();

  /** Silent (below the VAD threshold) 20 ms chunk whose first two samples encode {@code n}. */
  static byte[] numberedSilence(int n) {
    byte[] pcm = new byte[640];
    pcm[0] = (byte) (n % 256);
    pcm[2] = (byte) (n / 256);
    return pcm;
  }

  static int numberOf(byte[] pcm) {
    return (pcm[0] & 0xff) + (pcm[2] & 0xff) * 256;
  }

  @Test
  void q2SendsFromOneThreadArriveReordered() throws Exception {
    // live-client will: write every message from one per-session writer, in call order.
    FakeLiveServer server = live.server();
    SdkInbox.Connected c =
        SdkInbox.connect(server.sdkClient(), MODEL, SdkConversationTest.richConfig());
    server.takeClientMessage(WAIT);
    int n = 1000;
    boolean reordered = false;
    for (int run = 0; run < 3 && !reordered; run++) {
      List<CompletableFuture<Void>> sends = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        sends.add(c.session().sendRealtimeInput(SdkConversationTest.audio(numberedSilence(i))));
      }
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      List<Integer> arrived = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        arrived.add(numberOf(server.takeClientMessage(WAIT).audioBytes()));
      }
      assertThat(arrived).hasSize(n).doesNotHaveDuplicates();
      reordered = !arrived.equals(arrived.stream().sorted().toList());
    }
    assertThat(reordered).as("reordered in at least one of 3 runs of %s sends", n).isTrue();
  }

  @Test
  void q3MessagesRightAfterSetupCompleteAreLostWhenReceiveIsRegisteredAfterGet() throws Exception {
    // live-client will: own the socket listener, so nothing can arrive before it is registered.
    FakeLiveServer server = live.server();
    server.faults().goAwayAfterSetup(Duration.ZERO, Duration.ofSeconds(30));

    // The SDK logs (JUL) each message it drops for want of a callback: wait for that record, so
    // the loss is observed, not raced.
    java.util.logging.Logger sdkLog =
        java.util.logging.Logger.getLogger("com.google.genai.AsyncLive");
    java.util.concurrent.CountDownLatch dropped = new java.util.concurrent.CountDownLatch(1);
    java.util.logging.Handler watch =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord r) {
            if (String.valueOf(r.getMessage()).contains("no callback registered")) {
              dropped.countDown();
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    sdkLog.addHandler(watch);
    AsyncSession late;
    try {
      late = server.sdkClient().async.live.connect(MODEL, SdkConversationTest.richConfig()).get();
      assertThat(dropped.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    } finally {
      sdkLog.removeHandler(watch);
    }
    BlockingQueue<LiveServerMessage> lateInbox = new LinkedBlockingQueue<>();
    late.receive(lateInbox::add);
    late.sendRealtimeInput(SdkConversationTest.text("hi")).get();
    List<LiveServerMessage> seen = new ArrayList<>();
    LiveServerMessage m;
    do {
      m = lateInbox.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(m).isNotNull();
      seen.add(m);
    } while (!SdkInbox.isTurnComplete(m));
    assertThat(seen).noneMatch(x -> x.goAway().isPresent());

    SdkInbox.Connected early =
        SdkInbox.connect(server.sdkClient(), MODEL, SdkConversationTest.richConfig());
    assertThat(early.inbox().take().goAway()).isPresent();
  }

  @Test
  void q4AServerCloseGivesTheSdkNoSignalAndSendsKeepSucceeding() throws Exception {
    // live-client will: own the OkHttp listener (onClosing/onFailure) and fail sends after close.
    FakeLiveServer server = live.server();
    SdkInbox.Connected c =
        SdkInbox.connect(server.sdkClient(), MODEL, SdkConversationTest.richConfig());
    FakeConnection conn = server.awaitConnections(1, WAIT).get(0);

    conn.close(1011, "Internal error encountered.");
    assertThat(conn.awaitClosed(WAIT)).isTrue();

    c.session()
        .sendRealtimeInput(SdkConversationTest.text("hello?"))
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    c.session()
        .sendRealtimeInput(SdkConversationTest.text("hello??"))
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(c.inbox().staysEmpty(Duration.ofMillis(300))).isTrue();
    assertThat(conn.clientCloseCode()).as("the SDK never answers a close frame").isEmpty();
  }

  @Test
  void q5AFailedSetupFailsTheConnectButLeavesTheSocketOpen() throws Exception {
    // live-client will: close the socket itself when setup fails or times out.
    FakeLiveServer server = live.server();
    server.faults().setupCompleteReplacedBy("{}");

    assertThatThrownBy(
            () ->
                server
                    .sdkClient()
                    .async
                    .live
                    .connect(MODEL, SdkConversationTest.richConfig())
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
    FakeConnection conn = server.connections().get(0);
    assertThat(conn.awaitClosed(Duration.ofMillis(500))).isFalse();
    assertThat(conn.isOpen()).isTrue();
  }

  @Test
  void setupCompleteWithoutSessionIdIsAcceptedByTheSdk() throws Exception {
    try (FakeLiveServer server = FakeLiveServer.builder().sessionIdInSetupComplete(false).build()) {
      SdkInbox.Connected c =
          SdkInbox.connect(server.sdkClient(), MODEL, SdkConversationTest.richConfig());
      assertThat(c.session().setupComplete().sessionId()).isEmpty();
    }
  }
}
