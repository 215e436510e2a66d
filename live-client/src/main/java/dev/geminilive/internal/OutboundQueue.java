package dev.geminilive.internal;

import dev.geminilive.LiveException;
import dev.geminilive.LiveSessionClosedException;
import dev.geminilive.SessionState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.jspecify.annotations.Nullable;

/**
 * The session's outbound side: every client message gets its index here and goes to the socket in
 * that order; what a connection took is kept until a resumption handle is known to cover it, and
 * what arrives between connections waits here; both are replayed, in order, on the next connection.
 * Bounded by {@code maxQueuedBytes}: past it the oldest audio and video go first, never text,
 * activity signals or tool responses.
 *
 * <p>It also holds the session's state as senders see it (whether a send goes to a socket, waits,
 * or fails because the session ended), so that the decision and the send are one step.
 *
 * <p>Thread-safe: the methods that change it take {@link #lock}, held for the bookkeeping and the
 * hand-over to the socket, so that messages reach the socket in index order; futures are completed
 * after it is released. Callers never hold another lock of the session while they call in, except
 * the conversation log's, which is taken inside. The reads made for every frame received ({@link
 * #marks()}, {@link #isTerminal()}, {@link #state()}) take no lock: a sender holds it across {@link
 * Connection#send}, which on {@code Transport.JDK} is the JDK's own {@code sendText}, the costliest
 * step of a send, and a socket thread that waited there for a preempted sender stalled every
 * session served by that thread.
 *
 * <p><b>The marks without the lock.</b> A frame's {@link Marks} say which messages the service may
 * have seen when it sent the frame. Two rules keep exactly-once across resumes:
 *
 * <ul>
 *   <li>They never under-count: a reply can arrive while the sender that caused it is still inside
 *       {@code Connection.send} or before its bookkeeping. So the counters the marks read ({@code
 *       sendStarted}, {@code requestSendStarted}) are raised, under the lock and with a volatile
 *       write, before a message is handed to the socket: a reply read after the message's bytes
 *       left reads a value that counts it (the volatile write precedes the send in the sender's
 *       program order, the read follows the reply's arrival in the socket thread's).
 *   <li>They never over-count what a handle covers: a hand-over the socket refuses ({@code send}
 *       returns false, the connection is going) leaves the message waiting for the next connection,
 *       although it was counted as started. Only the refusal case differs from what the lock gave
 *       (the marks then waited for the sender and counted a message once it was handed over), and
 *       it is resolved where a handle's coverage is decided, on the session's queue: {@link
 *       #coverThrough} takes the lock, so no hand-over is in flight, and covers nothing past {@code
 *       lastSent}, the newest message a connection took.
 * </ul>
 */
final class OutboundQueue {
  /** Audio is dropped (counted) rather than queued beyond this many bytes in a socket's queue. */
  static final long SOCKET_QUEUE_LIMIT_BYTES = 4L * 1024 * 1024;

  /** The send counters at one moment, taken when a frame arrives (see {@link #marks()}). */
  record Marks(long sent, long sentRequest) {}

  /** What went wrong with an enqueue: the messages dropped, and whether the socket was too full. */
  record Dropped(List<Outgoing> messages, boolean bySocket) {}

  /** What {@link #install} did. */
  record Installed(int replayed, List<Outgoing> sent, List<Outgoing> dropped) {}

  private final Object lock = new Object();
  private final boolean keepForReplay;
  private final boolean trackPositions;
  private final long replayWindowNanos;
  private final AtomicLong messagesSent = new AtomicLong();
  private final AtomicLong messagesReplayed = new AtomicLong();

