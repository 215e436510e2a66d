package dev.geminilive.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.ContextRestoration;
import dev.geminilive.ForwardingLiveListener;
import dev.geminilive.LiveListener;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.FakeSession;
import dev.geminilive.testkit.HistoryEntry;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Input that asks for a reply and has not been answered is never counted as covered by a handle
 * (docs/resilience.md, "What a handle covers"). The fake, like the service as far as anyone knows,
 * ends a turn interrupted by user text with a handle taken <em>before</em> it takes in that text:
 * counting the handle as covering everything sent before it arrived lost the barge-in on every
 * planned move and every drop that followed it.
 */
@Tag("reliability")
class BargeInExactlyOnceTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  // The reply to a barge-in after the first (the one replayed into a resumed conversation) starts
  // this late.
  private static final Duration THINKING = Duration.ofMillis(600);
  // Longer than any test here: a reply that must still be going when the test acts is cut by that.
  private static final Duration UNTIL_CUT = Duration.ofMinutes(1);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  /**
   * The fake model: the reply to "first" goes on until the barge-in cuts it, however long the test
   * takes to send it; the first barge-in is answered once {@code firstAnswer} completes (so the
   * move or the drop comes while the service holds the barge-in and has not answered it yet,
   * however long the test takes to make it), later ones after {@link #THINKING}.
   */
  private FakeLiveServer scripted(CompletionStage<?> firstAnswer) {
    FakeLiveServer server = live.server();
    AtomicInteger barges = new AtomicInteger();
    server.script(
        s ->
            s.realTime()
                .onText("barge")
                .reply(
                    r -> {
                      if (barges.incrementAndGet() == 1) {
                        r.pauseUntil(firstAnswer);
                      } else {
                        r.pause(THINKING);
                      }
                      r.say("re: barge", Duration.ofMillis(300));
                    })
                .onAnyText()
                .reply(
                    (turn, r) -> {
                      r.say("re: " + turn.text(), Duration.ofSeconds(3));
                      if (turn.text().equals("first")) {
                        r.pause(UNTIL_CUT);
                      }
                    }));
    return server;
  }

  @Test
  void aBargeInFollowedByAGoAwayReachesTheResumedConversationOnceAndIsAnswered() throws Exception {
    CompletableFuture<Void> goAwaySent = new CompletableFuture<>();
    FakeLiveServer server = scripted(goAwaySent);
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = server.sessionBuilder().listener(events).connect()) {
      session.sendText("first");
      awaitTranscript(events, "re: first");
      session.sendText("barge");
      events.await(EventType.INTERRUPTED, 1, WAIT);
      // The handle that ends the interrupted turn has arrived with the interruption (same batch).
      server.connections().get(0).goAway(Duration.ofSeconds(8));
      goAwaySent.complete(null);

      assertThat(events.await(EventType.RECONNECTED, 1, WAIT).value())
          .isEqualTo(ContextRestoration.RESUMED);
      // The move waited for the answer: it came on the first connection, once, before the move.
      awaitTranscript(events, "re: barge");
      assertThat(transcripts(events, "re: barge")).isEqualTo(1);
      List<RecordingLiveListener.Event> all = events.events();
      int answered = indexOf(all, EventType.OUTPUT_TRANSCRIPT, "re: barge");
      int moving = indexOf(all, EventType.RECONNECTING, null);
      assertThat(answered).as("the answer to the barge-in, before the move").isLessThan(moving);
      assertThat(server.connections().get(1).isOpen()).isTrue();
      assertThat(userTurns(server, session)).containsExactly("first", "barge");
      session.sendText("after");
      awaitTranscript(events, "re: after");
      assertThat(userTurns(server, session)).containsExactly("first", "barge", "after");
    }
  }

  @Test
  void aBargeInFollowedByADropIsReplayedIntoTheResumedConversationOnceAndIsAnswered()
      throws Exception {
    // The first connection never answers the barge-in, however long the test takes to drop it: the
    // answer must come from the resumed conversation, to the replayed barge-in.
    FakeLiveServer server = scripted(new CompletableFuture<>());
    RecordingLiveListener events = new RecordingLiveListener();
    CountDownLatch handle = new CountDownLatch(1);
    LiveListener listener =
        new ForwardingLiveListener(events) {
          @Override
          public void onRawMessage(ResilientLiveSession session, JsonNode message) {
            if (message.path("sessionResumptionUpdate").hasNonNull("newHandle")) {
              handle.countDown();
            }
          }
        };
    try (ResilientLiveSession session = server.sessionBuilder().listener(listener).connect()) {
      session.sendText("first");
      awaitTranscript(events, "re: first");
      session.sendText("barge");
      events.await(EventType.INTERRUPTED, 1, WAIT);
      // The handle that ends the interrupted turn: the session has taken it once the drop, which
      // its queue handles after this frame, is seen.
      assertThat(handle.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      server.connections().get(0).drop();

      assertThat(events.await(EventType.RECONNECTED, 1, WAIT).value())
          .isEqualTo(ContextRestoration.RESUMED);
      awaitTranscript(events, "re: barge");
      assertThat(userTurns(server, session)).containsExactly("first", "barge");
      session.sendText("after");
      awaitTranscript(events, "re: after");
      assertThat(userTurns(server, session)).containsExactly("first", "barge", "after");
    }
  }

  @Test
  void aDropDuringTheReplyToAToolResponseResumesWithTheTurnAnsweredOnce() throws Exception {
    FakeLiveServer server = live.server();
    // The first reply to the tool response stays open until the drop, however long the test takes
    // to drop the connection: a reply that ended first would bring a handle covering the turn. The
    // reply on the resumed connection ends.
    AtomicInteger repliesToTheLookup = new AtomicInteger();
    server.script(
        s ->
            s.realTime()
                .onText(t -> t.startsWith("lookup "))
                .reply((turn, r) -> r.callTool("lookup", Map.of("label", turn.text())))
                .onAnyToolResponse()
                .reply(
                    (turn, r) -> {
                      r.say("re: the lookup", Duration.ofSeconds(2));
                      if (repliesToTheLookup.incrementAndGet() == 1) {
                        r.pause(Duration.ofMinutes(1));
                      }
                    })
                .onAnyText()
                .reply((turn, r) -> r.say("re: " + turn.text(), Duration.ofMillis(200))));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        server.sessionBuilder().tools(new ChaosTools()).listener(events).connect()) {
      session.sendText("first");
      events.awaitTurnComplete(1, WAIT);
      session.sendText("lookup x");
      awaitTranscript(events, "re: the lookup");
      server.connections().get(0).drop();

      assertThat(events.await(EventType.RECONNECTED, 1, WAIT).value())
          .isEqualTo(ContextRestoration.RESUMED);
      // Nothing the fake sent after the tool response made a handle: the turn is asked again and
      // answered on the new connection.
      awaitTranscript(events, "re: the lookup", 2);
      events.awaitTurnComplete(2, WAIT);
      List<HistoryEntry> history = fakeSession(server, session).history();
      assertThat(history.stream().filter(h -> h.role().equals("user")).map(HistoryEntry::text))
          .containsExactly("first", "lookup x");
      assertThat(history.stream().filter(h -> h.role().equals("tool")).map(HistoryEntry::text))
          .hasSize(2)
          .first()
          .asString()
          .startsWith("lookup{");
    }
  }

  private static void awaitTranscript(RecordingLiveListener events, String text) {
    awaitTranscript(events, text, 1);
  }

  private static void awaitTranscript(RecordingLiveListener events, String text, int n) {
    events.awaitMatching(
        e -> e.type() == EventType.OUTPUT_TRANSCRIPT && text.equals(e.value()),
        n,
        WAIT,
        "the reply '" + text + "'");
  }

  private static int indexOf(
      List<RecordingLiveListener.Event> all, EventType type, @Nullable String value) {
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).type() == type && (value == null || value.equals(all.get(i).value()))) {
        return i;
      }
    }
    throw new AssertionError("no " + type + " " + value + " in " + all);
  }

  private static long transcripts(RecordingLiveListener events, String text) {
    return events.events(EventType.OUTPUT_TRANSCRIPT).stream()
        .filter(e -> text.equals(e.value()))
        .count();
  }

  private static FakeSession fakeSession(FakeLiveServer server, ResilientLiveSession session) {
    String id = session.sessionId().orElseThrow();
    return server.sessions().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
  }

  private static List<String> userTurns(FakeLiveServer server, ResilientLiveSession session) {
    return fakeSession(server, session).history().stream()
        .filter(h -> h.role().equals("user"))
        .map(HistoryEntry::text)
        .toList();
  }
}
