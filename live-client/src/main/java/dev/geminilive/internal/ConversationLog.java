package dev.geminilive.internal;

import dev.geminilive.Turn;
import java.util.ArrayList;
import java.util.List;

/**
 * The conversation so far, in words (text turns and transcripts), kept to rebuild a session whose
 * resumption handle was refused. Bounded: the oldest turns go first. Thread-safe (its own lock):
 * senders log what they send, the session's queue what the service says.
 *
 * <p>Every fragment has a sequence number, in the order the client sent things: so that a rebuild
 * seeds only what came before the first message it replays (a turn both seeded and replayed would
 * reach the model twice), and so that speech is logged where it was spoken. Audio gets a position
 * when the user's speech begins ({@link #speech()}); its transcript arrives later, often after text
 * sent meanwhile, and is logged at the speech's position, not at its arrival. When a session
 * resumes or is rebuilt, what the service said after that point is forgotten (the service's state
 * no longer has it, and its answer to the replayed input is logged again); what was sent is kept.
 *
 * <p>Fragments group into turns: consecutive fragments of one role between two ends of a model turn
 * are one turn.
 */
final class ConversationLog {
  private record Fragment(long seq, Turn.Role role, long turn, String text, boolean fromService) {}

  private final int maxTurns;
  // Guarded by this: sorted by seq; fragments of equal seq in the order they were logged.
  private final List<Fragment> fragments = new ArrayList<>();
  private long nextSeq;
  // Counts the ends of model turns: fragments of one role and one count are one turn.
  private long turn;
  // Where the user's current speech is logged, the turn it belongs to, or -1 for none yet.
  private long speechSeq = -1;
  private long speechTurn;
  private long lastModelSeq = -1;

  ConversationLog(List<Turn> seed, int maxTurns) {
    this.maxTurns = maxTurns;
    for (Turn t : seed) {
      add(nextSeq++, t.role(), t.text(), false);
      turn++;
    }
  }

  /** Logs words the application sent for the user; returns the fragment's sequence number. */
  synchronized long userText(String text) {
    long seq = nextSeq++;
    add(seq, Turn.Role.USER, text, false);
    return seq;
  }

  /** Logs turns the application sent as history. */
  synchronized void sentTurn(Turn t) {
    add(nextSeq++, t.role(), t.text(), false);
  }

  /**
   * The position of the speech an audio chunk (or activity signal) belongs to: a new one when the
   * model has said something since the last.
   */
  synchronized long speech() {
    if (speechSeq < 0 || lastModelSeq > speechSeq) {
      speechSeq = nextSeq++;
      speechTurn = turn;
    }
    return speechSeq;
  }

  /** Logs the service's transcript of the user's speech, at the speech's position. */
  synchronized void heardText(String text) {
    if (speechSeq < 0) {
      add(nextSeq++, Turn.Role.USER, text, true);
    } else {
      insert(new Fragment(speechSeq, Turn.Role.USER, speechTurn, text, true));
    }
  }

  /** Logs model words; returns the fragment's sequence number. */
  synchronized long modelText(String text) {
    long seq = nextSeq++;
    lastModelSeq = seq;
    add(seq, Turn.Role.MODEL, text, true);
    return seq;
  }

  /** The model's turn ended. */
  synchronized void endOfModelTurn() {
    turn++;
    trim();
  }

  /** Forgets what the service said from fragment {@code seq} on; keeps what was sent. */
  synchronized void forgetServiceWordsFrom(long seq) {
    fragments.removeIf(f -> f.fromService() && f.seq() >= seq);
    turn++;
  }

  /**
   * Forgets the service's transcripts of the user's speech from fragment {@code seq} on: that
   * speech is replayed, and the service transcribes it again.
   */
  synchronized void forgetHeardFrom(long seq) {
    fragments.removeIf(f -> f.fromService() && f.role() == Turn.Role.USER && f.seq() >= seq);
  }

  /** The sequence number the next fragment will get. */
  synchronized long nextSeq() {
    return nextSeq;
  }

  synchronized boolean isEmpty() {
    for (Fragment f : fragments) {
      if (!f.text().isBlank()) {
        return false;
      }
    }
    return true;
  }

  synchronized List<Turn> snapshot() {
    return snapshot(Long.MAX_VALUE);
  }

  /** The conversation as it was before fragment {@code beforeSeq}. */
  synchronized List<Turn> snapshot(long beforeSeq) {
    List<Turn> turns = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    Fragment first = null;
    for (Fragment f : fragments) {
      if (f.seq() >= beforeSeq) {
        break;
      }
      if (first != null && (f.role() != first.role() || f.turn() != first.turn())) {
        flush(turns, first.role(), text);
        first = null;
      }
      if (first == null) {
        first = f;
      }
      append(text, f.text());
    }
    if (first != null) {
      flush(turns, first.role(), text);
    }
    return turns;
  }

  private void add(long seq, Turn.Role role, String text, boolean fromService) {
    fragments.add(new Fragment(seq, role, turn, text, fromService));
  }

  private void insert(Fragment f) {
    int i = fragments.size();
    while (i > 0 && fragments.get(i - 1).seq() > f.seq()) {
      i--;
    }
    fragments.add(i, f);
  }

  /** Drops the oldest fragments while the log holds more than {@code maxTurns} turns. */
  private void trim() {
    int turns = 0;
    Fragment previous = null;
    for (Fragment f : fragments) {
      if (previous == null || f.role() != previous.role() || f.turn() != previous.turn()) {
        turns++;
      }
      previous = f;
    }
    while (turns > maxTurns && !fragments.isEmpty()) {
      Fragment head = fragments.get(0);
      while (!fragments.isEmpty()
          && fragments.get(0).role() == head.role()
          && fragments.get(0).turn() == head.turn()) {
        fragments.remove(0);
      }
      turns--;
    }
  }

  private static void flush(List<Turn> turns, Turn.Role role, StringBuilder text) {
    String t = text.toString().strip();
    if (!t.isEmpty()) {
      turns.add(new Turn(role, t));
    }
    text.setLength(0);
  }

  private static void append(StringBuilder sb, String text) {
    if (text.strip().isEmpty()) {
      return;
    }
    if (sb.length() > 0 && !text.startsWith(" ") && sb.charAt(sb.length() - 1) != ' ') {
      sb.append(' ');
    }
    sb.append(text);
  }
}
