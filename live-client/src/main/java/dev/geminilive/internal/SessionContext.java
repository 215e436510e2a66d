package dev.geminilive.internal;

import dev.geminilive.ContextUpdate;
import dev.geminilive.LiveAuth;
import dev.geminilive.LiveConfigException;
import dev.geminilive.LiveException;
import dev.geminilive.SessionSpec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The session's current spec and the context updates that change it ({@code updateContext}).
 *
 * <p>An update is checked as {@link SessionSpec#withContext} checks it (an invalid one fails its
 * future with the {@link LiveConfigException} and changes nothing); a valid one replaces the spec
 * at once, before the call returns: {@code spec()}, the tool loop and the setup of every connection
 * opened from then on see it. It then reaches the service in one of two ways:
 *
 * <ul>
 *   <li>on models that take a {@code contextUpdate} ({@link
 *       dev.geminilive.ModelProfile#contextUpdates()}), as that message, indexed with the other
 *       input so it is processed in order with it, kept for replay until a handle covers it (so a
 *       resumed connection gets it again, once), and its future completes when it is handed to the
 *       socket;
 *   <li>on other models, by a planned move to a new connection whose setup carries it, at the next
 *       natural pause; its future completes when a connection set up with it (or a later update) is
 *       in use. Every update has a version; each connection remembers the version its setup was
 *       built from.
 * </ul>
 *
 * <p>Thread-safe: {@link #update} runs on the caller's thread under {@link #lock}, which orders
 * updates against each other; {@link #current()} is a volatile read; the other methods run on the
 * session's queue.
 */
final class SessionContext {
  /** A spec and its version: 0 for the built one, one more for each update applied. */
  record Current(SessionSpec spec, int version) {}

  /** An update waiting for a connection set up with it (models without {@code contextUpdate}). */
  private record Waiting(int version, CompletableFuture<Void> done) {}

  private final Object lock = new Object();
  private volatile Current current;
  // Guarded by lock.
  private final List<Waiting> waiting = new ArrayList<>();
  private @Nullable LiveException ended;

  SessionContext(SessionSpec spec) {
    this.current = new Current(spec, 0);
  }

  /** The spec in use and its version. Any thread. */
  Current current() {
    return current;
  }

  /** Why a session on ephemeral tokens takes no context update; nothing was sent. */
  static final String LOCKED_BY_TOKEN =
      "This session authenticates with ephemeral tokens, which lock the setup they were minted for"
          + " (EphemeralTokenService locks the spec's system instruction and tools); the service"
          + " keeps a locked field as the token has it, so this update would be lost. Nothing was"
          + " sent. Change the context on a session opened with an API key on a trusted server, or"
          + " open a new session with a token minted for the new context.";

  /** The spec in use. Any thread. */
  SessionSpec spec() {
    return current.spec();
  }

  /**
   * Applies {@code update}: checks it, replaces the spec, tells {@code tools} and then either sends
   * the message ({@code send}, on models that take it) or asks for a move ({@code moveNeeded}).
   * Called on the caller's thread.
   *
   * @param closed the exception for an update after the session ended, or null while it runs
   * @param canMove whether the session may open a new connection (its reconnect policy allows it)
   * @param tools switches the tool loop to the new spec's tools
   * @param send sends the {@code contextUpdate} frame in order with the other input
   * @param moveNeeded asks the session's queue for a move at the next natural pause
   */
  CompletableFuture<Void> update(
      ContextUpdate update,
      @Nullable LiveException closed,
      boolean canMove,
      Consumer<SessionSpec> tools,
      Function<String, CompletableFuture<Void>> send,
      Runnable moveNeeded) {
    Objects.requireNonNull(update, "update");
    synchronized (lock) {
      if (closed != null || ended != null) {
        return CompletableFuture.failedFuture(closed != null ? closed : ended);
      }
      SessionSpec now = current.spec();
      if (now.auth() instanceof LiveAuth.EphemeralToken) {
        return CompletableFuture.failedFuture(
            new LiveConfigException("updateContext", LOCKED_BY_TOKEN));
      }
      boolean inPlace = now.profile().contextUpdates();
      if (!inPlace && !canMove) {
        return CompletableFuture.failedFuture(
            new LiveConfigException(
                "updateContext",
                now.model()
                    + " takes a new system instruction or tools only on a new connection, and this"
                    + " session's reconnect policy is none(): it cannot move. Use a model that"
                    + " takes contextUpdate (gemini-3.8-live), or a reconnect policy that"
                    + " reconnects."));
      }
      SessionSpec next;
      try {
        next = now.withContext(update);
      } catch (LiveConfigException e) {
        return CompletableFuture.failedFuture(e);
      }
      int version = current.version() + 1;
      current = new Current(next, version);
      tools.accept(next);
      if (inPlace) {
        boolean instruction =
            update.systemInstruction().isPresent() || update.systemInstructionText().isPresent();
        boolean newTools = update.tools().isPresent();
        // Sent under the lock: two updates reach the service in the order they replaced the spec.
        return send.apply(
            Frames.contextUpdate(next.toLiveConnectConfig(null), instruction, newTools));
      }
      CompletableFuture<Void> done = new CompletableFuture<>();
      waiting.add(new Waiting(version, done));
      moveNeeded.run();
      return done;
    }
  }

  /**
   * Whether a connection whose setup was built from {@code setupVersion} misses an update that only
   * a new connection can bring. Session's queue.
   */
  boolean needsMove(int setupVersion) {
    return !current.spec().profile().contextUpdates() && current.version() > setupVersion;
  }

  /**
   * A connection set up from {@code setupVersion} is in use: the updates it carries are done.
   * Session's queue.
   */
  void connectionInUse(int setupVersion) {
    List<CompletableFuture<Void>> done = new ArrayList<>();
    synchronized (lock) {
      for (Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
        Waiting w = it.next();
        if (w.version() <= setupVersion) {
          it.remove();
          done.add(w.done());
        }
      }
    }
    done.forEach(f -> f.complete(null));
  }

  /** The session ended: updates still waiting for their connection fail with {@code cause}. */
  void ended(LiveException cause) {
    List<CompletableFuture<Void>> failed = new ArrayList<>();
    synchronized (lock) {
      if (ended == null) {
        ended = cause;
      }
      for (Waiting w : waiting) {
        failed.add(w.done());
      }
      waiting.clear();
    }
    failed.forEach(f -> f.completeExceptionally(cause));
  }
}
