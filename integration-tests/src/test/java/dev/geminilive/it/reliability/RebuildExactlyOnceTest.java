package dev.geminilive.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.ContextRestoration;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.FakeSession;
import dev.geminilive.testkit.HistoryEntry;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A session rebuilt from its transcript (the handle was refused) holds each user turn once: the
 * turn in flight is replayed, so it must not also be in the seeded history. Found by the chaos
 * soak.
 */
@Tag("reliability")
class RebuildExactlyOnceTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  // Longer than any test here: a reply the test drops the connection in keeps its turn open.
  private static final Duration UNTIL_THE_DROP = Duration.ofMinutes(1);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  @Test
  void aTurnInFlightWhenTheHandleIsRefusedIsInTheRebuiltConversationOnce() throws Exception {
    FakeLiveServer server = live.server();
    // The first reply to "second" stays open until the drop, however long the test takes to drop
    // the connection: a reply that ended first would bring a new handle, and the session would
    // resume instead of rebuilding. The reply on the rebuilt connection ends.
    AtomicInteger repliesToSecond = new AtomicInteger();
    server.script(
        s ->
            s.realTime()
                .onAnyText()
                .reply(
                    (turn, r) -> {
                      r.say("re: " + turn.text(), Duration.ofMillis(800));
                      if (turn.text().equals("second") && repliesToSecond.incrementAndGet() == 1) {
                        r.pause(UNTIL_THE_DROP);
                      }
                    }));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = server.sessionBuilder().listener(events).connect()) {
      session.sendText("first");
      events.awaitTurnComplete(1, WAIT);
      Waits.handle(events, session, WAIT);

      server.faults().expireHandles();
      session.sendText("second");
      events.awaitMatching(
          e -> e.type() == EventType.OUTPUT_TRANSCRIPT && "re: second".equals(e.value()),
          1,
          WAIT,
          "the start of the reply to 'second'");
      server.connections().get(0).drop();

      assertThat(events.await(EventType.RECONNECTED, 1, WAIT).value())
          .isEqualTo(ContextRestoration.REBUILT_FROM_HISTORY);
      events.awaitTurnComplete(2, WAIT);

      String id = session.sessionId().orElseThrow();
      FakeSession rebuilt =
          server.sessions().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
      List<String> users =
          rebuilt.history().stream()
              .filter(h -> h.role().equals("user"))
              .map(HistoryEntry::text)
              .toList();
      assertThat(users).containsExactly("first", "second");
    }
  }

  @Test
  void aTurnRepliedAgainAfterAResumeIsSeededOnceByALaterRebuild() throws Exception {
    FakeLiveServer server = live.server();
    // The first reply to the audio stays open until the drop, however long the test takes to drop
    // the connection: the resumed connection must be the one that answers the audio turn.
    AtomicInteger repliesToAudio = new AtomicInteger();
    server.script(
        s ->
            s.realTime()
                .onAudio()
                .reply(
                    (turn, r) -> {
                      r.inputTranscript("heard audio").say("re: audio", Duration.ofMillis(800));
                      if (repliesToAudio.incrementAndGet() == 1) {
                        r.pause(UNTIL_THE_DROP);
                      }
                    })
                .onAnyText()
                .reply((turn, r) -> r.say("re: " + turn.text(), Duration.ofMillis(200))));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = server.sessionBuilder().listener(events).connect()) {
      session.sendText("first");
      events.awaitTurnComplete(1, WAIT);
      String before = Waits.handle(events, session, WAIT);

      session.sendAudio(loudThenQuiet());
      events.awaitMatching(
          e -> e.type() == EventType.OUTPUT_TRANSCRIPT && "re: audio".equals(e.value()),
          1,
          WAIT,
          "the start of the reply to the audio");
      server.connections().get(0).drop();
      assertThat(events.await(EventType.RECONNECTED, 1, WAIT).value())
          .isEqualTo(ContextRestoration.RESUMED);
      events.awaitTurnComplete(2, WAIT);
      Waits.handleOtherThan(events, session, before, WAIT); // a handle after the audio turn

      server.faults().expireHandles();
      server.connections().get(1).drop();
      assertThat(events.await(EventType.RECONNECTED, 2, WAIT).value())
          .isEqualTo(ContextRestoration.REBUILT_FROM_HISTORY);
      session.sendText("third");
      events.awaitTurnComplete(3, WAIT);

      assertThat(userTurns(server, session)).containsExactly("first", "heard audio", "third");
    }
  }

  /** 200 ms of a loud square wave, then 520 ms of silence: one audio turn on the fake's VAD. */
  private static byte[] loudThenQuiet() {
    byte[] pcm = new byte[(200 + 520) * 32];
    for (int i = 0; i < 200 * 16; i++) {
      short v = (short) ((i / 8) % 2 == 0 ? 8_000 : -8_000);
      pcm[2 * i] = (byte) v;
      pcm[2 * i + 1] = (byte) (v >> 8);
    }
    return pcm;
  }

  private static List<String> userTurns(FakeLiveServer server, ResilientLiveSession session) {
    String id = session.sessionId().orElseThrow();
    FakeSession fs =
        server.sessions().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    return fs.history().stream()
        .filter(h -> h.role().equals("user"))
        .map(HistoryEntry::text)
        .toList();
  }
}
