package dev.geminilive.internal.tools;

/**
 * The thread that dispatches a {@code toolCall} message (the session's queue), offered a call of it
 * to run once the task it is in has returned. Taking it, the thread leaves the queue and its pool
 * for the call's time: the call needs no hand-off to another thread, and the queue's later tasks go
 * on elsewhere without waiting for it. Implementations are thread-safe.
 */
@FunctionalInterface
public interface CallerThread {
  /**
   * Takes {@code call} to run on the calling thread once its current task has returned, or refuses
   * it (the dispatcher then runs it on its executor).
   *
   * @param call the call's run; it must not run on the session's queue
   * @return whether {@code call} was taken; if so it runs exactly once
   */
  boolean runAfterTask(Runnable call);

  /**
   * Called on the thread running a call taken by {@link #runAfterTask}, once the call's handler has
   * returned or thrown: what is left of the call (its answer's hand-over) is the library's own
   * short work, so the session's tasks it adds may run on this thread once the call is over rather
   * than wake another. Does nothing by default.
   */
  default void handlerReturned() {}
}
