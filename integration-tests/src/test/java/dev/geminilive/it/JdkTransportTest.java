package dev.geminilive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.ContextRestoration;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.Transport;
import dev.geminilive.testkit.FakeConnection;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the JDK transport must do that OkHttp does for itself, end to end against the fake: frames
 * the JDK reads in parts reach the listener whole (text and binary frames), sends queue behind the
 * one in flight, every close code and reason reaches the session, the client answers the service's
 * close and says why it closes, and a silent connection is found by its unanswered ping.
 */
class JdkTransportTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration NEVER_WITHIN_THE_WAIT = Duration.ofMinutes(10);

  /** Far larger than what the JDK reads at once, so it hands the frame over in parts. */
  private static final int LARGE_TEXT = 1 << 20;

  @RegisterExtension FakeLiveServerExtension binary = new FakeLiveServerExtension();

  @RegisterExtension
  FakeLiveServerExtension text = new FakeLiveServerExtension(b -> b.textFrames(true));

  @Test
  void aLargeBinaryFrameReadInPartsReachesTheListenerWhole() throws Exception {
    assertALargeFrameArrivesWhole(binary.server());
  }

  @Test
  void aLargeTextFrameReadInPartsReachesTheListenerWhole() throws Exception {
    assertALargeFrameArrivesWhole(text.server());
  }

  private static void assertALargeFrameArrivesWhole(FakeLiveServer server) throws Exception {
    // Multi-byte characters throughout, so a part boundary falls inside one.
    String large = "Grüße aus 東京 ".repeat(LARGE_TEXT / 16);
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = jdk(server).listener(events).connect()) {
      server
          .connections()
          .get(0)
          .sendRaw(
              "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"text\":\""
                  + large
                  + "\"}]},\"turnComplete\":true}}");
      server.connections().get(0).sendRaw("{\"serverContent\":{\"turnComplete\":true}}");
      events.awaitTurnComplete(2, WAIT);
      assertThat(events.<String>values(EventType.TEXT)).containsExactly(large);
    }
  }

  @Test
  void sendsFasterThanTheSocketWritesQueueBehindTheOneInFlightAndArriveInOrder() throws Exception {
    FakeLiveServer server = binary.server();
    // Chunks of a second of 16 kHz audio (about 43 KB of JSON each), sent at once: the JDK takes
    // one at a time, so all but one wait in the connection's queue.
    int count = 200;
    try (ResilientLiveSession session = jdk(server).connect()) {
      for (int n = 0; n < count; n++) {
        byte[] chunk = new byte[32_000];
        ByteBuffer.wrap(chunk).putShort((short) n);
        session.sendAudio(chunk);
      }
      Await.received(
          server.recorder(),
          "all chunks",
          WAIT,
          () -> server.recorder().ofKind(MessageKind.REALTIME_AUDIO).size() == count);
      List<RecordedMessage> audio = server.recorder().ofKind(MessageKind.REALTIME_AUDIO);
      for (int n = 0; n < count; n++) {
        assertThat(ByteBuffer.wrap(audio.get(n).audioBytes()).getShort()).isEqualTo((short) n);
      }
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "1000, ''",
    "1001, going away",
    "1011, Internal error encountered.",
    "1013, Try again later.",
    "4000, a code of the application's range"
  })
  void everyCloseCodeAndReasonReachesTheSessionAndTheCloseIsAnswered(int code, String reason)
      throws Exception {
    FakeLiveServer server = binary.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        jdk(server)
            .pingInterval(NEVER_WITHIN_THE_WAIT)
            .stallTimeout(NEVER_WITHIN_THE_WAIT)
            .listener(events)
            .connect()) {
      session.sendText("before");
      events.awaitTurnComplete();
      ResilienceTest.awaitHandle(events, session);
      FakeConnection first = server.connections().get(0);
      first.close(code, reason);
      Reconnecting r = (Reconnecting) events.await(EventType.RECONNECTING).value();
      assertThat(r.cause()).contains("closed with " + code).contains(reason);
      assertThat(events.await(EventType.RECONNECTED).value()).isEqualTo(ContextRestoration.RESUMED);
      // The client answered the close frame: the server closed TCP on the answer.
      assertThat(first.awaitClosed(WAIT)).isTrue();
      assertThat(first.clientCloseCode()).isPresent();
    }
    // And says why it closes when the application closes it.
    FakeConnection second = server.connections().get(1);
    assertThat(second.awaitClosed(WAIT)).isTrue();
    assertThat(second.clientCloseCode()).hasValue(1000);
    assertThat(second.clientCloseReason()).isEqualTo("Client closing");
  }

  @Test
  void aConnectionThatStopsAnsweringPingsIsGivenUpAndTheSessionResumes() throws Exception {
    FakeLiveServer server = binary.server();
    RecordingLiveListener events = new RecordingLiveListener();
    // No stall check: only the ping can find a connection that says nothing while idle.
    try (ResilientLiveSession session =
        jdk(server)
            .pingInterval(Duration.ofMillis(300))
            .stallTimeout(NEVER_WITHIN_THE_WAIT)
            .listener(events)
            .connect()) {
      session.sendText("before");
      events.awaitTurnComplete();
      ResilienceTest.awaitHandle(events, session);
      server.connections().get(0).stall();
      Reconnecting r = (Reconnecting) events.await(EventType.RECONNECTING).value();
      assertThat(r.cause()).contains("didn't receive pong within 300ms");
      // The service refuses a resume while it still holds the old socket; here its end of the
      // silent connection times out. (ResilienceTest does the same after a stall.)
      server.connections().get(0).drop();
      assertThat(events.await(EventType.RECONNECTED).value())
          .isIn(ContextRestoration.RESUMED, ContextRestoration.REBUILT_FROM_HISTORY);
      session.sendText("after");
      events.awaitTurnComplete(2, WAIT);
      assertThat(ResilienceTest.userTexts(server)).endsWith("after");
    }
  }

  @Test
  void aBurstOfFramesReachesTheListenerInOrderEachOnTheSessionsEventsThread() throws Exception {
    FakeLiveServer server = text.server();
    RecordingLiveListener events = new RecordingLiveListener();
    int frames = 500;
    try (ResilientLiveSession session = jdk(server).listener(events).connect()) {
      var connection = server.connections().get(0);
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < frames; i++) {
        sent.add("part " + i);
        connection.sendRaw(
            "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"text\":\"part " + i + "\"}]}}}");
      }
      connection.sendRaw("{\"serverContent\":{\"turnComplete\":true}}");
      events.awaitTurnComplete(1, WAIT);
      assertThat(events.<String>values(EventType.TEXT)).containsExactlyElementsOf(sent);
      // The JDK's shared worker hands each frame on under its own name; the listener is called on
      // the session's queue, named for the session, one frame at a time in arrival order.
      assertThat(events.events(EventType.TEXT))
          .allSatisfy(e -> assertThat(e.thread()).isEqualTo(session.name() + "-events"));
    }
  }

  private static dev.geminilive.LiveSessionBuilder jdk(FakeLiveServer server) {
    return Fakes.builder(server).transport(Transport.JDK);
  }
}
