package dev.geminilive.internal;

import java.util.ArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Transparent resumption's view of one connection: what it took, by position (0-based, counted per
 * connection, as the service's {@code lastConsumedClientMessageIndex} is), so that a consumed index
 * names exactly the messages a handle holds. Frames outside the session's index (seeded history)
 * take a position with no message.
 *
 * <p>Not thread-safe: guarded by the {@link OutboundQueue}'s lock.
 */
final class ConsumedPositions {
  private final ArrayList<@Nullable Outgoing> taken = new ArrayList<>();
  private int confirmed;

  /** The connection took {@code o} (null for a frame outside the index). */
  void add(@Nullable Outgoing o) {
    taken.add(o);
  }

  /**
   * The service holds everything up to position {@code consumed}: passes each message newly covered
   * to {@code covered} and returns the session index of the newest, or -1.
   */
  long consumedThrough(long consumed, Consumer<Outgoing> covered) {
    long newest = -1;
    long last = Math.min(consumed, taken.size() - 1L);
    for (int i = confirmed; i <= last; i++) {
      Outgoing o = taken.get(i);
      taken.set(i, null);
      if (o != null) {
        newest = Math.max(newest, o.index);
        covered.accept(o);
      }
    }
    confirmed = (int) Math.max(confirmed, last + 1);
    return newest;
  }

  /** A new connection: positions count from 0 again. */
  void clear() {
    taken.clear();
    confirmed = 0;
  }
}
