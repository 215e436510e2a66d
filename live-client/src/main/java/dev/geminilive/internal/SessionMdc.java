package dev.geminilive.internal;

import dev.geminilive.LiveObserver;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Puts the session's id in the MDC ({@link LiveObserver#MDC_SESSION_ID}) for the library's own
 * work: the one place that does it. Every task of the session (the turns of its {@link
 * SerialQueue}, each tool call and tool timeout) runs between {@link #enter} and {@link #exit} or
 * through {@link #wrap}, so a log line written there, by the library or by a listener or tool, can
 * show the session. The previous value is restored afterwards, so a task run on an application's
 * executor leaves that thread's MDC as it found it.
 */
public final class SessionMdc {
  private SessionMdc() {}

  /** The task, run with the session id in the MDC. */
  public static Runnable wrap(String sessionId, Runnable task) {
    return () -> {
      String previous = enter(sessionId);
      try {
        task.run();
      } finally {
        exit(previous);
      }
    };
  }

  /** Puts the session id in the calling thread's MDC; returns what was there, for {@link #exit}. */
  static @Nullable String enter(String sessionId) {
    String previous = MDC.get(LiveObserver.MDC_SESSION_ID);
    MDC.put(LiveObserver.MDC_SESSION_ID, sessionId);
    return previous;
  }

  /** Restores what {@link #enter} found. */
  static void exit(@Nullable String previous) {
    if (previous == null) {
      MDC.remove(LiveObserver.MDC_SESSION_ID);
    } else {
      MDC.put(LiveObserver.MDC_SESSION_ID, previous);
    }
  }

  /** An executor that runs each task through {@link #wrap}. */
  public static Executor wrap(String sessionId, Executor executor) {
    return task -> executor.execute(wrap(sessionId, task));
  }
}
