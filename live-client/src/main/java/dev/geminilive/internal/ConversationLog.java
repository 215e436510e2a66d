package dev.geminilive.internal;

import dev.geminilive.Turn;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The conversation so far, in words (text turns and transcripts), kept to rebuild a session whose
 * resumption handle was refused. Bounded: the oldest turns go first. Thread-safe.
 *
 * <p>Every fragment gets a sequence number, so that a rebuild can seed only what came before the
 * first message it is about to replay: a turn both seeded and replayed would reach the model twice.
 * When a session resumes or is rebuilt, what the service said after that point is forgotten (the
 * service's state no longer has it, and its answer to the replayed input will be logged again);
 * what the application sent is kept.
 */
final class ConversationLog {
  private record Fragment(long seq, String text, boolean fromService) {}

  private static final class Entry {
    final Turn.Role role;
    final List<Fragment> fragments = new ArrayList<>();

    Entry(Turn.Role role) {
      this.role = role;
    }
  }

  private final int maxTurns;
  // Closed turns, then at most one open turn (the newest).
  private final Deque<Entry> turns = new ArrayDeque<>();
  private boolean lastOpen;
  private long nextSeq;

  ConversationLog(List<Turn> seed, int maxTurns) {
    this.maxTurns = maxTurns;
    for (Turn t : seed) {
      add(t.role(), t.text(), false);
      close();
    }
  }

  /** Logs words the application sent for the user; returns the fragment's sequence number. */
  synchronized long userText(String text) {
    return add(Turn.Role.USER, text, false);
  }

  /** Logs turns the application sent as history. */
  synchronized void sentTurn(Turn turn) {
    add(turn.role(), turn.text(), false);
  }

  /** Logs the service's transcript of the user's speech. */
  synchronized long heardText(String text) {
    return add(Turn.Role.USER, text, true);
  }

  /** Logs model words; returns the fragment's sequence number. */
  synchronized long modelText(String text) {
    return add(Turn.Role.MODEL, text, true);
  }

  /** Forgets what the service said from fragment {@code seq} on; keeps what was sent. */
  synchronized void forgetServiceWordsFrom(long seq) {
    close();
    for (var it = turns.iterator(); it.hasNext(); ) {
      Entry e = it.next();
      e.fragments.removeIf(f -> f.fromService() && f.seq() >= seq);
      if (render(e, Long.MAX_VALUE).isEmpty()) {
        it.remove();
      }
    }
  }

  synchronized void endOfModelTurn() {
    close();
  }

  /** The sequence number the next fragment will get. */
  synchronized long nextSeq() {
    return nextSeq;
  }

  synchronized boolean isEmpty() {
    for (Entry e : turns) {
      if (!render(e, Long.MAX_VALUE).isEmpty()) {
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
    List<Turn> all = new ArrayList<>();
    for (Entry e : turns) {
      String text = render(e, beforeSeq);
      if (!text.isEmpty()) {
        all.add(new Turn(e.role, text));
      }
    }
    return all;
  }

  private long add(Turn.Role role, String text, boolean fromService) {
    Entry last = turns.peekLast();
    if (last == null || !lastOpen || last.role != role) {
      close();
      last = new Entry(role);
      turns.addLast(last);
      lastOpen = true;
    }
    long seq = nextSeq++;
    last.fragments.add(new Fragment(seq, text, fromService));
    return seq;
  }

  private void close() {
    if (!lastOpen) {
      return;
    }
    lastOpen = false;
    Entry last = turns.peekLast();
    if (last != null && render(last, Long.MAX_VALUE).isEmpty()) {
      turns.removeLast();
    }
    while (turns.size() > maxTurns) {
      turns.removeFirst();
    }
  }

  private static String render(Entry e, long beforeSeq) {
    StringBuilder sb = new StringBuilder();
    for (Fragment f : e.fragments) {
      if (f.seq() >= beforeSeq) {
        break;
      }
      String text = f.text();
      if (sb.length() > 0 && !text.startsWith(" ") && sb.charAt(sb.length() - 1) != ' ') {
        sb.append(' ');
      }
      sb.append(text.strip().isEmpty() ? "" : text);
    }
    return sb.toString().strip();
  }
}
