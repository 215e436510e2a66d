package dev.geminilive.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.testkit.internal.Json;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code contextUpdate} on the fake, with raw frames: applied in order with the other input on 3.8,
 * kept by the handles issued after it, refused with 1007 on the models without it.
 */
class ContextUpdateTest {
  static final String MODEL_38 = "gemini-3.8-live";
  static final String MODEL_31 = "gemini-3.1-flash-live-preview";
  static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension final FakeLiveServerExtension live = new FakeLiveServerExtension();

  static String setup(String model, String instruction, String tool) {
    return "{\"setup\":{\"model\":\"models/"
        + model
        + "\",\"sessionResumption\":{},"
        + "\"systemInstruction\":{\"parts\":[{\"text\":\""
        + instruction
        + "\"}]},"
        + "\"tools\":[{\"functionDeclarations\":[{\"name\":\""
        + tool
        + "\"}]}]}}";
  }

  static String resume(String model, String handle) {
    return "{\"setup\":{\"model\":\"models/"
        + model
        + "\",\"sessionResumption\":{\"handle\":\""
        + handle
        + "\"}}}";
  }

  /** The wire form google-genai 2.0.0 sends: {@code tools} wraps the list. */
  static String sdkUpdate(String instruction, String tool) {
    return "{\"contextUpdate\":{\"systemInstruction\":{\"parts\":[{\"text\":\""
        + instruction
        + "\"}]},\"tools\":{\"tools\":[{\"functionDeclarations\":[{\"name\":\""
        + tool
        + "\"}]}]}}}";
  }

  static String text(String text) {
    return "{\"realtimeInput\":{\"text\":\"" + text + "\"}}";
  }

  static String handleFrom(RawWebSocket ws) throws Exception {
    JsonNode update = Json.parseObject(ws.takeUntil("newHandle"));
    return update.at("/sessionResumptionUpdate/newHandle").asText();
  }

  @Test
  void theNextTurnIsAnsweredWithTheUpdatedInstructionAndTools() throws Exception {
    live.server()
        .script(
            s ->
                s.on(t -> t.toolNames().contains("book_session"))
                    .reply((t, r) -> r.text("new: " + t.systemInstruction()))
                    .onAnyText()
                    .reply((t, r) -> r.text("old: " + t.systemInstruction())));
    RawWebSocket ws = RawWebSocket.openWithKey(live.server());
    ws.send(setup(MODEL_38, "Be a coach.", "find_client"));
    assertThat(ws.take()).contains("setupComplete");
    ws.send(text("one"));
    assertThat(ws.takeUntil("modelTurn")).contains("old: Be a coach.");
    ws.takeUntil("turnComplete");

    // The update and the text go out back to back: the text is answered with the update applied.
    ws.send(sdkUpdate("Be a booking assistant.", "book_session")).send(text("two"));
    assertThat(ws.takeUntil("modelTurn")).contains("new: Be a booking assistant.");

    FakeSession session = live.server().sessions().get(0);
    assertThat(session.systemInstruction()).isEqualTo("Be a booking assistant.");
    assertThat(session.toolNames()).containsExactly("book_session");
    assertThat(session.contextUpdateCount()).isEqualTo(1);
    assertThat(session.effectiveSetup().at("/tools/0/functionDeclarations/0/name").asText())
        .isEqualTo("book_session");
    RecordedMessage recorded = live.server().recorder().ofKind(MessageKind.CONTEXT_UPDATE).get(0);
    assertThat(recorded.json().at("/contextUpdate/systemInstruction/parts/0/text").asText())
        .isEqualTo("Be a booking assistant.");
    assertThat(live.server().connections().get(0).isOpen()).isTrue();
  }

