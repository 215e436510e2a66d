package dev.geminilive.internal.tools;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The threads the library runs tool handlers on when the application gives no executor: a virtual
 * thread per call on Java 21+, else a pool of daemon threads shared by every session, named {@code
 * gemini-live-tool-<n>}, whose threads end after a minute idle; and the name a session's worker
 * takes while it runs a handler itself ({@link CallerThread}), from the same numbering, so a
 * handler on a library thread of the Java 17 baseline always runs on a thread named {@code
 * gemini-live-tool-<n>}.
 *
 * <p>Thread-safe.
 */
final class ToolThreads {
  private ToolThreads() {}

  private static final String NAME_PREFIX = "gemini-live-tool-";
  private static final AtomicInteger NUMBERS = new AtomicInteger();

  /** Runs handlers when virtual threads are not available (Java 17). */
  static final ExecutorService SHARED = shared();

  // The tool name of each worker that runs handlers itself: one number per thread, kept for its
  // life (a worker ends after seconds idle, and its name with it).
  private static final ThreadLocal<String> WORKER_NAMES =
      ThreadLocal.withInitial(() -> NAME_PREFIX + NUMBERS.incrementAndGet());

  private static ExecutorService shared() {
    return new ThreadPoolExecutor(
        0,
        Integer.MAX_VALUE,
        60,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        r -> {
          Thread t = new Thread(r, NAME_PREFIX + NUMBERS.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * Java 21+: a virtual thread per call, for one dispatcher to own; else null (use {@link
   * #SHARED}).
   */
  static @Nullable ExecutorService newVirtualPerCall() {
    try {
      // Looked up reflectively on the Java 17 baseline.
      return (ExecutorService)
          Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  /** {@code task}, run with the calling thread named as a tool thread, its own name given back. */
  static Runnable underToolName(Runnable task) {
    return () -> {
      Thread thread = Thread.currentThread();
      String own = thread.getName();
      thread.setName(WORKER_NAMES.get());
      try {
        task.run();
      } finally {
        thread.setName(own);
      }
    };
  }
}