  // Written under lock; read without it (volatile) by the checks made for every frame.
  private volatile SessionState state = SessionState.CONNECTING;
  // Guarded by lock.
  private @Nullable LiveException failure;
  // The connection sends go to; null between connections.
  private @Nullable Connection target;
  private long nextIndex;
  // What a connection took and no handle covers yet, and what waits for a connection.
  private final OutboundBacklog backlog;
  // Tool calls a resumed service never saw: their answers are dropped, not sent.
  private final Set<String> staleToolCalls = new HashSet<>();
  // What the current connection took, for transparent resumption's consumed index.
  private final ConsumedPositions positions = new ConsumedPositions();
  // Never less than the bytes waiting in the target's send queue: the size last read plus what was
  // handed over since. Reading the size takes the socket's lock, which its writer contends for.
  private long socketQueuedAtMost;
  // The newest message a connection took.
  private long lastSent = -1;
  // Raised under lock before a message is handed to a socket; read without it by marks(). Never
  // less than what a connection took; more only while a hand-over is in flight, or after one was
  // refused (see the class comment).
  private volatile long sendStarted = -1;
  private volatile long requestSendStarted = -1;
  // The newest message that asks for a reply, sent or waiting; volatile for lock-free reads.
  private volatile long lastRequest = -1;

  OutboundQueue(
      boolean keepForReplay, boolean trackPositions, long maxBytes, long replayWindowNanos) {
    this.keepForReplay = keepForReplay;
    this.trackPositions = trackPositions;
    this.replayWindowNanos = replayWindowNanos;
    this.backlog = new OutboundBacklog(maxBytes, replayWindowNanos);
  }

  /**
   * Indexes {@code o} and hands it to the connection, or keeps it for the next one; completes its
   * future when it is handed over, fails it when the session has ended.
   *
   * @param now the clock's time, for the replay window
   * @return what was dropped to stay within the bounds, or null
   */
  @Nullable Dropped enqueue(Outgoing o, long now) {
    Dropped dropped = null;
    boolean sent = false;
    boolean stale = false;
    LiveException closed = null;
    synchronized (lock) {
      if (state.isTerminal()) {
        closed = closedExceptionLocked();
      } else if (o.kind == Outgoing.Kind.TOOL_RESPONSE
          && !o.toolCallIds.isEmpty()
          && staleToolCalls.containsAll(o.toolCallIds)) {
        staleToolCalls.removeAll(o.toolCallIds);
        stale = true;
      } else {
        o.index = nextIndex++;
        if (o.asksReply) {
          lastRequest = o.index;
        }
        Connection c = target;
        if (c != null && backlog.nothingWaiting()) {
          if (o.kind == Outgoing.Kind.AUDIO && socketFullLocked(c)) {
            dropped = new Dropped(List.of(o), true);
          } else if (startingLocked(o) && c.send(o.json)) {
            handedOverLocked(o);
            sentLocked(o);
            messagesSent.incrementAndGet();
            sent = true;
          } else {
            backlog.queue(o);
          }
        } else {
          backlog.queue(o);
        }
        backlog.trim(now);
        List<Outgoing> overflow = backlog.bound();
        if (!overflow.isEmpty()) {
          List<Outgoing> all = new ArrayList<>();
          if (dropped != null) {
            all.addAll(dropped.messages());
          }
          all.addAll(overflow);
          dropped = new Dropped(all, false);
        }
      }
    }
    if (closed != null) {
      o.future.completeExceptionally(closed);
    } else if (sent || stale) {
      o.future.complete(null);
    }
    return dropped;
  }

  /**
   * The send counters now, without the lock: a frame's marks say what the service may have seen
   * when it sent the frame, counting a message whose hand-over is in flight (see the class
   * comment).
   */
  Marks marks() {
    // The request counter first: it is raised after the other, so the marks never hold a request
    // newer than the newest message.
    long request = requestSendStarted;
    return new Marks(sendStarted, request);
  }

  /** The index of the newest message that asks for a reply, sent or waiting; -1 for none. */
  long lastRequest() {
    return lastRequest;
  }

