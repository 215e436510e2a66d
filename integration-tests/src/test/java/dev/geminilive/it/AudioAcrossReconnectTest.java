package dev.geminilive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.FakeConnection;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** User audio streamed through a connection switch reaches the model once, in order. */
class AudioAcrossReconnectTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int CHUNKS = 100;

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"goAway", "drop"})
  void everyChunkSentDuringTheSwitchIsHeardExactlyOnce(String fault) throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText("hi")
                .reply(r -> r.say("Hello."))
                .onAudio()
                .reply((turn, r) -> r.say("numbers " + numbers(turn.audio()))));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = Fakes.builder(server).listener(events).connect()) {
      session.sendText("hi");
      events.awaitTurnComplete();
      ResilienceTest.awaitHandle(events, session);
      FakeConnection first = server.connections().get(0);
      Consumer<FakeConnection> action =
          fault.equals("goAway") ? c -> c.goAway(Duration.ofSeconds(5)) : FakeConnection::drop;
      for (int n = 0; n < CHUNKS; n++) {
        if (n == CHUNKS / 2) {
          // The fault strikes mid-turn: the first half has reached the server, the rest has not.
          server.recorder().awaitOfKind(MessageKind.REALTIME_AUDIO, CHUNKS / 2, WAIT);
          action.accept(first);
        }
        session.sendAudio(SessionContractTest.numberedChunk(0, n));
      }
      long t0 = System.nanoTime();
      events.await(EventType.RECONNECTED);
      long t1 = System.nanoTime();
      session.endAudioStream();
      events.awaitTurnComplete(2, WAIT);
      long t2 = System.nanoTime();
      System.out.println(
          "TIMING "
              + fault
              + " reconnected="
              + (t1 - t0) / 1000000
              + " reply="
              + (t2 - t1) / 1000000);
    }
    List<Integer> expected = new ArrayList<>();
    for (int n = 0; n < CHUNKS; n++) {
      expected.add(n);
    }
    String said = events.<String>values(EventType.OUTPUT_TRANSCRIPT).get(1);
    assertThat(said).isEqualTo("numbers " + expected);
  }

  /** The chunk numbers carried in an audio turn, in order. */
  static List<Integer> numbers(byte[] pcm) {
    List<Integer> out = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN);
    for (int offset = 0; offset + 640 <= pcm.length; offset += 640) {
      out.add(b.getShort(offset + 2) - 10_000);
    }
    return out;
  }
}
