package dev.geminilive.internal;

import dev.geminilive.Turn;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The conversation so far, in words (text turns and transcripts), kept to rebuild a session whose
 * resumption handle was refused. Bounded: the oldest turns go first. Thread-safe.
 */
final class ConversationLog {
  private final int maxTurns;
  private final Deque<Turn> turns = new ArrayDeque<>();
  private final StringBuilder user = new StringBuilder();
  private final StringBuilder model = new StringBuilder();

  ConversationLog(List<Turn> seed, int maxTurns) {
    this.maxTurns = maxTurns;
    seed.forEach(this::add);
  }

  synchronized void userText(String text) {
    flushModel();
    append(user, text);
  }

  synchronized void modelText(String text) {
    flushUser();
    append(model, text);
  }

  synchronized void endOfModelTurn() {
    flushUser();
    flushModel();
  }

  synchronized boolean isEmpty() {
    return turns.isEmpty() && user.length() == 0 && model.length() == 0;
  }

  synchronized List<Turn> snapshot() {
    List<Turn> all = new ArrayList<>(turns);
    if (user.length() > 0) {
      all.add(Turn.user(user.toString()));
    }
    if (model.length() > 0) {
      all.add(Turn.model(model.toString()));
    }
    return all;
  }

  private static void append(StringBuilder sb, String text) {
    if (sb.length() > 0 && !text.startsWith(" ") && sb.charAt(sb.length() - 1) != ' ') {
      sb.append(' ');
    }
    sb.append(text.strip().isEmpty() ? "" : text);
  }

  private void flushUser() {
    if (user.length() > 0) {
      add(Turn.user(user.toString().strip()));
      user.setLength(0);
    }
  }

  private void flushModel() {
    if (model.length() > 0) {
      add(Turn.model(model.toString().strip()));
      model.setLength(0);
    }
  }

  private void add(Turn t) {
    turns.addLast(t);
    while (turns.size() > maxTurns) {
      turns.removeFirst();
    }
  }
}
