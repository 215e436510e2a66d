package dev.geminilive.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.testkit.internal.Json;
import dev.geminilive.testkit.internal.Pcm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fake speaks gemini-3.8-live by itself, from the setup's model: the same script on 3.1 and on
 * 3.8, seen on the wire with a raw client.
 */
class Gemini38BehaviourTest {
  static final String MODEL_38 = "gemini-3.8-live";
  static final String MODEL_38_THINKING = "gemini-3.8-live-extended-thinking";
  static final String MODEL_31 = "gemini-3.1-flash-live-preview";
  static final String MODEL_25 = "gemini-2.5-flash-native-audio-preview-12-2025";

  @RegisterExtension final FakeLiveServerExtension live = new FakeLiveServerExtension();

  /** A setup declaring {@code find_slots} with {@code behavior} (none when null). */
  static String setup(String model, String behavior, String extra) {
    return "{\"setup\":{\"model\":\"models/"
        + model
        + "\",\"sessionResumption\":{},"
        + extra
        + "\"tools\":[{\"functionDeclarations\":[{\"name\":\"find_slots\""
        + (behavior == null ? "" : ",\"behavior\":\"" + behavior + "\"")
        + "}]}]}}";
  }

  static String text(String text) {
    return "{\"realtimeInput\":{\"text\":\"" + text + "\"}}";
  }

  static String toolResponse(String id, String scheduling) {
    return "{\"toolResponse\":{\"functionResponses\":[{\"id\":\""
        + id
        + "\",\"name\":\"find_slots\",\"response\":{\"output\":\"Tuesday 10:00\"}"
        + (scheduling == null ? "" : ",\"scheduling\":\"" + scheduling + "\"")
        + "}]}}";
  }

  static String audio(byte[] pcm) {
    return "{\"realtimeInput\":{\"audio\":{\"mimeType\":\"audio/pcm;rate=16000\",\"data\":\""
        + Base64.getEncoder().encodeToString(pcm)
        + "\"}}}";
  }

  /** Every message up to and including the first that contains {@code fragment}. */
  static List<String> until(RawWebSocket ws, String fragment) throws Exception {
    List<String> out = new ArrayList<>();
    while (true) {
      String m = ws.take();
      out.add(m);
      if (m.contains(fragment)) {
        return out;
      }
    }
  }

  static int indexOf(List<String> messages, String fragment) {
    for (int i = 0; i < messages.size(); i++) {
      if (messages.get(i).contains(fragment)) {
        return i;
      }
    }
    return -1;
  }

  static String callId(List<String> messages) throws Exception {
    String call = messages.get(indexOf(messages, "\"toolCall\""));
    return Json.parseObject(call).at("/toolCall/functionCalls/0/id").asText();
  }

  static JsonNode json(String message) throws Exception {
    return Json.parseObject(message);
  }

  RawWebSocket open(String setup) throws Exception {
    RawWebSocket ws = RawWebSocket.openWithKey(live.server()).send(setup);
    assertThat(ws.take()).contains("setupComplete");
    return ws;
  }

  /** "go": the model says one thing, calls find_slots, and says another. */
  void talkAroundTheCall() {
    live.server()
        .script(
            s ->
                s.onText("go")
                    .reply(
                        r ->
                            r.say("Let me check.")
                                .callTool("find_slots", Map.of("day", "Tuesday"))
                                .say("Meanwhile, how was your week?"))
                    .onToolResponse("find_slots")
                    .reply(r -> r.say("Tuesday at ten is free.")));
  }

  @Test
  void onThreeEightTheModelKeepsTalkingAfterANonBlockingCall() throws Exception {
    talkAroundTheCall();
    RawWebSocket ws = open(setup(MODEL_38, null, ""));
    ws.send(text("go"));
    List<String> turn = until(ws, "Meanwhile, how was your week?");
    int call = indexOf(turn, "\"toolCall\"");
    assertThat(call).isNotNegative().isLessThan(turn.size() - 1);
    assertThat(indexOf(turn, "turnComplete")).isNegative();

    // Nothing left to say while the call runs: the turn waits for the result; no scheduling is
    // WHEN_IDLE, and the reply to it ends the same turn.
    ws.send(toolResponse(callId(turn), null));
    List<String> reply = until(ws, "turnComplete");
    assertThat(indexOf(reply, "Tuesday at ten is free.")).isNotNegative();
    assertThat(json(reply.get(reply.size() - 1)).at("/serverContent/interactionStatus").asText())
        .isEqualTo("IDLE");
    assertThat(ws.take()).contains("newHandle");
    assertThat(live.server().sessions().get(0).turnCount()).isEqualTo(1);
  }

