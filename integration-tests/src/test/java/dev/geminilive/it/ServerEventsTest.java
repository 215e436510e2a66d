package dev.geminilive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.CodeExecutionResult;
import dev.geminilive.ContextRestoration;
import dev.geminilive.ExecutableCode;
import dev.geminilive.GroundingMetadata;
import dev.geminilive.InteractionStatus;
import dev.geminilive.LiveListener;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.Transport;
import dev.geminilive.TurnComplete;
import dev.geminilive.TurnCompleteReason;
import dev.geminilive.UrlContextMetadata;
import dev.geminilive.Usage;
import dev.geminilive.VadSignal;
import dev.geminilive.VoiceActivity;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every field the 3.8 generation of the service sends reaches a typed listener event, through the
 * fake server and a real socket, in the documented order (docs/events.md).
 */
class ServerEventsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  private static final Usage DETAILED =
      new Usage(
          120,
          30,
          177,
          27,
          15,
          64,
          Map.of("AUDIO", 80, "TEXT", 40),
          Map.of("AUDIO", 30),
          Map.of("TEXT", 64),
          Map.of("TEXT", 15));

  @Test
  void everyThreePointEightFieldOfAReplyReachesItsEventInOrder() {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText("what's on tonight?")
                .reply(
                    r ->
                        r.voiceActivity(VoiceActivity.Type.ACTIVITY_START)
                            .vadSignal(VadSignal.START_OF_SPEECH)
                            .interimInputTranscript("what's on")
                            .voiceActivity(VoiceActivity.Type.ACTIVITY_END)
                            .vadSignal(VadSignal.END_OF_SPEECH)
                            .inputTranscript("what's on tonight?")
                            .inputTranscriptFinished()
                            .webSearch("concerts tonight", "https://example.org/gigs", "Gigs")
                            .urlContext("https://example.org/gigs", "URL_RETRIEVAL_STATUS_SUCCESS")
                            .executableCode("PYTHON", "print(len(gigs))")
                            .codeExecutionResult(CodeExecutionResult.Outcome.OK, "3")
                            .outputTranscript("Three concerts.")
                            .outputTranscriptFinished()
                            .usage(DETAILED)
                            .endWith(
                                TurnComplete.of("NEED_MORE_INPUT", true, InteractionStatus.IDLE))));
    RecordingLiveListener events = new RecordingLiveListener().ignore(EventType.USAGE);
    try (ResilientLiveSession session = server.sessionBuilder().listener(events).connect()) {
      events.next(EventType.OPEN);
      session.sendText("what's on tonight?");
      events.assertNext(
          EventType.VOICE_ACTIVITY, new VoiceActivity(VoiceActivity.Type.ACTIVITY_START, null));
      events.assertNext(EventType.VAD_SIGNAL, VadSignal.START_OF_SPEECH);
      events.assertNext(EventType.INTERIM_INPUT_TRANSCRIPT, "what's on");
      events.assertNext(
          EventType.VOICE_ACTIVITY, new VoiceActivity(VoiceActivity.Type.ACTIVITY_END, null));
      events.assertNext(EventType.VAD_SIGNAL, VadSignal.END_OF_SPEECH);
      events.assertNext(EventType.INPUT_TRANSCRIPT, "what's on tonight?");
      events.next(EventType.INPUT_TRANSCRIPT_FINISHED);
      GroundingMetadata grounding = events.nextValue(EventType.GROUNDING_METADATA);
      assertThat(grounding.webSearchQueries()).containsExactly("concerts tonight");
      assertThat(grounding.sources())
          .containsExactly(new GroundingMetadata.Source("https://example.org/gigs", "Gigs"));
      assertThat(grounding.searchEntryPointHtml()).contains("concerts tonight");
      UrlContextMetadata urls = events.nextValue(EventType.URL_CONTEXT_METADATA);
      assertThat(urls.urls()).singleElement().matches(UrlContextMetadata.Url::succeeded);
      events.assertNext(
          EventType.EXECUTABLE_CODE, new ExecutableCode("PYTHON", "print(len(gigs))", null));
      events.assertNext(
          EventType.CODE_EXECUTION_RESULT,
          new CodeExecutionResult(CodeExecutionResult.Outcome.OK, "3", null));
      events.assertNext(EventType.OUTPUT_TRANSCRIPT, "Three concerts.");
      events.next(EventType.OUTPUT_TRANSCRIPT_FINISHED);
      events.next(EventType.GENERATION_COMPLETE);
      TurnComplete end = events.assertTurnComplete(TurnCompleteReason.NEED_MORE_INPUT);
      assertThat(end.waitingForInput()).isTrue();
      assertThat(end.interactionStatus()).isEqualTo(InteractionStatus.IDLE);
      events.assertNext(EventType.INTERACTION_STATUS, InteractionStatus.IDLE);
      assertThat(events.<Usage>values(EventType.USAGE)).contains(DETAILED);
    }
  }

  @Test
  void aTurnBlockedBySafetyEndsWithItsTypedReason() {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onAnyText()
                .reply(r -> r.endWith(TurnComplete.of("GENERATED_AUDIO_SAFETY", false, null))));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = server.sessionBuilder().listener(events).connect()) {
      session.sendText("say something unsafe");
      events.awaitTurnComplete();
      TurnComplete end = events.<TurnComplete>values(EventType.TURN_COMPLETE).get(0);
      assertThat(end.reason()).isEqualTo(TurnCompleteReason.GENERATED_AUDIO_SAFETY);
      assertThat(end.reason().isBlocked()).isTrue();
      assertThat(end.reasonName()).isEqualTo("GENERATED_AUDIO_SAFETY");
      assertThat(events.count(EventType.INTERACTION_STATUS)).isZero();
    }
  }

  @Test
  void aMalformedFunctionCallEndsTheTurnWithThatReasonAndTheSessionGoesOn() {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onText("book it")
                .reply(r -> r.endWith(TurnComplete.of("MALFORMED_FUNCTION_CALL", false, null)))
                .onAnyText()
                .reply(r -> r.say("Booked.")));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = server.sessionBuilder().listener(events).connect()) {
      session.sendText("book it");
      events.awaitTurnComplete();
      session.sendText("try again");
      events.awaitTurnComplete(2, WAIT);
      assertThat(events.<TurnComplete>values(EventType.TURN_COMPLETE))
          .extracting(TurnComplete::reason)
          .containsExactly(TurnCompleteReason.MALFORMED_FUNCTION_CALL, null);
      assertThat(events.outputTranscript()).isEqualTo("Booked.");
      assertThat(events.count(EventType.ERROR)).isZero();
    }
  }

  @Test
  void interimTranscriptsStayApartFromTheFinalTranscript() {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onAnyText()
                .reply(
                    r ->
                        r.interimInputTranscript("book a")
                            .interimInputTranscript("book a table")
                            .inputTranscript("Book a table for two.")
                            .say("For two, yes.")));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = server.sessionBuilder().listener(events).connect()) {
      session.sendText("book a table for two");
      events.awaitTurnComplete();
      assertThat(events.interimInputTranscripts()).containsExactly("book a", "book a table");
      assertThat(events.inputTranscript()).isEqualTo("Book a table for two.");
    }
  }

  @Test
  void theModelThatGoesOnWorkingAfterTurnCompleteReportsInProgressThenIdle() {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onAnyText()
                .reply(
                    r ->
                        r.say("Checking flights now.")
                            .endWith(TurnComplete.of(null, false, InteractionStatus.IN_PROGRESS))));
    RecordingLiveListener events =
        new RecordingLiveListener()
            .ignore(EventType.AUDIO, EventType.USAGE, EventType.OUTPUT_TRANSCRIPT);
    try (ResilientLiveSession session = server.sessionBuilder().listener(events).connect()) {
      events.next(EventType.OPEN);
      session.sendText("find me a flight");
      events.next(EventType.GENERATION_COMPLETE);
      TurnComplete end = events.assertTurnComplete(null);
      assertThat(end.interactionStatus()).isEqualTo(InteractionStatus.IN_PROGRESS);
      events.assertNext(EventType.INTERACTION_STATUS, InteractionStatus.IN_PROGRESS);
      server.connections().get(0).sendRaw("{\"serverContent\":{\"interactionStatus\":\"IDLE\"}}");
      InteractionStatus later = events.nextValue(EventType.INTERACTION_STATUS);
      assertThat(later).isEqualTo(InteractionStatus.IDLE);
      assertThat(later.isIdle()).isTrue();
    }
  }

  @Test
  void fieldsAndValuesThisVersionDoesNotKnowReachOnRawMessageAndRaiseNoError() {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener().recordRawMessages();
    try (ResilientLiveSession session = server.sessionBuilder().listener(events).connect()) {
      String frame =
          "{\"serverContent\":{\"turnComplete\":true,\"turnCompleteReason\":\"SOMETHING_NEW\","
              + "\"interactionStatus\":\"NEWER_STATUS\",\"futureField\":{\"x\":1}},"
              + "\"voiceActivity\":{\"voiceActivityType\":\"NEW_KIND\"},"
              + "\"brandNewTopLevel\":{\"y\":2}}";
      server.connections().get(0).sendRaw(frame);
      events.awaitTurnComplete();
      TurnComplete end = events.<TurnComplete>values(EventType.TURN_COMPLETE).get(0);
      assertThat(end.reason()).isEqualTo(TurnCompleteReason.OTHER);
      assertThat(end.reasonName()).isEqualTo("SOMETHING_NEW");
      events.await(EventType.INTERACTION_STATUS);
      assertThat(events.<InteractionStatus>values(EventType.INTERACTION_STATUS))
          .containsExactly(InteractionStatus.UNSPECIFIED);
      assertThat(events.rawMessages().toString()).contains("brandNewTopLevel", "futureField");
      assertThat(events.count(EventType.VOICE_ACTIVITY)).isZero();
      assertThat(events.count(EventType.ERROR)).isZero();
      assertThat(session.stats().malformedFrames()).isZero();
    }
  }

  @Test
  void listenersWrittenAgainstTheReasonStringStillHearTheTurnEnd() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onAnyText().reply(r -> r.endWith(TurnComplete.of("RESPONSE_REJECTED", false, null))));
    BlockingQueue<String> reasons = new LinkedBlockingQueue<>();
    LiveListener old =
        new LiveListener() {
          @Override
          public void onTurnComplete(ResilientLiveSession session, String reason) {
            reasons.add(String.valueOf(reason));
          }
        };
    try (ResilientLiveSession session = server.sessionBuilder().listener(old).connect()) {
      session.sendText("hello");
      assertThat(reasons.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("RESPONSE_REJECTED");
    }
  }

  @Test
  void aRebuiltSessionIsSeededWithTheFinalTranscriptNotTheInterimOnes() {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.onAudio()
                .reply(
                    r ->
                        r.interimInputTranscript("bok a tab")
                            .inputTranscript("Book a table for two.")
                            .say("For two, yes.")));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = server.sessionBuilder().listener(events).connect()) {
      session.sendAudio(loudThenQuiet());
      events.awaitTurnComplete();
      assertThat(events.interimInputTranscripts()).containsExactly("bok a tab");
      dev.geminilive.it.lifecycle.Waits.handle(events, session, WAIT);
      server.faults().expireHandles();
      server.connections().get(0).drop();
      assertThat(events.await(EventType.RECONNECTED).value())
          .isEqualTo(ContextRestoration.REBUILT_FROM_HISTORY);
      Await.received(
          server.recorder(),
          "seeded history",
          WAIT,
          () -> !server.recorder().ofKind(MessageKind.CLIENT_CONTENT).isEmpty());
      String seeded = server.recorder().ofKind(MessageKind.CLIENT_CONTENT).get(0).json().toString();
      assertThat(seeded).contains("Book a table for two.").doesNotContain("bok a tab");
    }
  }

  /** One frame per 3.8 field, as the service writes them. */
  private static final List<String> FRAMES_3_8 =
      List.of(
          "{\"voiceActivity\":{\"voiceActivityType\":\"ACTIVITY_START\",\"audioOffset\":\"0.5s\"}}",
          "{\"voiceActivityDetectionSignal\":{\"vadSignalType\":\"VAD_SIGNAL_TYPE_SOS\"}}",
          "{\"serverContent\":{\"interimInputTranscription\":{\"text\":\"what's\"}}}",
          "{\"serverContent\":{\"inputTranscription\":{\"text\":\"what's up\",\"finished\":true}}}",
          "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"executableCode\":{\"language\":"
              + "\"PYTHON\",\"code\":\"print(2)\"}},{\"codeExecutionResult\":{\"outcome\":"
              + "\"OUTCOME_OK\",\"output\":\"2\"}}]}}}",
          "{\"serverContent\":{\"groundingMetadata\":{\"webSearchQueries\":[\"q\"],"
              + "\"groundingChunks\":[{\"web\":{\"uri\":\"https://e.example\",\"title\":\"E\"}}]},"
              + "\"urlContextMetadata\":{\"urlMetadata\":[{\"retrievedUrl\":\"https://e.example\","
              + "\"urlRetrievalStatus\":\"URL_RETRIEVAL_STATUS_SUCCESS\"}]}}}",
          "{\"serverContent\":{\"outputTranscription\":{\"text\":\"two\",\"finished\":true}}}",
          "{\"usageMetadata\":{\"promptTokenCount\":9,\"responseTokenCount\":3,"
              + "\"totalTokenCount\":14,\"thoughtsTokenCount\":2,"
              + "\"cacheTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":4}],"
              + "\"toolUsePromptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":1}]}}",
          "{\"serverContent\":{\"turnComplete\":true,\"turnCompleteReason\":\"NEED_MORE_INPUT\","
              + "\"waitingForInput\":true,\"interactionStatus\":\"IDLE\"}}");

  @Test
  void theThreePointEightFieldsGiveTheSameEventsOnBothTransports() throws Exception {
    List<List<Object>> okhttp = eventsOver(Transport.OKHTTP);
    List<List<Object>> sdk = eventsOver(Transport.SDK);
    // Values compare as values: the SDK writes the grounding object's keys in another order.
    assertThat(sdk).isEqualTo(okhttp);
    assertThat(okhttp.stream().map(e -> e.get(0) + ":" + e.get(1)))
        .contains(
            "VOICE_ACTIVITY:VoiceActivity[type=ACTIVITY_START, audioOffset=PT0.5S]",
            "VAD_SIGNAL:START_OF_SPEECH",
            "INTERIM_INPUT_TRANSCRIPT:what's",
            "INPUT_TRANSCRIPT_FINISHED:null",
            "OUTPUT_TRANSCRIPT_FINISHED:null",
            "INTERACTION_STATUS:IDLE");
  }

  private static List<List<Object>> eventsOver(Transport transport) throws Exception {
    try (FakeLiveServer server = FakeLiveServer.builder().build()) {
      RecordingLiveListener events = new RecordingLiveListener();
      try (ResilientLiveSession session =
          server.sessionBuilder().transport(transport).listener(events).connect()) {
        for (String frame : FRAMES_3_8) {
          server.connections().get(0).sendRaw(frame);
        }
        events.awaitTurnComplete();
      }
      events.awaitEnd(WAIT);
      return events.events().stream()
          .filter(e -> e.type() != EventType.CLOSED && e.type() != EventType.OPEN)
          .map(e -> Arrays.asList(e.type(), e.value()))
          .toList();
    }
  }

  /** 200 ms of a square wave, then 520 ms of silence: one user turn to the fake's VAD. */
  private static byte[] loudThenQuiet() {
    byte[] pcm = new byte[(200 + 520) * 32];
    for (int i = 0; i < 200 * 16; i++) {
      short v = (short) ((i / 8) % 2 == 0 ? 8_000 : -8_000);
      pcm[2 * i] = (byte) v;
      pcm[2 * i + 1] = (byte) (v >> 8);
    }
    return pcm;
  }

  @Test
  void eachResumableHandleIsAnnouncedOnceTheSessionHoldsIt() throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener().recordRawMessages();
    List<Boolean> storedBeforeTheCall = new java.util.concurrent.CopyOnWriteArrayList<>();
    LiveListener listener =
        new dev.geminilive.ForwardingLiveListener(events) {
          @Override
          public void onResumptionHandle(ResilientLiveSession s, String handle) {
            storedBeforeTheCall.add(s.resumptionHandle().filter(handle::equals).isPresent());
            super.onResumptionHandle(s, handle);
          }
        };
    try (ResilientLiveSession session = server.sessionBuilder().listener(listener).connect()) {
      session.sendText("one");
      events.await(EventType.RESUMPTION_HANDLE, 1, WAIT);
      session.sendText("two");
      events.await(EventType.RESUMPTION_HANDLE, 2, WAIT);

      List<String> announced = events.values(EventType.RESUMPTION_HANDLE);
      // Every resumable update the service sent with a handle, in order, and nothing else.
      List<String> sent =
          events.rawMessages().stream()
              .map(m -> m.path("sessionResumptionUpdate"))
              .filter(u -> u.path("resumable").asBoolean(false) && u.hasNonNull("newHandle"))
              .map(u -> u.path("newHandle").asText())
              .toList();
      assertThat(announced)
          .hasSizeGreaterThanOrEqualTo(2)
          .isEqualTo(sent.subList(0, announced.size()));
      assertThat(announced.get(0)).isNotEqualTo(announced.get(1));
      assertThat(storedBeforeTheCall).isNotEmpty().containsOnly(true);
    }
  }
}
