package dev.geminilive.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.LiveException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What a connection's socket thread does for the session: stamp a frame's arrival, take the send
 * marks, parse it once, and hand it to the session's queue. That hand-off is the only one between
 * the socket and the listener (on {@code Transport.JDK}, where the socket's thread is a worker of
 * the system scheduler, the frame's turn follows on that worker once the JDK's call has returned:
 * {@link SerialQueue#executeNext}). The socket's call never runs the session's logic or user code,
 * and takes no lock a sender holds: the marks are read from volatile counters ({@link
 * OutboundQueue#marks()} says why they still count a message whose hand-over is in flight).
 *
 * <p>Thread-safe: called on the socket threads of the session's connections (one at a time per
 * connection); every field is final.
 */
final class SocketHandoff implements Connection.Handler {
  /**
   * Tasks allowed to wait for the session's queue before the session fails as hopelessly behind.
   */
  static final int MAX_PENDING_TASKS = 200_000;

  private final SerialQueue queue;
  private final OutboundQueue outbound;
  private final SessionCore core;
  private final FrameHandler frames;
  private final Consumer<@Nullable String> sessionId;
  private final SessionCore.SessionEnd end;

  SocketHandoff(
      SerialQueue queue,
      OutboundQueue outbound,
      SessionCore core,
      FrameHandler frames,
      Consumer<@Nullable String> sessionId,
      SessionCore.SessionEnd end) {
    this.queue = queue;
    this.outbound = outbound;
    this.core = core;
    this.frames = frames;
    this.sessionId = sessionId;
    this.end = end;
  }

  @Override
  public void onReady(Connection connection) {
    sessionId.accept(connection.sessionId());
    queue.execute(() -> core.installed(connection));
  }

  @Override
  public void onMessage(Connection connection, String json) {
    OutboundQueue.Marks marks = outbound.marks();
    core.frameArrived(queue.nanoTime());
    JsonNode message = null;
    Exception error = null;
    try {
      message = Frames.readTree(json);
      if (message != null && !message.isObject()) {
        message = null;
      }
    } catch (Exception e) {
      error = e;
    }
    JsonNode parsed = message;
    Exception parseError = error;
    if (queue.pending() > MAX_PENDING_TASKS) {
      end.end(
          new LiveException(
              "The listener is "
                  + MAX_PENDING_TASKS
                  + " events behind; a listener must return quickly. The session was ended to"
                  + " bound memory."));
      return;
    }
    // On Transport.JDK this runs on a worker of the system scheduler, as a task of the JDK's: the
    // session's turn then follows on it once that task returns, with no second thread woken.
    queue.executeNext(() -> frames.frame(connection, json, parsed, parseError, marks));
  }

  @Override
  public void onClosed(
      Connection connection, int code, String reason, @Nullable Throwable failure) {
    queue.execute(() -> core.closed(connection, code, reason, failure));
  }
}
