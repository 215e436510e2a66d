package dev.geminilive.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionState;
import dev.geminilive.testkit.FakeConnection;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.Event;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Random and mutated server frames: the session never throws into the application, never hangs (a
 * normal text turn after each batch still completes), reports what it cannot read through {@code
 * onError}, and never dies silently. The seed is printed; {@code -Dfuzz.seed=N} replays a run.
 */
@Tag("reliability")
class FrameFuzzTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int RANDOM_FRAMES = 400;
  private static final int BATCH = 25;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  /** Frames that are not a JSON object: each must be reported once through onError. */
  static List<String> unreadable() {
    String deep = "[".repeat(5_000) + "]".repeat(5_000);
    return List.of(
        "",
        "not json",
        "{\"serverContent\":",
        "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"text\":\"cut",
        "[1,2,3]",
        "42",
        "null",
        "\"a string\"",
        "{\"serverContent\":" + deep + "}",
        new String(
            new byte[] {0, 1, 2, (byte) 0xff, (byte) 0xfe, 0x7f}, StandardCharsets.ISO_8859_1),
        "{'single':'quotes'}",
        "{\"a\":1,}");
  }

  /** Valid JSON with wrong or odd content, named by the brief. */
  static List<String> odd() {
    String huge = "x".repeat(1 << 20);
    return List.of(
        "{}",
        "{\"serverContent\":{}}",
        "{\"serverContent\":null}",
        "{\"serverContent\":\"text\"}",
        "{\"serverContent\":[1,2]}",
        "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"text\":\"" + huge + "\"}]}}}",
        "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"data\":\"!!notbase64\"}}]}}}",
        "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"audio/pcm;rate=24000\","
            + "\"data\":\"!!notbase64\"}}]}}}",
        "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"audio/pcm;rate=-5\","
            + "\"data\":\"AAAA\"}}]}}}",
        "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"audio/pcm;rate=0\","
            + "\"data\":\"AAA\"}}]}}}",
        "{\"serverContent\":{\"modelTurn\":{\"parts\":null}}}",
        "{\"serverContent\":{\"modelTurn\":{\"parts\":[null,1,\"a\",[],{}]}}}",
        "{\"serverContent\":{\"modelTurn\":{\"parts\":{\"text\":\"not an array\"}}}}",
        "{\"serverContent\":{\"outputTranscription\":{\"text\":null}}}",
        "{\"serverContent\":{\"inputTranscription\":{\"text\":12345}}}",
        "{\"serverContent\":{\"interrupted\":\"yes\",\"generationComplete\":-1}}",
        "{\"toolCall\":{\"functionCalls\":null}}",
        "{\"toolCall\":{\"functionCalls\":[{}]}}",
        "{\"toolCall\":{\"functionCalls\":[{\"id\":null,\"name\":null,\"args\":\"x\"}]}}",
        "{\"toolCall\":\"x\"}",
        "{\"toolCallCancellation\":{\"ids\":null}}",
        "{\"toolCallCancellation\":{\"ids\":[1,null,{}]}}",
        "{\"usageMetadata\":{\"promptTokenCount\":-1,\"totalTokenCount\":1e308}}",
        "{\"usageMetadata\":{\"promptTokenCount\":\"many\",\"responseTokenCount\":99999999999999}}",
        "{\"sessionResumptionUpdate\":{\"newHandle\":null,\"resumable\":true}}",
        "{\"sessionResumptionUpdate\":{\"newHandle\":\"\",\"resumable\":\"true\"}}",
        "{\"sessionResumptionUpdate\":{\"resumable\":false,"
            + "\"lastConsumedClientMessageIndex\":\"-99999999999999999999\"}}",
        "{\"setupComplete\":{}}",
        "{\"someFutureKey\":{\"nested\":{\"deeper\":[1,2,3]}}}",
        "{\"voiceActivity\":{\"type\":\"ACTIVITY_START\"}}",
        "{\"serverContent\":{\"turnComplete\":true,\"turnCompleteReason\":{\"not\":\"a string\"}}}");
  }

  /** goAway frames with nonsense times: each moves the session; it must stay usable. */
  static List<String> goAways() {
    return List.of(
        "{\"goAway\":{\"timeLeft\":\"banana\"}}",
        "{\"goAway\":{\"timeLeft\":\"-5s\"}}",
        "{\"goAway\":{\"timeLeft\":\"1e400s\"}}",
        "{\"goAway\":{\"timeLeft\":99999999999999999999}}",
        "{\"goAway\":{\"timeLeft\":null}}",
        "{\"goAway\":null}",
        "{\"goAway\":{}}");
  }

  @Test
  void unreadableFramesAreEachReportedAndTheSessionGoesOn() throws Exception {
    FakeLiveServer server = live.server();
    server.script(s -> s.onAnyText().reply((turn, r) -> r.say("re: " + turn.text())));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = server.sessionBuilder().listener(events).connect()) {
      talk(server, session, events, "warm up");
      List<String> frames = unreadable();
      for (String f : frames) {
        current(server, events).sendRaw(f);
      }
      talk(server, session, events, "after unreadable frames");
      assertThat(events.count(EventType.ERROR)).isEqualTo(frames.size());
      assertThat(session.stats().malformedFrames()).isEqualTo(frames.size());
      assertThat(session.state()).isEqualTo(SessionState.ACTIVE);
      assertThat(events.count(EventType.FAILURE) + events.count(EventType.CLOSED)).isZero();
    }
  }

  @Test
  void oddAndMutatedFramesNeverHangOrKillTheSession() throws Exception {
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    System.out.printf(Locale.ROOT, "frame fuzz: seed=%d (rerun with -Dfuzz.seed=%d)%n", seed, seed);
    Random random = new Random(seed);
    FakeLiveServer server = live.server();
    server.script(s -> s.onAnyText().reply((turn, r) -> r.say("re: " + turn.text())));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = server.sessionBuilder().listener(events).connect()) {
      talk(server, session, events, "warm up");
      List<String> frames = new ArrayList<>(odd());
      frames.addAll(goAways());
      for (int i = 0; i < RANDOM_FRAMES; i++) {
        frames.add(mutate(random));
      }
      int sent = 0;
      int batch = 0;
      for (String f : frames) {
        FakeConnection c = current(server, events);
        c.sendRaw(f);
        if (++sent % BATCH == 0 || f.contains("goAway")) {
          talk(server, session, events, "check " + batch++);
        }
      }
      talk(server, session, events, "final check");
      System.out.printf(
          Locale.ROOT,
          "frame fuzz result: seed=%d frames=%d onError=%d malformed=%d reconnects=%d"
              + " listenerErrors=%d%n",
          seed,
          frames.size(),
          events.count(EventType.ERROR),
          session.stats().malformedFrames(),
          session.stats().reconnects(),
          session.stats().listenerErrors());
      assertThat(session.state()).as("seed %d", seed).isEqualTo(SessionState.ACTIVE);
      assertThat(events.count(EventType.FAILURE) + events.count(EventType.CLOSED)).isZero();
      assertThat(events.count(EventType.ERROR)).as("problems reported").isPositive();
      assertThat(session.stats().listenerErrors()).isZero();
    }
    assertThat(events.awaitEnd(WAIT).type()).isEqualTo(EventType.CLOSED);
  }

  /** One valid frame of a random kind with one value replaced, or damaged as text. */
  private static String mutate(Random random) {
    ObjectNode frame = template(random.nextInt(9));
    List<JsonNode> containers = new ArrayList<>();
    collect(frame, containers);
    JsonNode target = containers.get(random.nextInt(containers.size()));
    JsonNode replacement = oddValue(random);
    if (target instanceof ObjectNode o && o.size() > 0) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      if (random.nextInt(5) == 0) {
        o.set("unknown" + random.nextInt(100), replacement);
      } else {
        o.set(names.get(random.nextInt(names.size())), replacement);
      }
    } else if (target instanceof ArrayNode a && a.size() > 0) {
      a.set(random.nextInt(a.size()), replacement);
    }
    String text = frame.toString();
    switch (random.nextInt(6)) {
      case 0 -> text = text.substring(0, random.nextInt(text.length()));
      case 1 -> {
        int at = random.nextInt(text.length());
        text = text.substring(0, at) + (char) random.nextInt(0x3000) + text.substring(at);
      }
      default -> {}
    }
    return text;
  }

  private static void collect(JsonNode node, List<JsonNode> into) {
    if (node.isContainerNode()) {
      into.add(node);
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        collect(it.next(), into);
      }
    }
  }

  private static JsonNode oddValue(Random random) {
    return switch (random.nextInt(11)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.numberNode(-1);
      case 2 -> NODES.numberNode(Long.MAX_VALUE);
      case 3 -> NODES.numberNode(-1e308);
      case 4 -> NODES.textNode("");
      case 5 -> NODES.textNode("é\u0000\uFFFF" + "y".repeat(random.nextInt(10_000)));
      case 6 -> NODES.arrayNode().add(NODES.nullNode()).add(1);
      case 7 -> NODES.objectNode();
      case 8 -> NODES.booleanNode(random.nextBoolean());
      case 9 -> {
        ObjectNode deep = NODES.objectNode();
        ObjectNode at = deep;
        for (int i = 0; i < 200; i++) {
          at = at.putObject("d");
        }
        yield deep;
      }
      default -> NODES.textNode("!!notbase64");
    };
  }

  private static ObjectNode template(int kind) {
    String json =
        switch (kind) {
          case 0 -> "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"text\":\"hi\"}]}}}";
          case 1 ->
              "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"mimeType\":"
                  + "\"audio/pcm;rate=24000\",\"data\":\"AAAAAA==\"}},{\"text\":\"t\",\"thought\":true}]}}}";
          case 2 -> "{\"serverContent\":{\"outputTranscription\":{\"text\":\"said\"}}}";
          case 3 -> "{\"serverContent\":{\"generationComplete\":true,\"interrupted\":false}}";
          case 4 ->
              "{\"toolCall\":{\"functionCalls\":[{\"id\":\"fc-x\",\"name\":\"nope\","
                  + "\"args\":{\"a\":1}}]}}";
          case 5 -> "{\"toolCallCancellation\":{\"ids\":[\"fc-x\"]}}";
          case 6 ->
              "{\"usageMetadata\":{\"promptTokenCount\":1,\"responseTokenCount\":2,"
                  + "\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":1}]}}";
          case 7 -> "{\"sessionResumptionUpdate\":{\"resumable\":false}}";
          default ->
              "{\"serverContent\":{\"inputTranscription\":{\"text\":\"heard\",\"finished\":true}}}";
        };
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------ helpers

  /**
   * The connection the session talks on: the newest one, once every move the listener has seen
   * begin (attempt 1 of each) has been reported finished. Waits on listener events, never polls.
   */
  private static FakeConnection current(FakeLiveServer server, RecordingLiveListener events) {
    long moves =
        events.<Reconnecting>values(EventType.RECONNECTING).stream()
            .filter(r -> r.attempt() == 1)
            .count();
    if (moves > 0) {
      events.awaitMatching(
          e -> e.type() == EventType.RECONNECTED, (int) moves, WAIT, moves + " move(s) finished");
    }
    List<FakeConnection> cs = server.connections();
    return cs.get(cs.size() - 1);
  }

  /** Sends a text turn and waits for its reply's transcript and a turn end after it. */
  private static void talk(
      FakeLiveServer server,
      ResilientLiveSession session,
      RecordingLiveListener events,
      String text) {
    session.sendText(text);
    String expected = "re: " + text;
    Event reply =
        events.awaitMatching(
            e -> e.type() == EventType.OUTPUT_TRANSCRIPT && expected.equals(e.value()),
            1,
            WAIT,
            "the reply to '" + text + "'");
    // The first turn end after that transcript: count the turn ends before it, wait for one more.
    int endsBefore = 0;
    for (Event e : events.events()) {
      if (e == reply) {
        break;
      }
      if (e.type() == EventType.TURN_COMPLETE) {
        endsBefore++;
      }
    }
    events.awaitMatching(
        e -> e.type() == EventType.TURN_COMPLETE,
        endsBefore + 1,
        WAIT,
        "the end of the reply to '" + text + "' (" + session.stats() + ")");
  }
}
