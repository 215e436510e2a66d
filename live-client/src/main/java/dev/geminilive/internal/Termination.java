package dev.geminilive.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A session's {@code termination()} future. Waiting on it from one of the session's own threads (a
 * listener callback, a socket callback) would wait for that very thread to leave the session's
 * work, since the future completes only once no thread carries the session's name; {@code get} and
 * {@code join} refuse there instead, with a message that says what to do. Dependent futures are
 * plain ones.
 *
 * <p>Thread-safe, as every {@link CompletableFuture}.
 */
final class Termination extends CompletableFuture<Void> {
  private final SessionThreads threads;

  Termination(SessionThreads threads) {
    this.threads = threads;
  }

  @Override
  public Void get() throws InterruptedException, ExecutionException {
    refuseOwnThread();
    return super.get();
  }

  @Override
  public Void get(long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    refuseOwnThread();
    return super.get(timeout, unit);
  }

  @Override
  public Void join() {
    refuseOwnThread();
    return super.join();
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }

  private void refuseOwnThread() {
    if (!isDone() && threads.isNamedThread()) {
      throw new IllegalStateException(
          "termination() was waited on from "
              + Thread.currentThread().getName()
              + ", a thread running "
              + threads.sessionName()
              + "'s own work (a listener or socket callback); it completes only after that"
              + " thread has left the session, so the wait would never end. Chain the work with"
              + " termination().whenComplete(...), or wait from another thread.");
    }
  }
}
