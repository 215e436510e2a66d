package dev.geminilive.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminilive.LiveObserver;
import dev.geminilive.SessionSpec;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.internal.tools.CallerThread;
import dev.geminilive.internal.tools.ToolDispatcher;
import dev.geminilive.internal.tools.ToolJson;
import dev.geminilive.internal.tools.ToolObserver;
import dev.geminilive.tools.ToolStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Chooses a session's tool loop: the dispatcher over its registered tools, or, while it has none,
 * the loop that answers every call with an error; a context update switches it to the new tools.
 */
final class ToolLoops {
  private ToolLoops() {}

  /**
   * The session's tool loop.
   *
   * @param queue the session's queue, whose thread takes a call of each message to run after the
   *     task that dispatched it ({@link SerialQueue#runAfterTurn}), when the library runs the
   *     handlers, and runs the answer's tasks itself once the handler has returned ({@link
   *     SerialQueue#workEnding})
   */
  static ToolLoop create(
      SessionSpec spec,
      String sessionName,
      LiveObserver observer,
      ToolLoop.ToolResults results,
      SerialQueue queue) {
    CallerThread caller =
        new CallerThread() {
          @Override
          public boolean runAfterTask(Runnable call) {
            return queue.runAfterTurn(call);
          }

          @Override
          public void handlerReturned() {
            queue.workEnding();
          }
        };
    return new Current(spec, sessionName, observer, results, caller);
  }

  /**
   * The loop in use, replaced when a context update brings tools to a session that had none (a
   * dispatcher, once made, takes later tool sets itself). Thread-safe: dispatches read the loop
   * without a lock; a switch and the close take {@link #lock}.
   */
  private static final class Current implements ToolLoop {
    private final String sessionName;
    private final LiveObserver observer;
    private final ToolLoop.ToolResults results;
    private final CallerThread caller;
    private final Object lock = new Object();
    private volatile ToolLoop loop;
    // Guarded by lock.
    private boolean closed;

    Current(
        SessionSpec spec,
        String sessionName,
        LiveObserver observer,
        ToolLoop.ToolResults results,
        CallerThread caller) {
      this.sessionName = sessionName;
      this.observer = observer;
      this.results = results;
      this.caller = caller;
      this.loop =
          spec.tools().isEmpty()
              ? new UnregisteredTools(observer, results)
              : new DispatcherLoop(spec, sessionName, observer, results, caller);
    }

    @Override
    public CompletionStage<Void> dispatch(List<ToolCallEvent> calls, Consumer<String> respond) {
      return loop.dispatch(calls, respond);
    }

    @Override
    public void cancel(List<String> ids) {
      loop.cancel(ids);
    }

    @Override
    public void useTools(SessionSpec spec) {
      synchronized (lock) {
        if (closed) {
          return;
        }
        if (loop instanceof DispatcherLoop d) {
          d.dispatcher.registry(spec.tools());
        } else if (!spec.tools().isEmpty()) {
          // The calls the old loop took were answered at once: nothing of it is left to close.
          loop = new DispatcherLoop(spec, sessionName, observer, results, caller);
        }
      }
    }

    @Override
    public void close() {
      synchronized (lock) {
        closed = true;
        loop.close();
      }
    }
  }

  /** Adapts {@link ToolDispatcher} to the session's JSON frames. */
  private static final class DispatcherLoop implements ToolLoop, ToolObserver {
    private final ToolDispatcher dispatcher;
    private final ToolLoop.ToolResults results;
    private final Map<String, JsonNode> args = new ConcurrentHashMap<>();

    DispatcherLoop(
        SessionSpec spec,
        String sessionName,
        LiveObserver observer,
        ToolLoop.ToolResults results,
        CallerThread caller) {
      this.results = results;
      this.dispatcher =
          new ToolDispatcher(
              spec.tools(),
              spec.toolExecutor(),
              spec.toolTimeout(),
              this,
              observer,
              sessionName,
              spec.scheduler(),
              caller);
    }

    @Override
    public CompletionStage<Void> dispatch(List<ToolCallEvent> calls, Consumer<String> respond) {
      List<ToolDispatcher.Request> requests = new ArrayList<>(calls.size());
      for (ToolCallEvent call : calls) {
        // A call without an id is answered without one. The handler gets its own copy of the
        // arguments, which the listener saw as the event's.
        requests.add(
            new ToolDispatcher.Request(
                call.id().isEmpty() ? null : call.id(), call.name(), call.args().deepCopy()));
      }
      return dispatcher.dispatch(requests, body -> respond.accept(Frames.toolResponse(body)));
    }

    @Override
    public void cancel(List<String> ids) {
      dispatcher.cancel(ids);
      ids.forEach(args::remove);
    }

    @Override
    public void close() {
      dispatcher.close();
    }

    @Override
    public void onToolStarted(String name, String callId, JsonNode arguments) {
      args.put(callId, arguments);
    }

    @Override
    public void onToolCompleted(String name, String callId, JsonNode result, Duration elapsed) {
      ObjectNode body = Frames.object();
      body.set("output", result);
      finish(name, callId, body);
    }

    @Override
    public void onToolFailed(
        String name, String callId, ToolStatus answer, @Nullable Throwable cause) {
      finish(name, callId, ToolJson.valueToTree(ToolDispatcher.errorResponse(answer)));
    }

    @Override
    public void onToolCancelled(String name, String callId) {
      args.remove(callId);
    }

    private void finish(String name, String callId, JsonNode body) {
      JsonNode a = args.remove(callId);
      results.onResult(callId, name, a != null ? a : Frames.object(), body);
    }
  }
}
