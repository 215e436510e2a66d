package dev.geminilive.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.ModelProfile;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolBehavior;
import dev.geminilive.tools.ToolContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A BLOCKING call on gemini-3.8-live that the service cancels because new input arrived (barge-in):
 * the handler is told (its {@link ToolContext#cancellation()} completes and its thread is
 * interrupted), and no result is ever sent for the cancelled id.
 */
class ToolCancellationTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  private final Booking booking = new Booking();

  @AfterEach
  void release() {
    booking.release.countDown();
  }

  /** A booking that runs until it is cancelled, then returns a result anyway. */
  static final class Booking {
    final CountDownLatch running = new CountDownLatch(1);
    final CountDownLatch returned = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicBoolean sawCancellation = new AtomicBoolean();
    final AtomicBoolean sawInterrupt = new AtomicBoolean();

    @LiveTool(
        name = "book_session",
        description = "Books a coaching session.",
        behavior = ToolBehavior.BLOCKING)
    String book(String slot, ToolContext context) {
      context.cancellation().thenRun(() -> sawCancellation.set(true));
      running.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        sawInterrupt.set(true);
      } finally {
        returned.countDown();
      }
      return "booked " + slot; // too late: the call was cancelled
    }
  }

  @Test
  void aCancelledBlockingCallIsNeverAnsweredAndItsHandlerIsTold() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText("book Tuesday")
                .callTool("book_session", Map.of("slot", "Tuesday 10:00"))
                .onText("actually wait")
                .reply(r -> r.say("Sure, I stopped the booking."))
                .onText("anything else")
                .reply(r -> r.say("No.")));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        server
            .sessionBuilder()
            .model(ModelProfile.GEMINI_3_8_LIVE)
            .tools(booking)
            .listener(events)
            .connect()) {
      session.sendText("book Tuesday");
      ToolCallEvent call = (ToolCallEvent) events.await(EventType.TOOL_CALL).value();
      assertThat(booking.running.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

      session.sendText("actually wait"); // new input: the service cancels the blocking call
      @SuppressWarnings("unchecked")
      List<String> cancelled = (List<String>) events.await(EventType.TOOL_CALL_CANCELLED).value();
      assertThat(cancelled).containsExactly(call.id());
      assertThat(booking.returned.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(booking.sawCancellation).isTrue();
      assertThat(booking.sawInterrupt).isTrue();

      // Input sent after the handler returned: had its result gone out, it would be ahead of this.
      session.sendText("anything else");
      events.awaitTurnComplete(3, WAIT);
    }
    List<JsonNode> answers =
        server.recorder().ofKind(MessageKind.TOOL_RESPONSE).stream()
            .flatMap(m -> m.functionResponses().stream())
            .toList();
    assertThat(answers).as("no result for the cancelled call").isEmpty();
    assertThat(events.count(EventType.TOOL_RESULT)).isZero();
  }
}
