package dev.geminilive.testkit;

import static dev.geminilive.testkit.RawWebSocket.setup;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each fault, observed at the SDK level where the SDK lets us, else with a raw OkHttp client. */
class FaultsTest {
  static final String MODEL = "gemini-3.1-flash-live-preview";
  static final Duration WAIT = Duration.ofSeconds(10);
  static final Duration QUIET = Duration.ofMillis(300);

  @RegisterExtension final FakeLiveServerExtension live = new FakeLiveServerExtension();

  SdkInbox.Connected connectSdk() throws Exception {
    return SdkInbox.connect(live.server().sdkClient(), MODEL, SdkConversationTest.richConfig());
  }

  RawWebSocket connectRaw(OkHttpClient client) throws Exception {
    FakeLiveServer server = live.server();
    RawWebSocket ws =
        RawWebSocket.open(
            client, server, RawWebSocket.path("v1beta", false), "x-goog-api-key", "test-key");
    ws.send(setup(MODEL));
    assertThat(ws.take()).contains("setupComplete");
    return ws;
  }

  @Test
  void dropEndsTheConnectionAndTheSdkSendStillReportsSuccess() throws Exception {
    SdkInbox.Connected c = connectSdk();
    FakeConnection conn = live.server().awaitConnections(1, WAIT).get(0);
    live.server().takeClientMessage(WAIT);

    conn.drop();
    assertThat(conn.awaitClosed(WAIT)).isTrue();

    c.session()
        .sendRealtimeInput(SdkConversationTest.text("anyone there?"))
        .get(5, TimeUnit.SECONDS);
    assertThat(c.inbox().staysEmpty(QUIET)).isTrue();
    assertThat(live.server().recorder().ofKind(MessageKind.REALTIME_TEXT)).isEmpty();
  }

  @Test
  void resetIsSeenAsConnectionResetByARawClientAndIsInvisibleToTheSdk() throws Exception {
    try (FakeLiveServer plain = FakeLiveServer.builder().plain(true).build()) {
      RawWebSocket ws = RawWebSocket.openWithKey(plain).send(setup(MODEL));
      ws.take();
      plain.connections().get(0).reset();
      assertThat(ws.awaitFailure()).hasMessageContaining("Connection reset");
    }
    // Over TLS the JDK client reports the reset as an EOF; the SDK reports nothing at all.
    SdkInbox.Connected c = connectSdk();
    FakeConnection conn = live.server().awaitConnections(1, WAIT).get(0);
    conn.reset();
    assertThat(conn.awaitClosed(WAIT)).isTrue();
    c.session().sendRealtimeInput(SdkConversationTest.text("hello?")).get(5, TimeUnit.SECONDS);
    assertThat(c.inbox().staysEmpty(QUIET)).isTrue();
  }

  @Test
  void halfClosedConnectionIsNeverNoticedByTheSdk() throws Exception {
    SdkInbox.Connected c = connectSdk();
    FakeLiveServer server = live.server();
    FakeConnection conn = server.awaitConnections(1, WAIT).get(0);
    server.takeClientMessage(WAIT);

    conn.closeHalfOpen(1011, "Internal error encountered.");
    c.session()
        .sendRealtimeInput(SdkConversationTest.text("still there?"))
        .get(5, TimeUnit.SECONDS);

    // The text still reaches the server: the SDK neither answered the close frame nor stopped.
    assertThat(server.takeClientMessage(WAIT).text()).isEqualTo("still there?");
    assertThat(conn.isOpen()).isTrue();
    assertThat(conn.clientCloseCode()).isEmpty();
    assertThat(c.inbox().staysEmpty(QUIET)).isTrue();
  }

  @Test
  void closeWithCodeIsSeenByARawClient() throws Exception {
    RawWebSocket ws = connectRaw(live.server().okHttpClient());
    live.server().connections().get(0).close(1011, "The service is currently unavailable.");
    assertThat(ws.awaitClose()).isEqualTo("1011 The service is currently unavailable.");
    assertThat(live.server().connections().get(0).awaitClosed(WAIT)).isTrue();
  }

  @Test
  void tlsCloseNotifyWithoutCloseFrameFailsARawClientWithEof() throws Exception {
    RawWebSocket ws = connectRaw(live.server().okHttpClient());
    live.server().connections().get(0).closeTls();
    assertThat(ws.awaitFailure()).isInstanceOf(java.io.EOFException.class);
  }

