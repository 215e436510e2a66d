package dev.geminilive.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.ContextRestoration;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.FakeSession;
import dev.geminilive.testkit.HistoryEntry;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.Type;
import java.time.Duration;
import java.util.List;
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

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  @Test
  void aTurnInFlightWhenTheHandleIsRefusedIsInTheRebuiltConversationOnce() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.realTime()
                .onAnyText()
                .reply((turn, r) -> r.say("re: " + turn.text(), Duration.ofMillis(800))));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = server.sessionBuilder().listener(events).connect()) {
      session.sendText("first");
      events.awaitTurnComplete(1, WAIT);
      Waits.handle(session, WAIT);

      server.faults().expireHandles();
      session.sendText("second");
      events.awaitMatching(
          e -> e.type() == Type.OUTPUT_TRANSCRIPT && "re: second".equals(e.value()),
          1,
          WAIT,
          "the start of the reply to 'second'");
      server.connections().get(0).drop();

      assertThat(events.await(Type.RECONNECTED, 1, WAIT).value())
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
}