  @Test
  void anUpdateOfOnlyTheInstructionKeepsTheToolsAndABareToolListIsAccepted() throws Exception {
    RawWebSocket ws = RawWebSocket.openWithKey(live.server());
    ws.send(setup(MODEL_38, "Be a coach.", "find_client"));
    assertThat(ws.take()).contains("setupComplete");
    ws.send("{\"contextUpdate\":{\"systemInstruction\":{\"parts\":[{\"text\":\"Be brief.\"}]}}}");
    ws.send(text("one"));
    ws.takeUntil("turnComplete");
    FakeSession session = live.server().sessions().get(0);
    assertThat(session.systemInstruction()).isEqualTo("Be brief.");
    assertThat(session.toolNames()).containsExactly("find_client");

    ws.send(
        "{\"contextUpdate\":{\"tools\":[{\"functionDeclarations\":[{\"name\":\"a\"},"
            + "{\"name\":\"b\"}]}]}}");
    ws.send(text("two"));
    ws.takeUntil("turnComplete");
    assertThat(session.systemInstruction()).isEqualTo("Be brief.");
    assertThat(session.toolNames()).containsExactly("a", "b");
    assertThat(session.contextUpdateCount()).isEqualTo(2);
  }

  @Test
  void aModelWithoutContextUpdatesClosesWith1007() throws Exception {
    RawWebSocket ws = RawWebSocket.openWithKey(live.server());
    ws.send(setup(MODEL_31, "Be a coach.", "find_client"));
    assertThat(ws.take()).contains("setupComplete");
    ws.send(sdkUpdate("Be a booking assistant.", "book_session"));
    assertThat(ws.awaitClose())
        .isEqualTo(
            "1007 Invalid JSON payload received. Unknown name \"contextUpdate\": Cannot find"
                + " field.");
    assertThat(live.server().recorder().ofKind(MessageKind.CONTEXT_UPDATE)).hasSize(1);
    assertThat(live.server().sessions().get(0).systemInstruction()).isEqualTo("Be a coach.");
    assertThat(live.server().sessions().get(0).contextUpdateCount()).isZero();
  }

  @Test
  void aHandleIssuedAfterTheUpdateRestoresItAndOneIssuedBeforeDoesNot() throws Exception {
    RawWebSocket ws = RawWebSocket.openWithKey(live.server());
    ws.send(setup(MODEL_38, "Be a coach.", "find_client"));
    assertThat(ws.take()).contains("setupComplete");
    ws.send(text("one"));
    String before = handleFrom(ws);
    ws.send(sdkUpdate("Be a booking assistant.", "book_session")).send(text("two"));
    String after = handleFrom(ws);
    ws.webSocket.close(1000, null);
    assertThat(live.server().connections().get(0).awaitClosed(WAIT)).isTrue();

    RawWebSocket resumed = RawWebSocket.openWithKey(live.server());
    resumed.send(resume(MODEL_38, after));
    assertThat(resumed.take()).contains("setupComplete");
    FakeSession session = live.server().sessions().get(0);
    assertThat(live.server().sessions()).hasSize(1);
    assertThat(session.systemInstruction()).isEqualTo("Be a booking assistant.");
    assertThat(session.toolNames()).containsExactly("book_session");
    resumed.webSocket.close(1000, null);
    assertThat(live.server().connections().get(1).awaitClosed(WAIT)).isTrue();

    RawWebSocket older = RawWebSocket.openWithKey(live.server());
    older.send(resume(MODEL_38, before));
    assertThat(older.take()).contains("setupComplete");
    assertThat(session.systemInstruction()).isEqualTo("Be a coach.");
    assertThat(session.toolNames()).containsExactly("find_client");
  }

  @Test
  void aResumingSetupThatCarriesAnInstructionReplacesTheHandles() throws Exception {
    RawWebSocket ws = RawWebSocket.openWithKey(live.server());
    ws.send(setup(MODEL_38, "Be a coach.", "find_client"));
    assertThat(ws.take()).contains("setupComplete");
    ws.send(sdkUpdate("Be a booking assistant.", "book_session")).send(text("one"));
    String handle = handleFrom(ws);
    ws.webSocket.close(1000, null);
    assertThat(live.server().connections().get(0).awaitClosed(WAIT)).isTrue();

    RawWebSocket resumed = RawWebSocket.openWithKey(live.server());
    resumed.send(
        "{\"setup\":{\"model\":\"models/"
            + MODEL_38
            + "\",\"systemInstruction\":{\"parts\":[{\"text\":\"Be a coach again.\"}]},"
            + "\"sessionResumption\":{\"handle\":\""
            + handle
            + "\"}}}");
    assertThat(resumed.take()).contains("setupComplete");
    FakeSession session = live.server().sessions().get(0);
    assertThat(session.systemInstruction()).isEqualTo("Be a coach again.");
    assertThat(session.toolNames()).containsExactly("book_session");
  }
}
