package dev.geminilive.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.flow.Flow;
import dev.geminilive.flow.Stage;
import dev.geminilive.flow.Transition;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordedMessage;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolContext;
import dev.geminilive.tools.ToolParam;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A flow's refusals in a {@code toolCall} message whose other calls the service cancels, against
 * the fake on {@code gemini-3.8-live}: every call gets exactly one answer or is cancelled by the
 * service.
 */
class FlowCancellationTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** A booking of the later stage (refused in intake) and a lookup of intake, in one message. */
  private static final String BOTH =
      "{\"toolCall\":{\"functionCalls\":["
          + "{\"id\":\"m-1\",\"name\":\"book_callback\",\"args\":{\"slot\":\"09:00\"}},"
          + "{\"id\":\"m-2\",\"name\":\"look_up_caller\",\"args\":{\"phone\":\"555-0100\"}}]}}";

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  /** A lookup that runs until the service cancels it, and a booking that counts its runs. */
  static final class SlowDesk {
    final CountDownLatch lookupStarted = new CountDownLatch(1);
    final CompletableFuture<Void> lookupCancelled = new CompletableFuture<>();
    final AtomicInteger bookings = new AtomicInteger();

    @LiveTool(name = "look_up_caller", description = "Looks the caller up by phone number.")
    String lookUp(
        @ToolParam(name = "phone", description = "The caller's number.") String phone,
        ToolContext call) {
      lookupStarted.countDown();
      call.cancellation().toCompletableFuture().join();
      lookupCancelled.complete(null);
      return "caller unknown";
    }

    @LiveTool(name = "book_callback", description = "Books a callback slot.")
    String book(@ToolParam(name = "slot", description = "The slot.") String slot) {
      bookings.incrementAndGet();
      return "booked " + slot;
    }
  }

  private static Flow flow(SlowDesk tools) {
    return Flow.builder()
        .persona("You are Sam, the help desk of Acme. You are calm and brief.")
        .tools(tools)
        .stage(
            Stage.named("intake")
                .rule("Intake", "Call `look_up_caller` with the caller's number.")
                .tools("look_up_caller")
                .transition(Transition.to("callback").afterTool("look_up_caller")))
        .stage(
            Stage.named("callback")
                .rule("Callback", "Offer a slot, then call `book_callback`.")
                .tools("book_callback"))
        .build();
  }

  private static String cancellation(String... ids) {
    return "{\"toolCallCancellation\":{\"ids\":[\"" + String.join("\",\"", ids) + "\"]}}";
  }

  private ResilientLiveSession connect(SlowDesk tools, RecordingLiveListener events) {
    return live.server().sessionBuilder().flow(flow(tools)).listener(events).connect();
  }

  /** Sends one more turn and waits for its reply: what the session sent before it has arrived. */
  private static void roundTrip(ResilientLiveSession session, RecordingLiveListener events) {
    session.sendText("still there?");
    events.awaitMatching(
        e -> e.type() == EventType.OUTPUT_TRANSCRIPT && String.valueOf(e.value()).contains("Yes"),
        1,
        WAIT,
        "the reply to the last turn");
  }

  @Test
  void whenTheServiceCancelsEveryAllowedCallOfAMessageItsRefusedCallIsStillAnsweredOnce()
      throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s -> {
          s.onText("both").reply(r -> r.message(BOTH));
          s.onText("never mind").reply(r -> r.message(cancellation("m-2")));
          s.onText("still there?").reply(r -> r.say("Yes."));
        });
    SlowDesk tools = new SlowDesk();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = connect(tools, events)) {
      session.sendText("both");
      assertThat(tools.lookupStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      session.sendText("never mind");
      tools.lookupCancelled.get(WAIT.toSeconds(), TimeUnit.SECONDS);

      List<RecordedMessage> responses =
          server.recorder().awaitOfKind(MessageKind.TOOL_RESPONSE, 1, WAIT);
      List<JsonNode> answers = responses.get(0).functionResponses();
      assertThat(answers).extracting(a -> a.path("id").asText()).containsExactly("m-1");
      assertThat(answers.get(0).at("/response/status").asText()).isEqualTo("wrong_stage");

      roundTrip(session, events);
      assertThat(server.recorder().ofKind(MessageKind.TOOL_RESPONSE))
          .as("one answer for the refused call, none for the cancelled one")
          .hasSize(1);
      assertThat(session.flow().orElseThrow().stage().name()).isEqualTo("intake");
    }
    assertThat(tools.bookings).hasValue(0);
  }

  @Test
  void whenTheServiceCancelsEveryCallOfAMessageNoneIsAnswered() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s -> {
          s.onText("both").reply(r -> r.message(BOTH));
          s.onText("never mind").reply(r -> r.message(cancellation("m-1", "m-2")));
          s.onText("still there?").reply(r -> r.say("Yes."));
        });
    SlowDesk tools = new SlowDesk();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = connect(tools, events)) {
      session.sendText("both");
      assertThat(tools.lookupStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      session.sendText("never mind");
      tools.lookupCancelled.get(WAIT.toSeconds(), TimeUnit.SECONDS);

      roundTrip(session, events);
      assertThat(server.recorder().ofKind(MessageKind.TOOL_RESPONSE)).isEmpty();
    }
    assertThat(tools.bookings).hasValue(0);
  }
}