  @Test
  void stalledConnectionStopsAnsweringPings() throws Exception {
    OkHttpClient pinging =
        live.server().okHttpClient().newBuilder().pingInterval(Duration.ofMillis(200)).build();
    RawWebSocket ws = connectRaw(pinging);
    live.server().connections().get(0).stall();
    assertThat(ws.awaitFailure())
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessageContaining("didn't receive pong");
  }

  @Test
  void delayedPongsMakeAnEagerPingTimeoutFail() throws Exception {
    live.server().faults().pongDelay(Duration.ofSeconds(3));
    OkHttpClient pinging =
        live.server().okHttpClient().newBuilder().pingInterval(Duration.ofMillis(200)).build();
    RawWebSocket ws = connectRaw(pinging);
    assertThat(ws.awaitFailure()).isInstanceOf(SocketTimeoutException.class);
  }

  @Test
  void latencyDelaysEveryServerFrame() throws Exception {
    RawWebSocket ws = connectRaw(live.server().okHttpClient());
    live.server().faults().latency(Duration.ofMillis(250));
    long start = System.nanoTime();
    ws.send("{\"realtimeInput\":{\"text\":\"hi\"}}");
    ws.take();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(240));
  }

  @Test
  void http429OnTheUpgradeIsSeenByARawClientAndRetriedByTheSdk() throws Exception {
    live.server().faults().rejectUpgrades(1, 429);
    RawWebSocket ws = RawWebSocket.openWithKey(live.server());
    ws.awaitFailure();
    assertThat(ws.failureHttpStatus).isEqualTo(429);

    // The SDK retries a rejected upgrade by itself (with backoff), so one 429 goes unnoticed.
    live.server().faults().rejectUpgrades(1, 429);
    assertThat(connectSdk().session()).isNotNull();
    assertThat(live.server().faults().rejectedUpgradeCount()).isEqualTo(2);
  }

  @Test
  void rejectedSetupsCloseWithTheChosenCode() throws Exception {
    live.server().faults().rejectSetups(1, 1011, "The service is currently unavailable.");
    RawWebSocket ws = RawWebSocket.openWithKey(live.server()).send(setup(MODEL));
    assertThat(ws.awaitClose()).isEqualTo("1011 The service is currently unavailable.");
    connectRaw(live.server().okHttpClient());
  }

  @Test
  void goAwayAfterSetupIsFollowedByTheDeadlineClose() throws Exception {
    live.server().faults().goAwayAfterSetup(Duration.ZERO, Duration.ofMillis(200));
    RawWebSocket ws = connectRaw(live.server().okHttpClient());
    assertThat(ws.take()).isEqualTo("{\"goAway\":{\"timeLeft\":\"0.2s\"}}");
    assertThat(ws.awaitClose()).isEqualTo("1011 Deadline expired before operation could complete.");
  }

  @Test
  void expiredHandlesAreRefused() throws Exception {
    RawWebSocket ws = connectRaw(live.server().okHttpClient());
    ws.send("{\"realtimeInput\":{\"text\":\"hi\"}}");
    String handle = ProtocolChecksTest.handleFrom(ws);
    ws.webSocket.close(1000, null);
    assertThat(live.server().connections().get(0).awaitClosed(WAIT)).isTrue();

    live.server().faults().expireHandles();
    RawWebSocket again =
        RawWebSocket.openWithKey(live.server())
            .send(
                "{\"setup\":{\"model\":\"models/"
                    + MODEL
                    + "\",\"sessionResumption\":{\"handle\":\""
                    + handle
                    + "\"}}}");
    assertThat(again.awaitClose()).isEqualTo("1008 BidiGenerateContent session not found");
  }

  @Test
  void bargeInDuringAToolCallCancelsIt() throws Exception {
    live.server()
        .script(s -> s.onText("book").callTool("schedule_appointment", java.util.Map.of()));
    RawWebSocket ws = connectRaw(live.server().okHttpClient());
    ws.send("{\"realtimeInput\":{\"text\":\"book\"}}");
    String call = ws.takeUntil("toolCall");
    String id = call.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    ws.send("{\"realtimeInput\":{\"text\":\"never mind\"}}");
    assertThat(ws.takeUntil("interrupted")).isEqualTo("{\"serverContent\":{\"interrupted\":true}}");
    assertThat(ws.take()).isEqualTo("{\"serverContent\":{\"turnComplete\":true}}");
    assertThat(ws.take()).isEqualTo("{\"toolCallCancellation\":{\"ids\":[\"" + id + "\"]}}");
  }
}
