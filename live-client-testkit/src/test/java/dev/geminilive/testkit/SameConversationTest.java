package dev.geminilive.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.InteractionStatus;
import dev.geminilive.ModelProfile;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import dev.geminilive.tools.LiveTool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One scripted coaching call, run through the library on gemini-3.1-flash-live-preview and on
 * gemini-3.8-live against the same fake: what differs is what each generation does.
 */
class SameConversationTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension final FakeLiveServerExtension live = new FakeLiveServerExtension();

  static final class Calendar {
    @LiveTool(name = "find_slots", description = "Finds open slots.")
    public String findSlots(String day) {
      return day + " 10:00";
    }
  }

  void script() {
    live.server()
        .script(
            s ->
                s.onText("Book me in on Tuesday.")
                    .reply(
                        r ->
                            r.say("Let me look.")
                                .callTool("find_slots", Map.of("day", "Tuesday"))
                                .say("Mornings or afternoons?"))
                    .onToolResponse("find_slots")
                    .reply((t, r) -> r.say("Tuesday at ten is free.")));
  }

  RecordingLiveListener run(String model, int turns) {
    script();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        live.server()
            .sessionBuilder()
            .model(model)
            .tools(new Calendar())
            .listener(events)
            .connect()) {
      session.sendText("Book me in on Tuesday.");
      events.awaitTurnComplete(turns, WAIT);
    }
    events.awaitEnd(WAIT);
    return events;
  }

  @Test
  void onThreeOneTheModelWaitsForTheToolInOneTurn() {
    RecordingLiveListener events = run(ModelProfile.GEMINI_3_1_FLASH_LIVE, 1);
    assertThat(events.outputTranscript()).isEqualTo("Let me look.Tuesday at ten is free.");
    assertThat(events.count(EventType.TURN_COMPLETE)).isEqualTo(1);
    assertThat(events.count(EventType.TOOL_RESULT)).isEqualTo(1);
    assertThat(events.count(EventType.INTERACTION_STATUS)).isZero();
  }

  @Test
  void onThreeEightTheModelTalksOnWhileTheToolRunsAndAnswersInTheSameTurn() {
    RecordingLiveListener events = run(ModelProfile.GEMINI_3_8_LIVE, 1);
    assertThat(events.outputTranscript())
        .isEqualTo("Let me look.Mornings or afternoons?Tuesday at ten is free.");
    assertThat(events.count(EventType.TURN_COMPLETE)).isEqualTo(1);
    assertThat(events.count(EventType.TOOL_RESULT)).isEqualTo(1);
    List<InteractionStatus> statuses = events.values(EventType.INTERACTION_STATUS);
    assertThat(statuses).containsExactly(InteractionStatus.IDLE);
  }
}
