package dev.geminilive.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.geminilive.AudioChunk;
import dev.geminilive.ModelProfile;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import dev.geminilive.tools.LiveTool;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The recorder's failure messages and its in-order reading, against a real session on
 * gemini-3.1-flash-live-preview (blocking tools, no interaction status: the conversations these
 * event sequences describe).
 */
class RecordingLiveListenerTest {
  /** 1 s of speech in the fake's 40 ms chunks: 25 audio events. */
  private static final Duration SPEECH = Duration.ofMillis(1000);

  @RegisterExtension final FakeLiveServerExtension live = new FakeLiveServerExtension();

  /** Runs one turn ("hello" answered with "Hi there." spoken for {@link #SPEECH}) and closes. */
  private RecordingLiveListener oneTurn(RecordingLiveListener events) {
    live.server().script(s -> s.onText("hello").reply(r -> r.say("Hi there.", SPEECH)));
    try (ResilientLiveSession session =
        live.server()
            .sessionBuilder()
            .model(ModelProfile.GEMINI_3_1_FLASH_LIVE)
            .listener(events)
            .connect()) {
      session.sendText("hello");
      events.awaitTurnComplete();
    }
    events.awaitEnd(RecordingLiveListener.DEFAULT_TIMEOUT);
    return events;
  }