  @Test
  void onThreeOneTheSameScriptWaitsForTheResult() throws Exception {
    talkAroundTheCall();
    RawWebSocket ws = open(setup(MODEL_31, null, ""));
    ws.send(text("go"));
    List<String> beforeCall = until(ws, "\"toolCall\"");
    assertThat(indexOf(beforeCall, "Let me check.")).isNotNegative();
    String id = callId(beforeCall);
    ws.send(toolResponse(id, null));
    List<String> reply = until(ws, "turnComplete");
    assertThat(indexOf(reply, "Meanwhile")).isNegative();
    assertThat(indexOf(reply, "Tuesday at ten is free.")).isNotNegative();
    assertThat(json(reply.get(reply.size() - 1)).at("/serverContent").has("interactionStatus"))
        .isFalse();
    assertThat(live.server().recorder().ofKind(MessageKind.TOOL_RESPONSE)).hasSize(1);
  }

  @Test
  void onTwoFiveACallDeclaredNonBlockingLetsTheModelTalkOn() throws Exception {
    talkAroundTheCall();
    RawWebSocket ws = open(setup(MODEL_25, "NON_BLOCKING", ""));
    ws.send(text("go"));
    List<String> turn = until(ws, "Meanwhile, how was your week?");
    assertThat(indexOf(turn, "\"toolCall\"")).isNotNegative().isLessThan(turn.size() - 1);
    assertThat(indexOf(turn, "turnComplete")).isNegative();

    ws.send(toolResponse(callId(turn), null));
    List<String> reply = until(ws, "turnComplete");
    assertThat(indexOf(reply, "Tuesday at ten is free.")).isNotNegative();
    assertThat(json(reply.get(reply.size() - 1)).at("/serverContent").has("interactionStatus"))
        .isFalse();
  }

  @Test
  void onTwoFiveACallDeclaredWithoutABehaviorWaitsForTheResult() throws Exception {
    talkAroundTheCall();
    RawWebSocket ws = open(setup(MODEL_25, null, ""));
    ws.send(text("go"));
    List<String> beforeCall = until(ws, "\"toolCall\"");
    ws.send(toolResponse(callId(beforeCall), null));
    List<String> reply = until(ws, "turnComplete");
    assertThat(indexOf(reply, "Meanwhile")).isNegative();
    assertThat(indexOf(reply, "Tuesday at ten is free.")).isNotNegative();
  }

  @Test
  void aSilentResultOnlyJoinsTheHistory() throws Exception {
    talkAroundTheCall();
    RawWebSocket ws = open(setup(MODEL_38, null, ""));
    ws.send(text("go"));
    List<String> turn = until(ws, "Meanwhile");
    ws.send(toolResponse(callId(turn), "SILENT"));
    List<String> after = until(ws, "newHandle");
    // The rest of "Meanwhile..." plays out, then the turn ends: nothing is said about the result.
    assertThat(indexOf(after, "outputTranscription")).isNegative();
    assertThat(indexOf(after, "\"interactionStatus\":\"IDLE\"")).isNotNegative();
    assertThat(indexOf(after, "turnComplete")).isNotNegative();
    FakeSession session = live.server().sessions().get(0);
    assertThat(session.history())
        .extracting(HistoryEntry::text)
        .anyMatch(t -> t.startsWith("find_slots -> ") && t.contains("Tuesday 10:00"));
    assertThat(session.turnCount()).isEqualTo(1);
    assertThat(session.pendingToolCallIds()).isEmpty();
  }

  /**
   * "go": the call first, then a long answer that stops after its first sentence until {@code goOn}
   * completes, so that it is still playing when the test answers the call however slow the test is;
   * then its second sentence, and the turn ends.
   */
  void callThenTalkLong(CompletionStage<?> goOn) {
    live.server()
        .script(
            s ->
                s.speed(10)
                    .onText("go")
                    .reply(
                        r ->
                            r.callTool("find_slots", Map.of())
                                .say("A long story about the week.", Duration.ofSeconds(2))
                                .pauseUntil(goOn)
                                .say("And the weekend.", Duration.ofSeconds(2)))
                    .onToolResponse("find_slots")
                    .reply(r -> r.say("Tuesday at ten is free.")));
  }

  @Test
  void anInterruptResultCutsTheTurnAndRepliesAtOnce() throws Exception {
    callThenTalkLong(new CompletableFuture<>()); // goes on only if the result does not cut it
    RawWebSocket ws = open(setup(MODEL_38, null, ""));
    ws.send(text("go"));
    List<String> first = until(ws, "A long story");
    ws.send(toolResponse(callId(first), "INTERRUPT"));
    List<String> cut = until(ws, "turnComplete");
    assertThat(indexOf(cut, "\"interrupted\":true")).isNotNegative();
    assertThat(indexOf(cut, "toolCallCancellation")).isNegative();
    assertThat(indexOf(cut, "And the weekend.")).isNegative();
    List<String> reply = until(ws, "turnComplete");
    assertThat(indexOf(reply, "Tuesday at ten is free.")).isNotNegative();
    assertThat(live.server().sessions().get(0).turnCount()).isEqualTo(2);
  }

