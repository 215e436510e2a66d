package dev.geminilive.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.ForwardingLiveListener;
import dev.geminilive.GroundingMetadata;
import dev.geminilive.InteractionStatus;
import dev.geminilive.LiveListener;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.TurnComplete;
import dev.geminilive.TurnCompleteReason;
import dev.geminilive.VoiceActivity;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The listener and the test shown in docs/events.md; they run with the build. */
class EventSnippetsTest {
  @RegisterExtension final FakeLiveServerExtension live = new FakeLiveServerExtension();

  /** What the listener of the snippet shows, line by line. */
  private final List<String> screen = new ArrayList<>();

  private void caption(String text) {
    screen.add("caption: " + text);
  }

  private void show(String line) {
    screen.add(line);
  }

  private LiveListener listener(Runnable stopPlayback) {
    // snippet:events-listener
    LiveListener listener =
        new LiveListener() {
          @Override
          public void onVoiceActivity(ResilientLiveSession s, VoiceActivity activity) {
            if (activity.type() == VoiceActivity.Type.ACTIVITY_START) {
              stopPlayback.run(); // the user started speaking: silence the model at once
            }
          }

          @Override
          public void onInterimInputTranscript(ResilientLiveSession s, String text) {
            caption(text); // provisional: replace the caption, do not append it
          }

          @Override
          public void onInputTranscript(ResilientLiveSession s, String text) {
            show("user: " + text); // the final words
          }

          @Override
          public void onGroundingMetadata(ResilientLiveSession s, GroundingMetadata grounding) {
            grounding.sources().forEach(source -> show("source: " + source.uri()));
          }

          @Override
          public void onTurnComplete(ResilientLiveSession s, TurnComplete turn) {
            if (turn.reason() != null && turn.reason().isBlocked()) {
              show("(the answer was blocked: " + turn.reasonName() + ")");
            }
          }

          @Override
          public void onInteractionStatus(ResilientLiveSession s, InteractionStatus status) {
            show(status.isIdle() ? "(idle)" : "(still working)");
          }
        };
    // end:events-listener
    return listener;
  }

  @Test
  void theListenerShowsCaptionsSourcesBlocksAndStatus() throws InterruptedException {
    List<String> stopped = new ArrayList<>();
    live.server()
        .script(
            s ->
                s.onAnyText()
                    .reply(
                        r ->
                            r.voiceActivity(VoiceActivity.Type.ACTIVITY_START)
                                .interimInputTranscript("any gigs")
                                .inputTranscript("Any gigs tonight?")
                                .webSearch("gigs tonight", "https://example.org/gigs", "Gigs")
                                .endWith(
                                    TurnComplete.of(
                                        "GENERATED_AUDIO_SAFETY", false, InteractionStatus.IDLE))));
    CountDownLatch idle = new CountDownLatch(1);
    LiveListener shown =
        new ForwardingLiveListener(listener(() -> stopped.add("stop"))) {
          @Override
          public void onInteractionStatus(ResilientLiveSession s, InteractionStatus status) {
            super.onInteractionStatus(s, status);
            idle.countDown();
          }
        };
    try (ResilientLiveSession session = live.server().sessionBuilder().listener(shown).connect()) {
      session.sendText("any gigs tonight?");
      assertThat(idle.await(10, TimeUnit.SECONDS)).as("the turn's status arrived").isTrue();
    }
    assertThat(stopped).containsExactly("stop");
    assertThat(screen)
        .containsExactly(
            "caption: any gigs",
            "user: Any gigs tonight?",
            "source: https://example.org/gigs",
            "(the answer was blocked: GENERATED_AUDIO_SAFETY)",
            "(idle)");
  }

  // snippet:events-test
  @Test
  void aBlockedAnswerEndsItsTurnWithTheSafetyReason() {
    live.server()
        .script(
            s ->
                s.onAnyText()
                    .reply(
                        r ->
                            r.interimInputTranscript("tell me")
                                .endWith(
                                    TurnComplete.of(
                                        "GENERATED_AUDIO_SAFETY", false, InteractionStatus.IDLE))));
    RecordingLiveListener events =
        new RecordingLiveListener().ignore(EventType.USAGE, EventType.GENERATION_COMPLETE);
    try (ResilientLiveSession session = live.server().sessionBuilder().listener(events).connect()) {
      events.next(EventType.OPEN);
      session.sendText("tell me something");
      events.assertNext(EventType.INTERIM_INPUT_TRANSCRIPT, "tell me");
      TurnComplete end = events.assertTurnComplete(TurnCompleteReason.GENERATED_AUDIO_SAFETY);
      assertThat(end.reason().isBlocked()).isTrue();
      events.assertNext(EventType.INTERACTION_STATUS, InteractionStatus.IDLE);
    }
  }
  // end:events-test
}