  /**
   * Forgets the replay copies of the messages up to {@code index}, or up to the newest message a
   * connection took if that is older: a handle covers them.
   *
   * @return what the handle covers: {@code index}, or less when marks counted a hand-over that the
   *     socket refused (the message waits for the next connection and no handle may cover it)
   */
  long coverThrough(long index) {
    synchronized (lock) {
      long covered = Math.min(index, lastSent);
      backlog.coverThrough(covered);
      return covered;
    }
  }

  /**
   * Transparent resumption: forgets the messages up to position {@code consumed} (0-based, counted
   * on the current connection) and returns the session index of the newest one, or -1.
   */
  long coverPositions(long consumed) {
    synchronized (lock) {
      return positions.consumedThrough(consumed, backlog::cover);
    }
  }

  /**
   * Makes {@code c} the connection sends go to, after sending it, in order: the seed (the frame
   * {@code seed} returns for the log position of the first message replayed, if any), the messages
   * no handle covers, then what waited. Stale media and answers to stale tool calls are left out.
   *
   * @param now the clock's time, for the replay window
   * @return what was sent, or null when the session has ended (the caller closes {@code c})
   */
  @Nullable Installed install(Connection c, long now, LongFunction<@Nullable String> seed) {
    List<Outgoing> replay = new ArrayList<>();
    List<Outgoing> dropped = new ArrayList<>();
    List<Outgoing> sentNew = new ArrayList<>();
    int replayed = 0;
    synchronized (lock) {
      if (state.isTerminal()) {
        return null;
      }
      long limit = now - replayWindowNanos;
      for (Outgoing o : backlog.unconfirmed()) {
        if (isStaleAnswerLocked(o)) {
          // Sent before the service lost the call: its mark has served.
          staleToolCalls.removeAll(o.toolCallIds);
          continue;
        }
        if (o.isMedia() && o.createdNanos - limit < 0) {
          continue;
        }
        replay.add(o);
      }
      int fromBefore = replay.size();
      for (Outgoing o : backlog.pending()) {
        if (isStaleAnswerLocked(o)) {
          staleToolCalls.removeAll(o.toolCallIds);
          dropped.add(o);
        } else {
          replay.add(o);
        }
      }
      long firstLogSeq = Long.MAX_VALUE;
      for (Outgoing o : replay) {
        firstLogSeq = Math.min(firstLogSeq, o.logSeq);
      }
      backlog.clear();
      positions.clear();
      target = c;
      state = SessionState.ACTIVE;
      socketQueuedAtMost = c.queueSize();
      String seedFrame = seed.apply(firstLogSeq);
      if (seedFrame != null && c.send(seedFrame)) {
        socketQueuedAtMost += 3L * seedFrame.length();
        if (trackPositions) {
          positions.add(null);
        }
      }
      boolean alive = true;
      for (int i = 0; i < replay.size(); i++) {
        Outgoing o = replay.get(i);
        if (alive && startingLocked(o) && c.send(o.json)) {
          handedOverLocked(o);
          sentLocked(o);
          if (i < fromBefore) {
            replayed++;
          } else {
            sentNew.add(o);
          }
        } else {
          alive = false;
          backlog.queue(o);
        }
      }
    }
    messagesReplayed.addAndGet(replayed);
    messagesSent.addAndGet(sentNew.size());
    for (Outgoing o : sentNew) {
      o.future.complete(null);
    }
    for (Outgoing o : dropped) {
      o.future.complete(null);
    }
    return new Installed(replayed, List.copyOf(sentNew), List.copyOf(dropped));
  }

  /** Sends wait from now on (the connection ended or is being left); returns the one left. */
  @Nullable Connection detach() {
    synchronized (lock) {
      Connection c = target;
      target = null;
      if (!state.isTerminal()) {
        state = SessionState.RESUMING;
      }
      return c;
    }
  }

