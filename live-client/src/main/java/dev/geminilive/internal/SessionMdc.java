package dev.geminilive.internal;

import dev.geminilive.LiveObserver;
import java.util.concurrent.Executor;
import org.slf4j.MDC;

/**
 * Puts the session's id in the MDC ({@link LiveObserver#MDC_SESSION_ID}) for the library's own
 * work: the one place that does it. Every thread and task the session starts (its control and event
 * threads, each tool call) runs through {@link #wrap}, so a log line written there, by the library
 * or by a listener or tool, can show the session. The previous value is restored afterwards, so a
 * task run on an application's executor leaves that thread's MDC as it found it.
 */
public final class SessionMdc {
  private SessionMdc() {}

  /** The task, run with the session id in the MDC. */
  public static Runnable wrap(String sessionId, Runnable task) {
    return () -> {
      String previous = MDC.get(LiveObserver.MDC_SESSION_ID);
      MDC.put(LiveObserver.MDC_SESSION_ID, sessionId);
      try {
        task.run();
      } finally {
        if (previous == null) {
          MDC.remove(LiveObserver.MDC_SESSION_ID);
        } else {
          MDC.put(LiveObserver.MDC_SESSION_ID, previous);
        }
      }
    };
  }

  /** An executor that runs each task through {@link #wrap}. */
  public static Executor wrap(String sessionId, Executor executor) {
    return task -> executor.execute(wrap(sessionId, task));
  }
}
