package dev.geminilive.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.testkit.FakeConnection;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordedMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tool answers the fake server received, by connection, read once from its recorder: the soak's
 * check that every call is answered at most once, on the connection that made it. The fake, like
 * the service, issues a resumable handle only when no call is open, so a conversation resumed on a
 * new connection never has a call of an earlier connection open: an answer sent there, or sent
 * twice, is the library's mistake whatever the history shows.
 *
 * <p>Also what the report of a tool problem shows of each connection: the handle its setup resumed
 * from, the tool turns sent on it and the answers. Immutable once built.
 */
final class WireToolAnswers {
  /** One answer on the wire. */
  private record Answer(String id, String name, String status) {
    @Override
    public String toString() {
      return id + " " + name + (status.isEmpty() ? "" : " " + status);
    }
  }

  private final Map<Integer, List<Answer>> answers = new HashMap<>();
  private final Map<Integer, List<String>> toolTurns = new HashMap<>();
  private final Map<Integer, String> resumedFrom = new HashMap<>();

  private WireToolAnswers() {}

  /** Reads {@code messages} (the recorder's, oldest first). */
  static WireToolAnswers of(List<RecordedMessage> messages) {
    WireToolAnswers w = new WireToolAnswers();
    for (RecordedMessage m : messages) {
      int c = m.connectionIndex();
      if (m.kind() == MessageKind.SETUP) {
        String handle = m.setup().path("sessionResumption").path("handle").asText("");
        w.resumedFrom.put(
            c, handle.isEmpty() ? "new" : handle.substring(0, Math.min(8, handle.length())) + "…");
      } else if (m.kind() == MessageKind.TOOL_RESPONSE) {
        for (JsonNode r : m.functionResponses()) {
          w.answers
              .computeIfAbsent(c, k -> new ArrayList<>())
              .add(
                  new Answer(
                      r.path("id").asText(),
                      r.path("name").asText(),
                      r.path("response").path("status").asText("")));
        }
      } else if (m.kind() == MessageKind.REALTIME_TEXT) {
        String text = m.text();
        if (text != null && (text.startsWith("lookup ") || text.startsWith("hang "))) {
          w.toolTurns.computeIfAbsent(c, k -> new ArrayList<>()).add(text);
        }
      }
    }
    return w;
  }

  /**
   * The calls answered more than once on {@code connections} (one conversation's), and the answers
   * sent on another connection than the one whose call they answer ({@code callMadeOn}: the fake
   * connection each call came on, by id).
   */
  List<String> problems(
      String who, List<FakeConnection> connections, Map<String, Integer> callMadeOn) {
    Map<String, List<Integer>> answeredOn = new LinkedHashMap<>();
    for (FakeConnection c : connections) {
      for (Answer a : answers.getOrDefault(c.index(), List.of())) {
        answeredOn.computeIfAbsent(a.id(), k -> new ArrayList<>()).add(c.index());
      }
    }
    List<String> problems = new ArrayList<>();
    answeredOn.forEach(
        (id, on) -> {
          Integer madeOn = callMadeOn.get(id);
          String made = madeOn == null ? "a call the session never received" : "made on #" + madeOn;
          if (on.size() > 1) {
            problems.add(
                who
                    + ": tool call "
                    + id
                    + " ("
                    + made
                    + ") answered "
                    + on.size()
                    + " times, on "
                    + connectionsNamed(on));
          }
          for (int c : on) {
            if (madeOn == null || madeOn != c) {
              problems.add(
                  who
                      + ": tool call "
                      + id
                      + " ("
                      + made
                      + ") answered on #"
                      + c
                      + ", resumed from "
                      + resumedFrom.getOrDefault(c, "?")
                      + ": a conversation without that call");
            }
          }
        });
    return problems;
  }

  /** Each of {@code connections}: the handle it resumed from, its tool turns and its answers. */
  String describe(List<FakeConnection> connections) {
    StringBuilder sb = new StringBuilder();
    for (FakeConnection c : connections) {
      int i = c.index();
      sb.append("\n        #")
          .append(i)
          .append(" (resumed from ")
          .append(resumedFrom.getOrDefault(i, "?"))
          .append(", client close ")
          .append(c.clientCloseCode().isPresent() ? c.clientCloseCode().getAsInt() : "none")
          .append("): tool turns ")
          .append(toolTurns.getOrDefault(i, List.of()))
          .append(", answers ")
          .append(answers.getOrDefault(i, List.of()));
    }
    return sb.toString();
  }

  private static String connectionsNamed(List<Integer> on) {
    List<String> names = new ArrayList<>();
    on.forEach(c -> names.add("#" + c));
    return String.join(", ", names);
  }
}
