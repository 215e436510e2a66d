package dev.geminilive.internal.tools;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Wakes a tool thread while a {@code toolCall} frame is still on its way to the session's queue, so
 * that the call the queue then dispatches starts on a thread already running instead of one it has
 * to wake: the two wake-ups (socket → queue, queue → tool thread) overlap instead of adding up.
 *
 * <p>Only the thread is early, never the call: the queue still decides, in order, whether and what
 * runs (a frame of a replaced connection, a repeated id, an inline tool run nothing here), so no
 * handler runs sooner or more often than without this. The socket's thread calls {@link #expect}
 * when it has parsed a frame holding a {@code toolCall}; the queue offers the first call it
 * dispatches with {@link #offer} and lets an unused thread go with {@link #release}. The woken
 * thread waits at most {@link #WAIT_NANOS}, spinning and yielding its core to any other runnable
 * thread, then goes back to its pool; a call offered after that takes the ordinary path. At most
 * one thread waits per session.
 *
 * <p>Used only on the executor the dispatcher chose itself (an application's executor may run code
 * of its own in {@code execute}, which must not run on a socket's thread). Thread-safe.
 */
final class ToolThreadHandoff {
  /**
   * How long a woken thread waits for the call: the queue's own wake-up and a frame's handling take
   * tens of microseconds, more on a loaded machine; a queue behind more than this is served by the
   * ordinary path.
   */
  static final long WAIT_NANOS = 300_000;

  private final Predicate<Runnable> startOnIdleThread;
  private final long waitNanos;

  /** The waiter for the next call, or null; taken once, by an offer or a release. */
  private final AtomicReference<@Nullable Waiter> next = new AtomicReference<>();

  /**
   * Wakes threads through {@code startOnIdleThread}, each waiting at most {@link #WAIT_NANOS}.
   *
   * @param startOnIdleThread starts a task on a thread that is idle now (a thread started for it
   *     would come no sooner than the ordinary path's), returning false when there is none
   */
  ToolThreadHandoff(Predicate<Runnable> startOnIdleThread) {
    this(startOnIdleThread, WAIT_NANOS);
  }

  /** Wakes threads through {@code startOnIdleThread}, each waiting at most {@code waitNanos}. */
  ToolThreadHandoff(Predicate<Runnable> startOnIdleThread, long waitNanos) {
    this.startOnIdleThread = startOnIdleThread;
    this.waitNanos = waitNanos;
  }

  /** A frame holding tool calls is on its way to the queue: wakes a thread unless one waits. */
  void expect() {
    Waiter current = next.get();
    if (current != null && !current.hasLeft()) {
      return;
    }
    Waiter w = new Waiter(waitNanos);
    if (!next.compareAndSet(current, w)) {
      return;
    }
    boolean started;
    try {
      started = startOnIdleThread.test(w);
    } catch (RejectedExecutionException e) {
      started = false; // the ordinary path will say why
    }
    if (!started) {
      next.compareAndSet(w, null);
    }
  }

  /**
   * Gives {@code task} to the thread woken for it; false when there is none or it has left, and the
   * caller starts the task the ordinary way.
   */
  boolean offer(Runnable task) {
    Waiter w = next.getAndSet(null);
    return w != null && w.give(task);
  }

  /** The queue has dispatched what the frame held: a thread not given a call leaves now. */
  void release() {
    Waiter w = next.getAndSet(null);
    if (w != null) {
      w.give(LEAVE);
    }
  }

  private static final Runnable LEAVE = () -> {};

  /**
   * A yield that takes longer than this gave the core to another thread: the machine is busy, and
   * the waiter parks instead of spinning.
   */
  static final long YIELDED_NANOS = 5_000;

  /**
   * One woken thread's wait: its task, set once, by {@link #give} or by its own time-out. The
   * thread spins while its core is free (a yield comes back at once) and parks as soon as a yield
   * shows other threads waiting for the core, so that on a busy machine it takes no core from the
   * queue it waits for; a task given to a parked waiter unparks it.
   */
  private static final class Waiter implements Runnable {
    private final AtomicReference<@Nullable Runnable> task = new AtomicReference<>();
    private final long waitNanos;
    private volatile @Nullable Thread parked;

    Waiter(long waitNanos) {
      this.waitNanos = waitNanos;
    }

    /** Whether it gave up, or was let go, without a task. */
    boolean hasLeft() {
      return task.get() == LEAVE;
    }

    boolean give(Runnable t) {
      if (!task.compareAndSet(null, t)) {
        return false;
      }
      Thread p = parked;
      if (p != null) {
        LockSupport.unpark(p);
      }
      return true;
    }

    /** Waits for the task and runs it; gives up at the bound. */
    @Override
    public void run() {
      long deadline = System.nanoTime() + waitNanos;
      boolean busy = false;
      Runnable t;
      while ((t = task.get()) == null) {
        long now = System.nanoTime();
        if (now - deadline >= 0) {
          if (task.compareAndSet(null, LEAVE)) {
            return;
          }
        } else if (busy) {
          parked = Thread.currentThread();
          if (task.get() == null) {
            LockSupport.parkNanos(this, deadline - now);
          }
          parked = null;
        } else {
          Thread.yield();
          busy = System.nanoTime() - now > YIELDED_NANOS;
        }
      }
      t.run();
    }
  }
}
