package dev.geminilive.it.reliability;

import dev.geminilive.testkit.HistoryEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reliability tests' check of the tool calls and answers in a fake conversation: every tool
 * response answers a call of its tool that is open (made and not yet answered).
 *
 * <p>Calls may overlap. On gemini-3.8 a call is NON_BLOCKING: a new user turn interrupts the model
 * but not the call, which goes on running and is answered when its tool finishes, after the calls
 * of later turns if those finish first. A resume that replays two tool turns in one burst does
 * exactly that ({@link ReplayedToolTurnsTest}). So the check counts the open calls of each tool
 * rather than expecting each answer right after its call. The history does not carry call ids; that
 * no call is answered twice on the wire is checked from the recorder, by id.
 */
final class ToolHistoryCheck {
  private ToolHistoryCheck() {}

  /**
   * A tool response that answers no open call: entry {@code index} of a history of {@code size}.
   */
  record Stray(int index, int size, String text) {
    @Override
    public String toString() {
      return "entry " + index + " of " + size + ": " + text;
    }
  }

  /**
   * The tool responses in {@code history} that answer no open call of their tool, oldest first;
   * empty when every response answers an open call.
   */
  static List<Stray> responsesWithoutOpenCall(List<HistoryEntry> history) {
    List<Stray> problems = new ArrayList<>();
    Map<String, Integer> open = new HashMap<>();
    for (int i = 0; i < history.size(); i++) {
      HistoryEntry h = history.get(i);
      if (!h.role().equals("tool")) {
        continue;
      }
      String text = h.text();
      int arrow = text.indexOf(" -> ");
      if (arrow < 0) {
        open.merge(text.substring(0, Math.max(0, text.indexOf('{'))), 1, Integer::sum);
      } else if (open.getOrDefault(text.substring(0, arrow), 0) > 0) {
        open.merge(text.substring(0, arrow), -1, Integer::sum);
      } else {
        problems.add(new Stray(i, history.size(), text));
      }
    }
    return problems;
  }

  /**
   * How many tool responses in {@code history} do not follow their own call directly (another call,
   * or another response, came between): the calls that overlapped. Counted by the soak, so that its
   * runs say how often the interleaving happens.
   */
  static int overlapping(List<HistoryEntry> history) {
    int overlapping = 0;
    String open = null;
    for (HistoryEntry h : history) {
      if (!h.role().equals("tool")) {
        continue;
      }
      String text = h.text();
      int arrow = text.indexOf(" -> ");
      if (arrow < 0) {
        open = open == null ? text.substring(0, Math.max(0, text.indexOf('{'))) : "";
      } else {
        if (!text.substring(0, arrow).equals(open)) {
          overlapping++;
        }
        open = null;
      }
    }
    return overlapping;
  }
}