  @Test
  void aWhenIdleResultWaitsForTheTurnToEnd() throws Exception {
    CompletableFuture<Void> resultArrived = new CompletableFuture<>();
    callThenTalkLong(resultArrived);
    RawWebSocket ws = open(setup(MODEL_38, null, ""));
    ws.send(text("go"));
    List<String> first = until(ws, "A long story");
    ws.send(toolResponse(callId(first), "WHEN_IDLE"));
    live.server()
        .recorder()
        .awaitUntil(
            "the result",
            RawWebSocket.TIMEOUT,
            r -> !r.ofKind(MessageKind.TOOL_RESPONSE).isEmpty());
    resultArrived.complete(null);
    List<String> rest = until(ws, "turnComplete");
    assertThat(indexOf(rest, "And the weekend.")).as("the story after the result").isNotNegative();
    assertThat(indexOf(rest, "\"interrupted\":true")).isNegative();
    assertThat(indexOf(rest, "Tuesday at ten")).isNegative();
    List<String> reply = until(ws, "turnComplete");
    assertThat(indexOf(reply, "Tuesday at ten is free.")).isNotNegative();
  }

  @Test
  void aBlockingCallIsCancelledByNewInputAndANonBlockingOneIsNot() throws Exception {
    live.server().script(s -> s.onText("go").callTool("find_slots", Map.of()));
    RawWebSocket blocking = open(setup(MODEL_38, "BLOCKING", ""));
    blocking.send(text("go"));
    String id = callId(until(blocking, "\"toolCall\""));
    blocking.send(text("never mind"));
    List<String> cut = until(blocking, "toolCallCancellation");
    assertThat(cut.get(cut.size() - 1)).contains(id);
    assertThat(indexOf(cut, "\"interrupted\":true")).isNotNegative();

    RawWebSocket async = open(setup(MODEL_38, null, ""));
    async.send(text("go"));
    String asyncId = callId(until(async, "\"toolCall\""));
    async.send(text("never mind"));
    List<String> next = until(async, "turnComplete");
    assertThat(indexOf(next, "\"interrupted\":true")).isNotNegative();
    assertThat(indexOf(next, "toolCallCancellation")).isNegative();
    FakeSession session = live.server().sessions().get(1);
    assertThat(session.pendingToolCallIds()).containsExactly(asyncId);
  }

  @Test
  void extendedThinkingCallsAsynchronouslyAndWorksOnAfterTurnComplete() throws Exception {
    live.server()
        .script(
            s ->
                s.onText("go")
                    .reply(r -> r.callTool("find_slots", Map.of()).say("Checking flights now."))
                    .onAnyText()
                    .reply(r -> r.say("Hello.")));
    // Declared BLOCKING, but extended thinking calls asynchronously only.
    RawWebSocket ws = open(setup(MODEL_38_THINKING, "BLOCKING", ""));
    ws.send(text("hi"));
    List<String> turn = until(ws, "turnComplete");
    JsonNode done = json(turn.get(turn.size() - 1));
    assertThat(done.at("/serverContent/interactionStatus").asText()).isEqualTo("IN_PROGRESS");
    assertThat(done.at("/usageMetadata/thoughtsTokenCount").asInt()).isPositive();
    List<String> after = until(ws, "interactionStatus");
    assertThat(json(after.get(after.size() - 1)).at("/serverContent/interactionStatus").asText())
        .isEqualTo("IDLE");
    assertThat(json(after.get(after.size() - 1)).at("/serverContent").has("turnComplete"))
        .isFalse();

    // Filler while the tool runs, and the turn ends IN_PROGRESS: the result comes in a new turn.
    ws.send(text("go"));
    List<String> call = until(ws, "turnComplete");
    assertThat(indexOf(call, "Checking flights now.")).isGreaterThan(indexOf(call, "toolCall"));
    assertThat(json(call.get(call.size() - 1)).at("/serverContent/interactionStatus").asText())
        .isEqualTo("IN_PROGRESS");
    assertThat(ws.take()).contains("\"resumable\":false");
    ws.send(toolResponse(callId(call), null));
    List<String> reply = until(ws, "\"interactionStatus\":\"IDLE\"");
    assertThat(indexOf(reply, "Done.")).isNotNegative();
    assertThat(live.server().sessions().get(0).turnCount()).isEqualTo(3);
  }

