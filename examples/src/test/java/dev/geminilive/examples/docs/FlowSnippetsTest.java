package dev.geminilive.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.ResilientLiveSession;
import dev.geminilive.examples.coach.CoachFlow;
import dev.geminilive.examples.coach.CoachTools;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.RecordingLiveListener;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs the snippets of docs/flows.md against the fake. */
class FlowSnippetsTest {
  @Test
  void theApplicationMovesTheCoachOnAndAnEarlyBookingIsRefused() throws Exception {
    try (FakeLiveServer server = FakeLiveServer.builder().build()) {
      server.script(FlowSnippets::refusalScript);
      RecordingLiveListener events = new RecordingLiveListener();
      try (ResilientLiveSession session =
          server
              .sessionBuilder()
              .flow(CoachFlow.of(new CoachTools(List.of())))
              .listener(events)
              .connect()) {
        session.sendText("Book me for Thursday");
        events.awaitTurnComplete();
        assertThat(events.outputTranscript()).contains("status: wrong_stage");
        // intake has no transition to action_items: inspect() moves only from the discussion
        assertThat(FlowSnippets.inspect(session, true).get(10, TimeUnit.SECONDS)).isNull();
        assertThat(session.flow().orElseThrow().stage().name()).isEqualTo(CoachFlow.INTAKE);
      }
    }
  }

  @Test
  void theBannerShowsWhyTheStageChanged() {
    FlowSnippets.StageBanner banner = new FlowSnippets.StageBanner();
    banner.onStageChanged(
        null,
        new dev.geminilive.flow.StageChange(
            "intake",
            "discussion",
            dev.geminilive.flow.Trigger.toolSucceeded("create_client_profile"),
            java.util.Map.of()));
    assertThat(banner.shown)
        .containsExactly("intake -> discussion because tool create_client_profile succeeded");
  }
}