  @Test
  void aTimeoutMessageWritesEachRunOfOneTypeOnceWithItsCount() {
    RecordingLiveListener events = oneTurn(new RecordingLiveListener());
    int audio = events.count(EventType.AUDIO);
    assertThat(audio).isGreaterThan(10);

    assertThatThrownBy(() -> events.await(EventType.GO_AWAY, 1, Duration.ofMillis(1)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("waiting for 1 × GO_AWAY")
        .hasMessageContaining("OUTPUT_TRANSCRIPT(Hi there.)")
        .hasMessageContaining("AUDIO ×" + (audio - 1))
        .hasMessageNotContaining("AUDIO, AUDIO");
  }

  @Test
  void nextTakesEveryEventOnceInOrderWithTypedValues() {
    RecordingLiveListener events =
        oneTurn(new RecordingLiveListener().ignore(EventType.AUDIO, EventType.USAGE));

    events.next(EventType.OPEN);
    String transcript = events.nextValue(EventType.OUTPUT_TRANSCRIPT);
    assertThat(transcript).isEqualTo("Hi there.");
    events.next(EventType.GENERATION_COMPLETE);
    events.next(EventType.TURN_COMPLETE);
    events.next(EventType.CLOSED);
    events.assertNoMoreEvents();
    // The await methods read everything, whatever the cursor took or ignores.
    assertThat(events.<AudioChunk>values(EventType.AUDIO)).isNotEmpty();
  }

  @Test
  void handlesAreRecordedAndAwaitedButTheCursorStepsOverThem() {
    live.server().script(s -> s.onText("hello").reply(r -> r.say("Hi there.", SPEECH)));
    RecordingLiveListener events =
        new RecordingLiveListener().ignore(EventType.AUDIO, EventType.USAGE);
    try (ResilientLiveSession session =
        live.server()
            .sessionBuilder()
            .model(ModelProfile.GEMINI_3_1_FLASH_LIVE)
            .listener(events)
            .connect()) {
      session.sendText("hello");
      String handle = (String) events.await(EventType.RESUMPTION_HANDLE).value();
      assertThat(session.resumptionHandle()).contains(handle);
    }
    events.awaitEnd(RecordingLiveListener.DEFAULT_TIMEOUT);

    events.next(EventType.OPEN);
    events.next(EventType.OUTPUT_TRANSCRIPT);
    events.next(EventType.GENERATION_COMPLETE);
    events.next(EventType.TURN_COMPLETE);
    events.next(EventType.CLOSED);
    events.assertNoMoreEvents();
  }

  @Test
  void nextOfTheWrongTypeAndLeftoverEventsFailWithWhatCameInstead() {
    RecordingLiveListener events = oneTurn(new RecordingLiveListener().ignore(EventType.USAGE));

    events.next(EventType.OPEN);
    assertThatThrownBy(() -> events.next(EventType.TURN_COMPLETE))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("expected TURN_COMPLETE next but got AUDIO");
    assertThatThrownBy(events::assertNoMoreEvents)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("expected no more events but got [OUTPUT_TRANSCRIPT(Hi there.)")
        .hasMessageContaining("TURN_COMPLETE, CLOSED]");
  }

  @Test
  void aLongRecordShowsOnlyItsLatestRuns() {
    RecordingLiveListener events = new RecordingLiveListener();
    live.server().script(s -> s.onAnyText().reply(r -> r.text("a")));
    try (ResilientLiveSession session =
        live.server()
            .sessionBuilder()
            .model(ModelProfile.GEMINI_3_1_FLASH_LIVE)
            .listener(events)
            .connect()) {
      for (int i = 1; i <= 30; i++) {
        session.sendText("turn " + i);
        events.awaitTurnComplete(i, RecordingLiveListener.DEFAULT_TIMEOUT);
      }
    }
    // close() returns before the events thread has delivered the last events: wait for the end.
    events.awaitEnd(RecordingLiveListener.DEFAULT_TIMEOUT);

    assertThatThrownBy(() -> events.await(EventType.GO_AWAY, 1, Duration.ofMillis(1)))
        .hasMessageContaining("[… ")
        .hasMessageContaining(" earlier runs, ")
        .hasMessageContaining("TEXT(a), GENERATION_COMPLETE, USAGE(")
        .hasMessageContaining("), TURN_COMPLETE")
        .hasMessageEndingWith(", CLOSED]");
  }

  /** A tool the model of {@link #aTestReadsTheConversationInOrderWithTypedAssertions} calls. */
  static final class Dictionary {
    @LiveTool(description = "Looks a word up.")
    public String lookup(String word) {
      return word + ": a greeting";
    }
  }

  @Test
  void aTestReadsTheConversationInOrderWithTypedAssertions() {
    live.server()
        .script(
            s ->
                s.onText("what is hi?")
                    .reply(r -> r.callTool("lookup", Map.of("word", "hi")))
                    .onToolResponse("lookup")
                    .reply(r -> r.text("Hi is ").text("a greeting.")));
    RecordingLiveListener events =
        new RecordingLiveListener().ignore(EventType.AUDIO, EventType.USAGE);
    try (ResilientLiveSession session =
        live.server()
            .sessionBuilder()
            .model(ModelProfile.GEMINI_3_1_FLASH_LIVE)
            .tools(new Dictionary())
            .listener(events)
            .connect()) {
      events.assertOpen();
      session.sendText("what is hi?");
      ToolCallEvent call = events.assertToolCall("lookup");
      assertThat(call.args().path("word").asText()).isEqualTo("hi");
      assertThat(events.assertToolResult().path("output").asText()).isEqualTo("hi: a greeting");
      events.assertText("Hi is a greeting.");
      events.assertGenerationComplete();
      assertThat(events.assertTurnComplete().reason()).isNull();
    }
    events.assertClosed();
    events.assertNoMoreEvents();
  }

  @Test
  void aTypedAssertionFailsWithWhatCameInstead() {
    RecordingLiveListener events =
        oneTurn(new RecordingLiveListener().ignore(EventType.AUDIO, EventType.USAGE));
    events.assertOpen();
    assertThatThrownBy(() -> events.assertOutputTranscript("Hi there, Ada."))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(
            "expected OUTPUT_TRANSCRIPT \"Hi there, Ada.\" but got \"Hi there.\"");
    assertThatThrownBy(events::assertTurnComplete)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("expected TURN_COMPLETE next but got GENERATION_COMPLETE");
    assertThatThrownBy(() -> events.assertToolCall("lookup"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("expected TOOL_CALL next but got");
  }

  @Test
  void assertNoneFailsAsSoonAsAnEventOfItsTypeIsThere() {
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        live.server()
            .sessionBuilder()
            .model(ModelProfile.GEMINI_3_1_FLASH_LIVE)
            .listener(events)
            .connect()) {
      events.assertNone(EventType.GO_AWAY, Duration.ofMillis(1));
      // Watching far longer than the test waits for it: it can only end by failing on the event.
      CompletableFuture<Void> watching =
          CompletableFuture.runAsync(
              () -> events.assertNone(EventType.GO_AWAY, Duration.ofHours(1)));
      live.server().connections().get(0).goAway(Duration.ofSeconds(30));
      assertThat(watching)
          .failsWithin(RecordingLiveListener.DEFAULT_TIMEOUT)
          .withThrowableOfType(ExecutionException.class)
          .havingCause()
          .isInstanceOf(AssertionError.class)
          .withMessageContaining("unexpected GO_AWAY");
      assertThatThrownBy(() -> events.assertNone(EventType.GO_AWAY, Duration.ZERO))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("unexpected GO_AWAY");
    }
  }
}
