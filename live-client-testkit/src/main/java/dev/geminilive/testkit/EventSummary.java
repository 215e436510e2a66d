package dev.geminilive.testkit;

import dev.geminilive.TurnComplete;
import dev.geminilive.testkit.RecordingLiveListener.Event;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes recorded events for a failure message: runs of one type once with a count ({@code AUDIO
 * ×23}), values shortened, only the latest runs. Stateless.
 */
final class EventSummary {
  /** How many runs of events a failure message shows at most (the latest). */
  static final int RUNS = 40;

  private EventSummary() {}

  /** The events as runs, at most {@code maxRuns} of them (the latest). */
  static String of(List<Event> list, int maxRuns) {
    List<String> runs = new ArrayList<>();
    int i = 0;
    while (i < list.size()) {
      EventType type = list.get(i).type();
      int end = i;
      while (end < list.size() && list.get(end).type() == type) {
        end++;
      }
      StringBuilder run = new StringBuilder(type.name());
      int count = end - i;
      if (count > 1) {
        run.append(" ×").append(count);
      }
      if (type != EventType.AUDIO) {
        List<String> values = new ArrayList<>();
        for (int k = i; k < end && k < i + 3; k++) {
          Object v = list.get(k).value();
          if (v != null && !TurnComplete.NORMAL.equals(v)) {
            values.add(shorten(String.valueOf(v)));
          }
        }
        if (!values.isEmpty()) {
          run.append('(').append(String.join(", ", values)).append(count > 3 ? ", …)" : ")");
        }
      }
      runs.add(run.toString());
      i = end;
    }
    if (runs.size() <= maxRuns) {
      return "[" + String.join(", ", runs) + "]";
    }
    int hidden = runs.size() - maxRuns;
    return "[… "
        + hidden
        + " earlier run"
        + (hidden == 1 ? "" : "s")
        + ", "
        + String.join(", ", runs.subList(hidden, runs.size()))
        + "]";
  }

  static String shorten(String v) {
    return v.length() > 80 ? v.substring(0, 80) + "…" : v;
  }
}
