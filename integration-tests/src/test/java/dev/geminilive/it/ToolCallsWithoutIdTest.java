package dev.geminilive.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.LiveListener;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordedMessage;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import dev.geminilive.testkit.ServerEffect;
import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolParam;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tool calls the service sends without an id, against the fake: each is a call of its own, with its
 * own arguments and answer, although they share the empty id.
 */
class ToolCallsWithoutIdTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  /** Two tools whose handlers each wait until both have started, so the calls overlap. */
  static final class OverlappingTools {
    final CountDownLatch bothStarted = new CountDownLatch(2);

    @LiveTool(name = "greet", description = "Greets someone.")
    String greet(@ToolParam(name = "who", description = "Whom to greet.") String who)
        throws InterruptedException {
      bothStarted.countDown();
      bothStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS);
      return "hello " + who;
    }

    @LiveTool(name = "spell", description = "Spells a word.")
    String spell(@ToolParam(name = "word", description = "The word.") String word)
        throws InterruptedException {
      bothStarted.countDown();
      bothStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS);
      return String.join("-", word.split(""));
    }
  }

  /** Records each finished call with the call the session says it was. */
  static final class Results implements LiveListener {
    final Map<String, ToolCallEvent> calls = new ConcurrentHashMap<>();
    final Map<String, JsonNode> results = new ConcurrentHashMap<>();
    final CountDownLatch two = new CountDownLatch(2);

    @Override
    public void onToolResult(ResilientLiveSession session, ToolCallEvent call, JsonNode result) {
      calls.put(call.name(), call);
      results.put(call.name(), result);
      two.countDown();
    }
  }

  @Test
  void twoCallsWithoutAnIdInOneMessageKeepTheirOwnArgumentsAndAreBothAnswered() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText("go")
                .reply(
                    r ->
                        r.message(
                            "{\"toolCall\":{\"functionCalls\":["
                                + "{\"name\":\"greet\",\"args\":{\"who\":\"Ada\"}},"
                                + "{\"name\":\"spell\",\"args\":{\"word\":\"cat\"}}]}}")));
    Results events = new Results();
    try (ResilientLiveSession session =
        server.sessionBuilder().tools(new OverlappingTools()).listener(events).connect()) {
      session.sendText("go");
      assertThat(events.two.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

      assertThat(events.calls.get("greet").id()).isEmpty();
      assertThat(events.calls.get("greet").args().path("who").asText()).isEqualTo("Ada");
      assertThat(events.results.get("greet").path("output").asText()).isEqualTo("hello Ada");
      assertThat(events.calls.get("spell").id()).isEmpty();
      assertThat(events.calls.get("spell").args().path("word").asText()).isEqualTo("cat");
      assertThat(events.results.get("spell").path("output").asText()).isEqualTo("c-a-t");

      List<JsonNode> answers =
          server
              .recorder()
              .awaitOfKind(MessageKind.TOOL_RESPONSE, 1, WAIT)
              .get(0)
              .functionResponses();
      assertThat(answers)
          .extracting(a -> a.path("name").asText())
          .containsExactly("greet", "spell");
      assertThat(answers).allSatisfy(a -> assertThat(a.has("id")).as("an id").isFalse());
      assertThat(answers)
          .extracting(a -> a.at("/response/output").asText())
          .containsExactly("hello Ada", "c-a-t");
    }
  }

  /** A quick tool, and a slow one that runs until the test lets it go. */
  static final class QuickAndSlow {
    final CountDownLatch slowStarted = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @LiveTool(name = "quick", description = "Answers at once.")
    String quick() {
      return "quick done";
    }

    @LiveTool(name = "slow", description = "Takes its time.")
    String slow() throws InterruptedException {
      slowStarted.countDown();
      release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
      return "slow done";
    }
  }

  private static String call(String name) {
    return "{\"toolCall\":{\"functionCalls\":[{\"name\":\"" + name + "\",\"args\":{}}]}}";
  }

  @Test
  void aCallWithoutAnIdStillRunningKeepsTheSessionFromMovingAfterAnotherIsAnswered()
      throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s -> {
          s.onText("first").reply(r -> r.message(call("slow")));
          s.onText("second").reply(r -> r.message(call("quick")));
          s.onText("third").reply(r -> r.say("Still working on it."));
        });
    QuickAndSlow tools = new QuickAndSlow();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        server.sessionBuilder().tools(tools).listener(events).connect()) {
      session.sendText("first");
      assertThat(tools.slowStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      session.sendText("second");
      server.recorder().awaitOfKind(MessageKind.TOOL_RESPONSE, 1, WAIT);
      // A reply and a handle after the quick answer: only the slow call keeps this from a pause.
      session.sendText("third");
      events.awaitMatching(
          e -> e.type() == EventType.RESUMPTION_HANDLE, 3, WAIT, "the handle after the reply");

      server.connections().get(0).apply(ServerEffect.goAway(Duration.ofMinutes(5)));
      events.await(EventType.GO_AWAY);
      tools.release.countDown();

      List<RecordedMessage> answers =
          server.recorder().awaitOfKind(MessageKind.TOOL_RESPONSE, 2, WAIT);
      assertThat(answers.get(1).connectionIndex())
          .as("the slow call is answered on the connection that made it, before the move")
          .isEqualTo(answers.get(0).connectionIndex());
      assertThat(answers.get(1).functionResponses().get(0).path("name").asText()).isEqualTo("slow");
    }
  }
}
