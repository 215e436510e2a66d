package dev.geminilive.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts what may still put a session's name on a thread, so the session can tell when none can:
 * the session itself until its last task has run, each turn of its {@link SerialQueue} from the
 * moment it is asked for, each open connection until its socket's last callback, and each callback
 * while it runs. A holder renames its thread only while it holds, and gives the name back before it
 * lets go; so when the count reaches zero no thread carries the session's name, and none will
 * again: the count never rises from zero, and work that comes later (a late timer) runs under its
 * thread's own name.
 *
 * <p>Thread-safe: a count and a future.
 */
final class SessionThreads {
  private final String sessionName;
  // Starts at one: the session's own hold, let go once its last task has run.
  private final AtomicInteger holds = new AtomicInteger(1);
  private final CompletableFuture<Void> released = new CompletableFuture<>();

  SessionThreads(String sessionName) {
    this.sessionName = sessionName;
  }

  /** The session's name, which its threads carry followed by {@code -}. */
  String sessionName() {
    return sessionName;
  }

  /**
   * Takes a hold; returns false, and takes none, once every hold was let go (the session is over
   * and its name is not to be put on a thread again).
   */
  boolean hold() {
    while (true) {
      int n = holds.get();
      if (n == 0) {
        return false;
      }
      if (holds.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /**
   * Lets go of a hold taken by {@link #hold()} (or the session's own); the thread's name is back.
   */
  void release() {
    int n = holds.decrementAndGet();
    if (n == 0) {
      released.complete(null);
    } else if (n < 0) {
      throw new IllegalStateException(sessionName + ": a thread hold let go twice");
    }
  }

  /** Whether the calling thread carries the session's name (it is doing the session's work). */
  boolean isNamedThread() {
    return Thread.currentThread().getName().startsWith(sessionName + "-");
  }

  /** Completes once every hold was let go: no thread carries the session's name any more. */
  CompletableFuture<Void> released() {
    return released;
  }
}
