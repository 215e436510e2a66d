package dev.geminilive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.ContextRestoration;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.HistoryEntry;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One conversation across many connections keeps every message exactly once, in order. */
class LongConversationTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Set<Integer> GO_AWAYS = Set.of(5, 17, 29, 41, 53);
  private static final Set<Integer> DROPS = Set.of(11, 23, 47);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  @Test
  void sixtyTurnsAcrossFiveGoAwaysAndThreeDropsKeepEveryMessageOnceInOrder() throws Exception {
    FakeLiveServer server = live.server();
    server.script(s -> s.onAnyText().reply((turn, r) -> r.say("You said: " + turn.text())));
    RecordingLiveListener events = new RecordingLiveListener();
    List<String> sent = new ArrayList<>();
    try (ResilientLiveSession session = Fakes.builder(server).listener(events).connect()) {
      for (int turn = 1; turn <= 60; turn++) {
        if (GO_AWAYS.contains(turn) || DROPS.contains(turn)) {
          int reconnects = events.count(EventType.RECONNECTED);
          ResilienceTest.awaitHandle(events, session);
          var connections = server.connections();
          var current = connections.get(connections.size() - 1);
          if (GO_AWAYS.contains(turn)) {
            current.goAway(Duration.ofSeconds(5));
          } else {
            current.drop();
          }
          events.await(EventType.RECONNECTED, reconnects + 1, WAIT);
        }
        String text = "message " + turn;
        sent.add(text);
        session.sendText(text);
        events.awaitTurnComplete(turn, WAIT);
      }
      assertThat(session.stats().reconnects()).isEqualTo(8);
    }
    assertThat(events.<ContextRestoration>values(EventType.RECONNECTED))
        .hasSize(8)
        .containsOnly(ContextRestoration.RESUMED);
    assertThat(server.connections()).hasSize(9);
    // Exactly once, in order, in the conversation the fake model holds at the end.
    List<String> consumed =
        ResilienceTest.userTexts(server).stream().filter(t -> t.startsWith("message ")).toList();
    assertThat(consumed).containsExactlyElementsOf(sent);
    List<HistoryEntry> history = server.sessions().get(server.sessions().size() - 1).history();
    List<String> modelSaid =
        history.stream().filter(h -> h.role().equals("model")).map(HistoryEntry::text).toList();
    assertThat(modelSaid).hasSize(60);
    // Every model message reached the listener once, in order.
    List<String> expected = sent.stream().map(t -> "You said: " + t).toList();
    assertThat(events.<String>values(EventType.OUTPUT_TRANSCRIPT))
        .containsExactlyElementsOf(expected);
    assertThat(events.count(EventType.TURN_COMPLETE)).isEqualTo(60);
  }
}
