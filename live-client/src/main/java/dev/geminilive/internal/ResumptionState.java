package dev.geminilive.internal;

import dev.geminilive.SessionSpec;
import dev.geminilive.Turn;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the session knows about resuming: the newest resumable handle, the input it covers, the tool
 * calls it has not seen, and the handle the current connection was opened with. This is the state a
 * new connection opens from, with the setup of the spec in use ({@link SessionContext}).
 *
 * <p>A handle is <em>fresh</em> while nothing has happened since it arrived that it does not hold:
 * it arrived with the model idle, and no model output or tool call came after it. Only a fresh
 * handle can make a natural pause.
 *
 * <p>Owned by the session's queue, except {@link #handle()}, which any thread may read.
 */
final class ResumptionState {
  private static final Logger log = LoggerFactory.getLogger(ResumptionState.class);

  // Written on the session's queue; volatile for resumptionHandle() on any thread.
  private volatile @Nullable String handle;
  // Owned by the session's queue.
  private long coveredThrough = -1;
  private long logSeqAtHandle;
  // When the newest handle arrived (the session's clock), for its lifetime.
  private long handleReceivedNanos;
  private boolean fresh;
  // Tool calls made since the newest handle: a service resumed with it never saw them.
  private final Set<String> callsSinceHandle = new HashSet<>();
  private @Nullable String openedWith;
  private long logSeqOfOpening;

  /**
   * @param initialHandle a handle given to the builder, or null; its age is unknown, so it counts
   *     from {@code nowNanos}
   * @param nowNanos the session's clock at its start
   */
  ResumptionState(@Nullable String initialHandle, long nowNanos) {
    this.handle = initialHandle;
    this.handleReceivedNanos = nowNanos;
  }

  /**
   * A resumable handle arrived.
   *
   * @param newHandle the handle
   * @param covered the newest message index its state holds
   * @param logSeq the conversation log's position when it arrived
   * @param modelIdle whether the model was idle when it arrived
   * @param nowNanos the session's clock when it arrived
   */
  void received(String newHandle, long covered, long logSeq, boolean modelIdle, long nowNanos) {
    handle = newHandle;
    handleReceivedNanos = nowNanos;
    coveredThrough = Math.max(coveredThrough, covered);
    logSeqAtHandle = logSeq;
    fresh = modelIdle;
    // Calls made before this handle are in the state it resumes: they can never go stale.
    callsSinceHandle.clear();
  }

  /** The model said or did something the handle does not hold. */
  void modelOutput() {
    fresh = false;
  }

  /** The model called tools. */
  void toolCalls(List<String> ids) {
    fresh = false;
    callsSinceHandle.addAll(ids);
  }

  /** The service cancelled calls: nothing is owed for them. */
  void cancelled(List<String> ids) {
    ids.forEach(callsSinceHandle::remove);
  }

  /** The calls a service resumed with the handle would not know. */
  Set<String> callsUnknownToHandle() {
    return Set.copyOf(callsSinceHandle);
  }

  /** Drops the handle (refused, expired, or refused again and again). */
  void abandon() {
    handle = null;
    fresh = false;
  }

  /**
   * The handle a reconnect attempt resumes with, or null for a fresh service session seeded with
   * the conversation: a handle older than the service keeps it, or one the service keeps refusing,
   * is abandoned, and the log says why.
   *
   * @param session the session's name, for the log
   * @param nowNanos the session's clock
   * @param lifetime how long the service keeps a handle
   * @param refusedTooOften whether the service refused the resume again and again
   */
  @Nullable String handleForAttempt(
      String session, long nowNanos, Duration lifetime, boolean refusedTooOften) {
    String h = handle;
    if (h != null && ServiceLimits.handleExpired(handleReceivedNanos, nowNanos, lifetime)) {
      log.warn(
          "{}: the resumption handle is older than the {} h the service keeps it; opening a fresh"
              + " session seeded with the conversation",
          session,
          lifetime.toHours());
      abandon();
      h = null;
    }
    if (h != null && refusedTooOften) {
      // The service keeps refusing the resume (it may still hold the old socket): carry on as a
      // fresh session seeded with the conversation rather than fail the call.
      log.warn("{}: the resume was refused again and again; opening a fresh session", session);
      abandon();
      h = null;
    }
    return h;
  }

  /** A connection is being opened with {@code withHandle} (null for a new service session). */
  void opening(@Nullable String withHandle) {
    openedWith = withHandle;
    logSeqOfOpening = logSeqAtHandle;
  }

  /** The newest resumable handle, or null. Any thread. */
  @Nullable String handle() {
    return handle;
  }

  /** When the newest handle arrived, on the session's clock. */
  long handleReceivedNanos() {
    return handleReceivedNanos;
  }

  /** The newest message index the newest handle covers; -1 before the first. */
  long coveredThrough() {
    return coveredThrough;
  }

  /** Whether the handle still holds everything that happened (see the class comment). */
  boolean fresh() {
    return fresh && handle != null;
  }

  /** The handle the current connection was opened with, or null. */
  @Nullable String openedWith() {
    return openedWith;
  }

  /** The conversation log's position when the handle the connection opened with arrived. */
  long logSeqOfOpening() {
    return logSeqOfOpening;
  }

  /**
   * The seed that follows the setup of a new connection, or null: the conversation so far for a
   * rebuild, the builder's history for a new service session; on a resume, the log forgets what the
   * resumed service no longer holds. Called under the outbound queue's lock, on the session's
   * queue.
   *
   * @param opening the connection's opening: a rebuild (a fresh service session seeded with the
   *     conversation), a resume (with a handle), or the first connection (seeded with the builder's
   *     history when it has one)
   * @param firstLogSeq the log position of the first message replayed (Long.MAX_VALUE for none)
   */
  @Nullable String seedFrame(
      ConversationLog conversation, SessionSpec spec, Phase.Opening opening, long firstLogSeq) {
    List<Turn> seed = null;
    if (opening.rebuild) {
      // What is replayed must not be in the seed too, or the model gets it twice.
      seed = conversation.snapshot(firstLogSeq);
      conversation.forgetServiceWordsFrom(firstLogSeq);
    } else if (opening.first && opening.handle == null) {
      seed = spec.history();
    }
    if (opening.handle != null) {
      // The resumed service is back where the handle was; its later words are not in its state.
      conversation.forgetServiceWordsFrom(logSeqOfOpening);
      // Speech replayed because the handle does not cover it is heard again: its earlier
      // transcript would otherwise be logged twice (a handle may arrive after the speech began).
      conversation.forgetHeardFrom(firstLogSeq);
    }
    if (seed == null || seed.isEmpty()) {
      return null;
    }
    // On models that take client content only as initial history, it must say turnComplete.
    return Frames.clientContent(seed, !spec.profile().clientContentAnytime());
  }
}
