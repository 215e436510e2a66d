package dev.geminilive.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.genai.types.CreateAuthTokenConfig;
import dev.geminilive.ContextRestoration;
import dev.geminilive.LiveConnectException;
import dev.geminilive.LiveException;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionState;
import dev.geminilive.Transport;
import dev.geminilive.testkit.FakeConnection;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.FakeTokenEndpoint;
import dev.geminilive.testkit.ManualScheduler;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordedMessage;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolParam;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The connector contract, run against both transports: what {@code RealLiveSession} relies on from
 * any {@code Connector} (see {@code Connector} and {@code Connection}), observed end to end through
 * a session and the fake server.
 */
class ConnectorContractTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** A ping interval, stall or connect timeout that cannot come due within {@link #WAIT}. */
  private static final Duration NEVER_WITHIN_THE_WAIT = Duration.ofMinutes(10);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  @ParameterizedTest
  @EnumSource(Transport.class)
  void connectsAndHoldsATextTurn(Transport transport) throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        Fakes.builder(server).transport(transport).listener(events).connect()) {
      assertThat(session.state()).isEqualTo(SessionState.ACTIVE);
      session.sendText("hello");
      events.awaitTurnComplete();
      assertThat(events.outputTranscript()).contains("hello");
      assertThat(events.audioBytes()).isNotEmpty();
    }
    assertThat(events.awaitEnd(WAIT).type()).isEqualTo(EventType.CLOSED);
    assertThat(server.connections().get(0).awaitClosed(WAIT)).isTrue();
    assertThat(server.recorder().ofKind(MessageKind.REALTIME_TEXT))
        .extracting(RecordedMessage::text)
        .containsExactly("hello");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void holdsAnAudioTurn(Transport transport) throws Exception {
    FakeLiveServer server = live.server();
    server.script(s -> s.onAudio().reply(r -> r.say("I heard you")));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        Fakes.builder(server).transport(transport).listener(events).connect()) {
      byte[] loud = tone(320);
      for (int i = 0; i < 25; i++) {
        session.sendAudio(loud);
      }
      byte[] silence = new byte[640];
      for (int i = 0; i < 30; i++) {
        session.sendAudio(silence);
      }
      events.awaitTurnComplete();
      assertThat(events.outputTranscript()).contains("I heard you");
      assertThat(events.audioBytes()).isNotEmpty();
    }
    Await.received(
        server.recorder(),
        "all 55 chunks recorded",
        Duration.ofSeconds(5),
        () -> server.recorder().ofKind(MessageKind.REALTIME_AUDIO).size() >= 55);
    assertThat(server.recorder().ofKind(MessageKind.REALTIME_AUDIO)).hasSize(55);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void deliversEveryPartOfAMultiPartMessageInOrder(Transport transport) throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        Fakes.builder(server).transport(transport).listener(events).connect()) {
      server
          .connections()
          .get(0)
          .sendRaw(
              "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"text\":\"one \"},"
                  + "{\"text\":\"two \"},{\"text\":\"three\"}]}}}");
      server
          .connections()
          .get(0)
          .sendRaw(
              "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"text\":\" four\"}]},"
                  + "\"generationComplete\":true,\"turnComplete\":true}}");
      events.awaitTurnComplete();
      assertThat(String.join("", events.<String>values(EventType.TEXT)))
          .isEqualTo("one two three four");
    }
  }

  /** A tool handler for the round trip. */
  static final class Weather {
    @LiveTool(name = "get_weather", description = "Gets the current weather for a city.")
    String weather(@ToolParam(name = "city", description = "The city name.") String city) {
      return "sunny in " + city;
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void completesAToolCallRoundTrip(Transport transport) throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText("weather in Paris?")
                .callTool("get_weather", Map.of("city", "Paris"))
                .onToolResponse("get_weather")
                .reply(r -> r.say("It is sunny")));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        Fakes.builder(server)
            .transport(transport)
            .tools(new Weather())
            .listener(events)
            .connect()) {
      session.sendText("weather in Paris?");
      events.await(EventType.TOOL_RESULT);
      events.awaitTurnComplete();
      assertThat(events.outputTranscript()).contains("It is sunny");
    }
    assertThat(
            server.recorder().setups().get(0).at("/tools/0/functionDeclarations/0/name").asText())
        .isEqualTo("get_weather");
    List<RecordedMessage> responses = server.recorder().ofKind(MessageKind.TOOL_RESPONSE);
    assertThat(responses).hasSize(1);
    JsonNode response = responses.get(0).functionResponses().get(0);
    assertThat(response.path("name").asText()).isEqualTo("get_weather");
    assertThat(response.path("response").toString()).contains("sunny in Paris");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void framesRightAfterSetupCompleteAreNeverLost(Transport transport) throws Exception {
    FakeLiveServer server = live.server();
    // The fake writes goAway right behind setupComplete: the SDK's race window (SDK-GAPS Q3).
    server.faults().goAwayAfterSetup(Duration.ZERO, Duration.ofSeconds(30));
    for (int i = 0; i < 10; i++) {
      RecordingLiveListener events = new RecordingLiveListener();
      try (ResilientLiveSession session =
          Fakes.builder(server).transport(transport).listener(events).connect()) {
        assertThat(events.await(EventType.GO_AWAY).value()).isEqualTo(Duration.ofSeconds(30));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void goAwayMovesToANewConnectionWithTheHandle(Transport transport) throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        Fakes.builder(server).transport(transport).listener(events).connect()) {
      session.sendText("first");
      events.awaitTurnComplete();
      String handle = ResilienceTest.awaitHandle(events, session);

      server.connections().get(0).goAway(Duration.ofSeconds(10));

      assertThat(events.await(EventType.RECONNECTED).value()).isEqualTo(ContextRestoration.RESUMED);
      assertThat(server.recorder().setups()).hasSize(2);
      assertThat(server.recorder().setups().get(1).at("/sessionResumption/handle").asText())
          .isEqualTo(handle);
      assertThat(server.connections().get(0).awaitClosed(WAIT)).isTrue();
      session.sendText("second");
      events.awaitTurnComplete(2, WAIT);
      assertThat(ResilienceTest.userTexts(server)).containsExactly("first", "second");
    }
  }

  static List<Object[]> faults() {
    List<Object[]> all = new ArrayList<>();
    for (Transport t : Transport.values()) {
      for (String f : List.of("drop", "reset", "tlsClose", "close1011", "halfOpen1011")) {
        all.add(new Object[] {t, f});
      }
    }
    return all;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("faults")
  void anUnexpectedEndIsDetectedAndResumed(Transport transport, String fault) throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    // Pings and the stall check far apart: an end seen within the wait was seen by itself.
    try (ResilientLiveSession session =
        Fakes.builder(server)
            .transport(transport)
            .pingInterval(NEVER_WITHIN_THE_WAIT)
            .stallTimeout(NEVER_WITHIN_THE_WAIT)
            .listener(events)
            .connect()) {
      session.sendText("before");
      events.awaitTurnComplete();
      ResilienceTest.awaitHandle(events, session);

      long start = System.nanoTime();
      fault(fault).accept(server.connections().get(0));
      Reconnecting r = (Reconnecting) events.await(EventType.RECONNECTING).value();
      long detectedMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(events.await(EventType.RECONNECTED).value()).isEqualTo(ContextRestoration.RESUMED);
      Measurements.record("contract." + transport + ".detect." + fault + ".ms", detectedMs);
      assertThat(r.planned()).isFalse();
      // Seen within the wait with no ping or stall check due for ten minutes: the end itself was
      // seen, and named.
      assertThat(r.cause()).doesNotContainIgnoringCase("pong").doesNotContain("stalled");

      session.sendText("after");
      events.awaitTurnComplete(2, WAIT);
      assertThat(ResilienceTest.userTexts(server)).containsExactly("before", "after");
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aCloseThatCannotHealFailsTheSession(Transport transport) throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        Fakes.builder(server).transport(transport).listener(events).connect()) {
      server.connections().get(0).close(1007, "Request contains an invalid argument.");
      LiveException failure = events.awaitFailure(WAIT);
      assertThat(failure).isInstanceOf(LiveConnectException.class);
      assertThat(((LiveConnectException) failure).closeCode()).isEqualTo(1007);
      assertThat(((LiveConnectException) failure).isRetryable()).isFalse();
      assertThat(session.state()).isEqualTo(SessionState.FAILED);
      assertThat(events.count(EventType.RECONNECTING)).isZero();
      assertThat(server.connections()).hasSize(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void sendsFromFourThreadsArriveCompleteAndInCallOrderPerThread(Transport transport)
      throws Exception {
    FakeLiveServer server = live.server();
    try (ResilientLiveSession session = Fakes.builder(server).transport(transport).connect()) {
      int threads = 4;
      int perThread = 500;
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> senders = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        Thread sender =
            new Thread(
                () -> {
                  try {
                    start.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                  for (int n = 0; n < perThread; n++) {
                    session.sendAudio(numbered(id, n));
                  }
                });
        sender.start();
        senders.add(sender);
      }
      start.countDown();
      for (Thread sender : senders) {
        sender.join();
      }
      Await.received(
          server.recorder(),
          "all chunks",
          WAIT,
          () -> server.recorder().ofKind(MessageKind.REALTIME_AUDIO).size() == threads * perThread);
      int[] next = new int[threads];
      for (RecordedMessage m : server.recorder().ofKind(MessageKind.REALTIME_AUDIO)) {
        ByteBuffer b = ByteBuffer.wrap(m.audioBytes());
        int thread = b.getShort();
        int n = b.getShort();
        assertThat(n).as("chunk of thread %d", thread).isEqualTo(next[thread]);
        next[thread]++;
      }
      assertThat(next).containsOnly(perThread);
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void sendsFromOneThreadArriveInExactOrder(Transport transport) throws Exception {
    FakeLiveServer server = live.server();
    try (ResilientLiveSession session = Fakes.builder(server).transport(transport).connect()) {
      int count = 2_000;
      var threads = java.lang.management.ManagementFactory.getThreadMXBean();
      long threadsBefore = threads.getTotalStartedThreadCount();
      long start = System.nanoTime();
      for (int n = 0; n < count; n++) {
        session.sendAudio(numbered(0, n));
      }
      Await.received(
          server.recorder(),
          "all chunks",
          WAIT,
          () -> server.recorder().ofKind(MessageKind.REALTIME_AUDIO).size() == count);
      String prefix = "contract." + transport + ".send2000.";
      Measurements.record(prefix + "ms", (System.nanoTime() - start) / 1_000_000);
      Measurements.record(
          prefix + "threadsStarted", threads.getTotalStartedThreadCount() - threadsBefore);
      List<Integer> order = new ArrayList<>();
      for (RecordedMessage m : server.recorder().ofKind(MessageKind.REALTIME_AUDIO)) {
        order.add((int) ByteBuffer.wrap(m.audioBytes()).getShort(2));
      }
      for (int n = 0; n < count; n++) {
        assertThat(order.get(n)).isEqualTo(n);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aSetupAnsweredWithoutSetupCompleteFailsAndClosesTheSocket(Transport transport)
      throws Exception {
    FakeLiveServer server = live.server();
    server.faults().setupCompleteReplacedBy("{}");
    assertThatThrownBy(() -> Fakes.builder(server).transport(transport).connect())
        .isInstanceOf(LiveConnectException.class)
        .hasMessageContaining("setupComplete");
    assertThat(server.connections()).hasSize(1);
    assertThat(server.connections().get(0).awaitClosed(Duration.ofSeconds(3))).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void rejectedSetupsOfAResumeAreRetriedAndEveryRejectedSocketIsClosed(Transport transport)
      throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        Fakes.builder(server).transport(transport).listener(events).connect()) {
      session.sendText("before");
      events.awaitTurnComplete();
      ResilienceTest.awaitHandle(events, session);
      server.faults().rejectSetups(2, 1011, "Internal error encountered.");
      server.connections().get(0).drop();
      assertThat(events.await(EventType.RECONNECTED).value()).isEqualTo(ContextRestoration.RESUMED);
      assertThat(server.connections()).hasSize(4);
      for (int i = 1; i <= 2; i++) {
        assertThat(server.connections().get(i).awaitClosed(Duration.ofSeconds(3))).isTrue();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aWrongKeyFailsAtOnceWithTheCloseReason(Transport transport) {
    FakeLiveServer server = live.server();
    // The connect timeout far beyond the wait: a failure within the wait came from the close
    // frame's code and reason, not from the timeout.
    CompletableFuture<ResilientLiveSession> connecting =
        Fakes.builder(server)
            .transport(transport)
            .apiKey("wrong-key")
            .connectTimeout(NEVER_WITHIN_THE_WAIT)
            .connectAsync();
    assertThat(connecting)
        .failsWithin(WAIT)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(dev.geminilive.LiveAuthException.class)
        .withMessageNotContaining("wrong-key")
        .withMessageNotContaining("timeout");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void connectsWithAnEphemeralTokenOnTheConstrainedPath(Transport transport) throws Exception {
    FakeLiveServer server = live.server();
    try (FakeTokenEndpoint endpoint = FakeTokenEndpoint.start(server)) {
      String token =
          endpoint
              .sdkClient()
              .authTokens
              .create(CreateAuthTokenConfig.builder().uses(3).build())
              .name()
              .orElseThrow();
      RecordingLiveListener events = new RecordingLiveListener();
      try (ResilientLiveSession session =
          Fakes.builder(server)
              .transport(transport)
              .ephemeralToken(token)
              .listener(events)
              .connect()) {
        session.sendText("hello");
        events.awaitTurnComplete();
      }
      FakeConnection c = server.connections().get(0);
      assertThat(c.isConstrained()).isTrue();
      assertThat(c.apiVersion()).isEqualTo("v1alpha");
      assertThat(c.requestHeader("Authorization")).contains("Token " + token);
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aSetupThatNeverCompletesFailsAfterTheConnectTimeoutAndClosesTheSocket(Transport transport)
      throws Exception {
    FakeLiveServer server = live.server();
    server.faults().latency(Duration.ofSeconds(30));
    // The timeout on a clock the test moves: it fires at 500 ms, not a moment before.
    try (ManualScheduler clock = new ManualScheduler()) {
      CompletableFuture<ResilientLiveSession> connecting =
          Fakes.builder(server)
              .transport(transport)
              .scheduler(clock)
              .connectTimeout(Duration.ofMillis(500))
              .connectAsync();
      server.awaitConnections(1, WAIT); // the socket is open; its setup is not answered
      clock.advanceBy(Duration.ofMillis(499));
      assertThat(connecting).isNotDone();
      clock.advanceBy(Duration.ofMillis(1));
      assertThat(connecting)
          .failsWithin(WAIT)
          .withThrowableOfType(ExecutionException.class)
          .havingCause()
          .isInstanceOf(LiveConnectException.class)
          .withMessageContaining("500 ms")
          .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("timeout"));
      assertThat(server.connections().get(0).awaitClosed(WAIT)).isTrue();
    }
  }

  static byte[] numbered(int thread, int n) {
    byte[] chunk = new byte[640];
    ByteBuffer.wrap(chunk).putShort((short) thread).putShort((short) n);
    return chunk;
  }

  static byte[] tone(int samples) {
    ByteBuffer b = ByteBuffer.allocate(samples * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < samples; i++) {
      b.putShort((short) (8000 * Math.sin(2 * Math.PI * 440 * i / 16000.0)));
    }
    return b.array();
  }

  private static Consumer<FakeConnection> fault(String name) {
    return switch (name) {
      case "drop" -> FakeConnection::drop;
      case "reset" -> FakeConnection::reset;
      case "tlsClose" -> FakeConnection::closeTls;
      case "close1011" -> c -> c.close(1011, "Internal error encountered.");
      case "halfOpen1011" -> c -> c.closeHalfOpen(1011, "The service is currently unavailable.");
      default -> throw new IllegalArgumentException(name);
    };
  }
}
