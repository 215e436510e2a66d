package dev.geminilive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With transparent resumption the service says which client message each handle covers; the session
 * trims its replay buffer to exactly that. The builder allows it only on Vertex AI (the Gemini API
 * rejects it), so this test builds the spec around the builder to exercise the counting against the
 * fake server, which honours the flag on any endpoint.
 */
class TransparentResumptionTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  @Test
  void theConsumedIndexTrimsReplayToExactlyTheMessagesTheHandleMissed() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onAnyText()
                .reply((turn, r) -> r.say("ok " + turn.text()))
                .onAudio()
                .reply(
                    (turn, r) ->
                        r.say("numbers " + AudioAcrossReconnectTest.numbers(turn.audio()))));
    RecordingLiveListener events = new RecordingLiveListener();
    LiveSessionBuilder vertex =
        server.configureVertexAi(server.sessionBuilder()).transparentResumption(true);
    try (ResilientLiveSession session =
        vertex.listener(events).connectAsync().get(5, TimeUnit.SECONDS)) {
      session.sendText("one");
      events.awaitTurnComplete();
      session.sendText("two");
      events.awaitTurnComplete(2, WAIT);
      ResilienceTest.awaitHandle(events, session);
      Await.received(
          server.recorder(),
          "the handle update carries the index",
          WAIT,
          () ->
              server.sessions().get(0).latestHandle().isPresent()
                  && server
                      .recorder()
                      .ofKind(MessageKind.SETUP)
                      .get(0)
                      .setup()
                      .at("/sessionResumption/transparent")
                      .asBoolean());
      for (int n = 0; n < 40; n++) {
        if (n == 20) {
          // The drop strikes mid-turn: the first half has reached the server, the rest has not.
          server.recorder().awaitOfKind(MessageKind.REALTIME_AUDIO, 20, WAIT);
          server.connections().get(0).drop();
        }
        session.sendAudio(SessionContractTest.numberedChunk(0, n));
      }
      events.await(EventType.RECONNECTED);
      session.endAudioStream();
      events.awaitTurnComplete(3, WAIT);
    }
    List<Integer> expected = new ArrayList<>();
    for (int n = 0; n < 40; n++) {
      expected.add(n);
    }
    assertThat(events.<String>values(EventType.OUTPUT_TRANSCRIPT).get(2))
        .isEqualTo("numbers " + expected);
    assertThat(ResilienceTest.userTexts(server)).containsExactly("one", "two", "[audio 800 ms]");
  }
}
