package dev.geminilive.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The messages the {@link OutboundQueue} keeps, in index order: the replay copies of what a
 * connection took and no handle covers yet ({@code unconfirmed}), and what waits for a connection
 * ({@code pending}), with their size in bytes and its bound. Past the bound, and past the replay
 * window, the oldest audio and video go; text, activity signals and tool responses stay.
 *
 * <p>Not thread-safe: only the {@link OutboundQueue} uses it, under its lock.
 */
final class OutboundBacklog {
  private final long maxBytes;
  private final long replayWindowNanos;
  private final ArrayDeque<Outgoing> unconfirmed = new ArrayDeque<>();
  private final ArrayDeque<Outgoing> pending = new ArrayDeque<>();
  private long bufferedBytes;

  OutboundBacklog(long maxBytes, long replayWindowNanos) {
    this.maxBytes = maxBytes;
    this.replayWindowNanos = replayWindowNanos;
  }

  /** Keeps a copy of {@code o}, handed to a socket, for replay. */
  void keep(Outgoing o) {
    unconfirmed.addLast(o);
    bufferedBytes += o.bytes();
  }

  /** Makes {@code o} wait for the next connection. */
  void queue(Outgoing o) {
    pending.addLast(o);
    bufferedBytes += o.bytes();
  }

  /** Whether no message waits for a connection. */
  boolean nothingWaiting() {
    return pending.isEmpty();
  }

  /** The replay copies, oldest first; a view. */
  Collection<Outgoing> unconfirmed() {
    return Collections.unmodifiableCollection(unconfirmed);
  }

  /** The messages waiting for a connection, oldest first; a view. */
  Collection<Outgoing> pending() {
    return Collections.unmodifiableCollection(pending);
  }

  /** Forgets the replay copies of the messages up to {@code index}: a handle covers them. */
  void coverThrough(long index) {
    while (!unconfirmed.isEmpty() && unconfirmed.peekFirst().index <= index) {
      bufferedBytes -= unconfirmed.removeFirst().bytes();
    }
  }

  /** Forgets the replay copy of {@code o}, if one is kept. */
  void cover(Outgoing o) {
    if (unconfirmed.removeFirstOccurrence(o)) {
      bufferedBytes -= o.bytes();
    }
  }

  /** Forgets every message, kept or waiting. */
  void clear() {
    unconfirmed.clear();
    pending.clear();
    bufferedBytes = 0;
  }

  /** Messages kept or waiting. */
  int size() {
    return unconfirmed.size() + pending.size();
  }

  /** Audio and video too old to be worth replaying leave the replay buffer. */
  void trim(long now) {
    long limit = now - replayWindowNanos;
    Outgoing oldest = unconfirmed.peekFirst();
    if (oldest == null || oldest.createdNanos - limit >= 0) {
      return; // nothing is past the window: the common case, without an iterator
    }
    // At a steady pace each message sent ages one out: the oldest media go from the front, still
    // without an iterator.
    while (oldest != null && oldest.isMedia() && oldest.createdNanos - limit < 0) {
      bufferedBytes -= unconfirmed.removeFirst().bytes();
      oldest = unconfirmed.peekFirst();
    }
    if (oldest == null || oldest.createdNanos - limit >= 0) {
      return;
    }
    // Text, signals or answers past the window stay (they are replayed): the media behind them go.
    for (Iterator<Outgoing> it = unconfirmed.iterator(); it.hasNext(); ) {
      Outgoing o = it.next();
      if (o.createdNanos - limit >= 0) {
        break;
      }
      if (o.isMedia()) {
        it.remove();
        bufferedBytes -= o.bytes();
      }
    }
  }

  /**
   * Drops the oldest media past the bound: replay copies first, then waiting messages.
   *
   * @return the waiting messages dropped, oldest first
   */
  List<Outgoing> bound() {
    if (bufferedBytes <= maxBytes) {
      return List.of();
    }
    // The common case, a full replay buffer of media: its oldest copies go, without an iterator.
    while (bufferedBytes > maxBytes
        && !unconfirmed.isEmpty()
        && unconfirmed.peekFirst().isMedia()) {
      bufferedBytes -= unconfirmed.removeFirst().bytes();
    }
    for (Iterator<Outgoing> it = unconfirmed.iterator();
        it.hasNext() && bufferedBytes > maxBytes; ) {
      Outgoing o = it.next();
      if (o.isMedia()) {
        it.remove();
        bufferedBytes -= o.bytes();
      }
    }
    List<Outgoing> dropped = new ArrayList<>();
    for (Iterator<Outgoing> it = pending.iterator(); it.hasNext() && bufferedBytes > maxBytes; ) {
      Outgoing o = it.next();
      if (o.isMedia()) {
        it.remove();
        bufferedBytes -= o.bytes();
        dropped.add(o);
      }
    }
    return dropped;
  }
}
