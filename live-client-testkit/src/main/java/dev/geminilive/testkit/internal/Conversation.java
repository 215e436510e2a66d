package dev.geminilive.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminilive.testkit.HistoryEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one fake session's conversation holds: its history (user, model and tool entries, oldest
 * first), how many model turns ended, and how much input audio it heard, from which its usage
 * figures are counted. {@link TurnTaking} decides who speaks when; this is what that leaves. A
 * resume cuts the history back to what the handle covered.
 *
 * <p>Guarded by the session's lock, as {@link TurnTaking} is. Not thread-safe by itself.
 */
final class Conversation {
  private final List<HistoryEntry> history = new ArrayList<>();
  private int turns;
  private long audioInputMillis;

  /** A snapshot of the history, oldest first. */
  List<HistoryEntry> snapshot() {
    return List.copyOf(history);
  }

  int size() {
    return history.size();
  }

  /** How many model turns ended (interrupted ones included). */
  int turnCount() {
    return turns;
  }

  /** Cuts the history back to its first {@code size} entries (negative: kept whole). */
  void cutTo(int size) {
    if (size >= 0 && size < history.size()) {
      history.subList(size, history.size()).clear();
    }
  }

  void add(String role, String text) {
    history.add(new HistoryEntry(role, text));
  }

  /**
   * Adds the turns of a {@code clientContent} message, each with its role ({@code user} if none);
   * returns the text of the last user turn among them, or an empty string.
   */
  String addContent(JsonNode content) {
    String lastUserText = "";
    for (JsonNode turn : content.path("turns")) {
      StringBuilder sb = new StringBuilder();
      turn.path("parts").forEach(p -> sb.append(p.path("text").asText("")));
      String role = turn.path("role").asText("user");
      add(role, sb.toString());
      if (role.equals("user")) {
        lastUserText = sb.toString();
      }
    }
    return lastUserText;
  }

  /** The user's audio of a turn, counted in the usage figures. */
  void heard(Duration audio) {
    audioInputMillis += audio.toMillis();
  }

  /**
   * What {@code g} said, as a model entry with {@code suffix} ("[interrupted]"...), if anything.
   */
  void addModel(Generation g, String suffix) {
    String said = g.transcript.length() > 0 ? g.transcript.toString() : g.text.toString();
    if (!said.isEmpty() || !suffix.isEmpty()) {
      add("model", said + suffix);
    }
  }

  /** A model turn ended. */
  void turnEnded() {
    turns++;
  }

  /** The usage figures of a message now, as {@code behaviour}'s model reports them. */
  ObjectNode usage(int prompt, int response, ModelBehaviour behaviour) {
    return TurnMessages.usage(prompt, response, history, audioInputMillis, behaviour);
  }
}