  @Test
  void clientContentWithoutTurnCompleteWaitsAndWithItInterrupts() throws Exception {
    live.server()
        .script(
            s ->
                s.speed(10)
                    .onText("go")
                    // Goes on until the client content cuts it, however slow the test is.
                    .reply(
                        r ->
                            r.say("A long story.", Duration.ofSeconds(2))
                                .pauseUntil(new CompletableFuture<>()))
                    .onAnyText()
                    .reply((t, r) -> r.text("About " + t.text())));
    RawWebSocket ws = open(setup(MODEL_38, null, ""));
    ws.send(text("go"));
    until(ws, "A long story.");
    ws.send(
        "{\"clientContent\":{\"turns\":[{\"role\":\"user\",\"parts\":[{\"text\":\"my CV\"}]}]}}");
    List<String> waiting = until(ws, "waitingForInput");
    assertThat(indexOf(waiting, "interrupted")).isNegative();
    ws.send(
        "{\"clientContent\":{\"turns\":[{\"role\":\"user\",\"parts\":[{\"text\":\"and my"
            + " letter\"}]}],\"turnComplete\":true}}");
    List<String> cut = until(ws, "turnComplete");
    assertThat(indexOf(cut, "\"interrupted\":true")).isNotNegative();
    List<String> reply = until(ws, "turnComplete");
    assertThat(indexOf(reply, "About and my letter")).isNotNegative();
    assertThat(live.server().sessions().get(0).history())
        .extracting(HistoryEntry::text)
        .contains("my CV", "and my letter");

    // 3.1 keeps its rule: any client content interrupts.
    RawWebSocket old = open(setup(MODEL_31, null, ""));
    old.send(text("go"));
    until(old, "A long story.");
    old.send(
        "{\"clientContent\":{\"turns\":[{\"role\":\"user\",\"parts\":[{\"text\":\"my CV\"}]}]}}");
    assertThat(indexOf(until(old, "turnComplete"), "\"interrupted\":true")).isNotNegative();
  }

  @Test
  void speechGetsVoiceActivityInterimTranscriptsAndAudioUsage() throws Exception {
    live.server()
        .script(s -> s.onAudio().reply(r -> r.inputTranscript("hello there coach").say("Hi!")));
    RawWebSocket ws = open(setup(MODEL_38, null, "\"explicitVadSignal\":true,"));
    ws.send(audio(Pcm.speechLike(Duration.ofMillis(600), 16_000)));
    ws.send(audio(Pcm.silence(Duration.ofMillis(700), 16_000)));
    List<String> turn = until(ws, "turnComplete");
    int start = indexOf(turn, "\"voiceActivityType\":\"ACTIVITY_START\"");
    int sos = indexOf(turn, "VAD_SIGNAL_TYPE_SOS");
    int end = indexOf(turn, "\"voiceActivityType\":\"ACTIVITY_END\"");
    int eos = indexOf(turn, "VAD_SIGNAL_TYPE_EOS");
    int interim = indexOf(turn, "\"interimInputTranscription\":{\"text\":\"hello there\"}");
    int fin = indexOf(turn, "\"inputTranscription\":{\"text\":\"hello there coach\"}");
    assertThat(start).isNotNegative().isLessThan(end);
    assertThat(sos).isNotNegative().isLessThan(eos);
    assertThat(interim).isGreaterThan(end).isLessThan(fin);
    JsonNode usage = json(turn.get(turn.size() - 1)).path("usageMetadata");
    assertThat(usage.path("promptTokensDetails").findValuesAsText("modality"))
        .containsExactly("TEXT", "AUDIO");
    int audioTokens = usage.at("/promptTokensDetails/1/tokenCount").asInt();
    assertThat(audioTokens).isEqualTo(15 + 12); // 600 ms of speech + 500 ms of silence, 25 a second
  }

  @Test
  void onThreeOneSpeechGetsNoneOfThat() throws Exception {
    live.server()
        .script(s -> s.onAudio().reply(r -> r.inputTranscript("hello there coach").say("Hi!")));
    RawWebSocket ws = open(setup(MODEL_31, null, ""));
    ws.send(audio(Pcm.speechLike(Duration.ofMillis(600), 16_000)));
    ws.send(audio(Pcm.silence(Duration.ofMillis(700), 16_000)));
    List<String> turn = until(ws, "turnComplete");
    assertThat(indexOf(turn, "voiceActivity")).isNegative();
    assertThat(indexOf(turn, "interimInputTranscription")).isNegative();
    assertThat(indexOf(turn, "hello there coach")).isNotNegative();
  }
}
