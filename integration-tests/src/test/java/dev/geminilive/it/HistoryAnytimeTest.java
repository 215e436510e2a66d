package dev.geminilive.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.LiveConfigException;
import dev.geminilive.ModelProfile;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.Turn;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.HistoryEntry;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code sendHistory} during the call on gemini-3.8-live: turns with roles, answered at once with
 * {@code turnComplete}, added to the conversation without it; refused where the profile says not.
 */
class HistoryAnytimeTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  // Longer than the test: a reply that must still be going when the test acts is cut by that.
  private static final Duration UNTIL_CUT = Duration.ofMinutes(1);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  private static String said(RecordingLiveListener events) {
    return String.join("", events.values(EventType.OUTPUT_TRANSCRIPT));
  }

  @Test
  void historyWithoutTurnCompleteJoinsTheConversationAndTheModelWaits() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText("what is my name")
                .reply(
                    (t, r) ->
                        r.say(
                            "I know: "
                                + t.history().stream()
                                    .map(HistoryEntry::text)
                                    .collect(Collectors.joining(" | ")))));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        server
            .sessionBuilder()
            .model(ModelProfile.GEMINI_3_8_LIVE)
            .outputTranscription(true)
            .listener(events)
            .connect()) {
      session.sendText("hello");
      events.awaitTurnComplete();

      session
          .sendHistory(
              List.of(Turn.user("My name is Ada."), Turn.model("Nice to meet you, Ada.")), false)
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);
      session.sendText("what is my name");
      events.awaitTurnComplete(2, WAIT);

      assertThat(said(events))
          .as("the second turn answers the question, not the history")
          .contains("I know: ")
          .contains("My name is Ada. | Nice to meet you, Ada.");
      JsonNode content = server.recorder().ofKind(MessageKind.CLIENT_CONTENT).get(0).json();
      assertThat(content.at("/clientContent/turnComplete").asBoolean()).isFalse();
      assertThat(content.at("/clientContent/turns/1/role").asText()).isEqualTo("model");
    }
  }

  @Test
  void historyWithTurnCompleteInterruptsTheModelAndIsAnswered() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.realTime()
                .onText("tell me a story")
                // Goes on until the history cuts it, however long the test takes to send it.
                .reply(r -> r.say("Once upon a time", Duration.ofSeconds(3)).pause(UNTIL_CUT))
                .on(t -> t.text().equals("Book the Tuesday slot."))
                .reply(r -> r.say("Booking Tuesday.")));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        server
            .sessionBuilder()
            .model(ModelProfile.GEMINI_3_8_LIVE)
            .outputTranscription(true)
            .listener(events)
            .connect()) {
      session.sendText("tell me a story");
      events.await(EventType.AUDIO);

      CompletableFuture<Void> sent =
          session.sendHistory(List.of(Turn.user("Book the Tuesday slot.")), true);
      sent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      events.await(EventType.INTERRUPTED);
      events.awaitTurnComplete(2, WAIT);

      assertThat(said(events)).endsWith("Booking Tuesday.");
    }
  }

  @Test
  void onThreeOneHistoryDuringTheCallIsRefusedAndNothingIsSent() throws Exception {
    FakeLiveServer server = live.server();
    try (ResilientLiveSession session = Fakes.builder(server).connect()) {
      Throwable refused =
          session
              .sendHistory(List.of(Turn.user("My name is Ada.")), true)
              .handle((v, e) -> e)
              .get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(refused)
          .isInstanceOfSatisfying(
              LiveConfigException.class, e -> assertThat(e.field()).isEqualTo("sendHistory"))
          .hasMessageContaining("LiveSessionBuilder.history(...)")
          .hasMessageContaining("gemini-3.8-live");
      assertThat(server.recorder().ofKind(MessageKind.CLIENT_CONTENT)).isEmpty();
    }
  }
}