  /**
   * Ends the outbound side: later sends fail, waiting messages fail, replay copies are dropped.
   *
   * @return the connection sends went to (the caller closes it), or null; null too, and nothing
   *     done, when the session had ended already
   */
  @Nullable Ending close(@Nullable LiveException cause) {
    List<Outgoing> waiting;
    Connection c;
    synchronized (lock) {
      if (state.isTerminal()) {
        return null;
      }
      state = cause == null ? SessionState.CLOSED : SessionState.FAILED;
      failure = cause;
      c = target;
      target = null;
      waiting = new ArrayList<>(backlog.pending());
      backlog.clear();
      positions.clear();
    }
    LiveException closed = cause != null ? cause : closedException();
    for (Outgoing o : waiting) {
      o.future.completeExceptionally(closed);
    }
    return new Ending(c);
  }

  /** What {@link #close} left to the caller. */
  record Ending(@Nullable Connection connection) {}

  /** Marks tool calls a resumed service never saw: their answers will be dropped. */
  void markStale(Collection<String> ids) {
    synchronized (lock) {
      staleToolCalls.addAll(ids);
    }
  }

  /** Keeps the stale marks only of the calls whose answers may still come (cancelled ones too). */
  void retainStale(Collection<String> answersMayCome) {
    synchronized (lock) {
      staleToolCalls.retainAll(answersMayCome);
    }
  }

  /** The state as senders see it. */
  SessionState state() {
    return state;
  }

  /** The failure that ended the session, if it failed. */
  @Nullable LiveException failure() {
    synchronized (lock) {
      return failure;
    }
  }

  /** Whether the session has ended (closed or failed); takes no lock. */
  boolean isTerminal() {
    return state.isTerminal();
  }

  /** The exception for a send after the end. */
  LiveSessionClosedException closedException() {
    synchronized (lock) {
      return closedExceptionLocked();
    }
  }

  long messagesSent() {
    return messagesSent.get();
  }

  long messagesReplayed() {
    return messagesReplayed.get();
  }

  /** Messages kept or waiting, for tests and the bound. */
  int size() {
    synchronized (lock) {
      return backlog.size();
    }
  }

  // ---------------------------------------------------------------- under the lock

  private LiveSessionClosedException closedExceptionLocked() {
    return new LiveSessionClosedException(
        failure == null ? "The session is closed." : "The session failed: " + failure.getMessage());
  }

  private boolean isStaleAnswerLocked(Outgoing o) {
    return o.kind == Outgoing.Kind.TOOL_RESPONSE
        && !o.toolCallIds.isEmpty()
        && staleToolCalls.containsAll(o.toolCallIds);
  }

  /**
   * Whether more than {@link #SOCKET_QUEUE_LIMIT_BYTES} wait in {@code c}'s send queue. The size is
   * read only when what was handed over since the last reading could have taken it past the limit.
   */
  private boolean socketFullLocked(Connection c) {
    if (socketQueuedAtMost <= SOCKET_QUEUE_LIMIT_BYTES) {
      return false;
    }
    socketQueuedAtMost = c.queueSize();
    return socketQueuedAtMost > SOCKET_QUEUE_LIMIT_BYTES;
  }

  /**
   * {@code o} is about to be handed to the socket: the marks count it from now on (before the send,
   * so that a reply arriving during it counts it). Always true, to sit in the send's condition.
   */
  private boolean startingLocked(Outgoing o) {
    if (o.index > sendStarted) {
      sendStarted = o.index;
    }
    if (o.asksReply && o.index > requestSendStarted) {
      requestSendStarted = o.index;
    }
    return true;
  }

  /** {@code o} went to the socket: its UTF-8 bytes (at most 3 per char; audio is ASCII) wait. */
  private void handedOverLocked(Outgoing o) {
    socketQueuedAtMost += o.kind == Outgoing.Kind.AUDIO ? o.bytes() : 3L * o.bytes();
  }

  private void sentLocked(Outgoing o) {
    if (trackPositions) {
      positions.add(o);
    }
    if (keepForReplay) {
      // Without resumption there is nothing to replay into: no copy is kept.
      backlog.keep(o);
    }
    lastSent = Math.max(lastSent, o.index);
  }
}
