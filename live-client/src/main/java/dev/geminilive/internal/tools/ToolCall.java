package dev.geminilive.internal.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminilive.LiveObserver;
import dev.geminilive.LiveObserver.ToolOutcome;
import dev.geminilive.LiveScheduler;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.internal.SessionMdc;
import dev.geminilive.tools.ToolContext;
import dev.geminilive.tools.ToolDefinition;
import dev.geminilive.tools.ToolException;
import dev.geminilive.tools.ToolScheduling;
import dev.geminilive.tools.ToolStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One function call of a {@link ToolDispatcher}, from dispatch to answer: its timeout on the
 * session's scheduler from dispatch, the guards, the handler (on the dispatcher's executor, on the
 * dispatching thread after its task, or inline), and exactly one end (answer, failure, timeout or
 * cancel).
 *
 * <p>Thread-safe: its end is claimed once under its own lock; fields state their guard.
 */
final class ToolCall implements ToolContext {
  private static final Logger log = LoggerFactory.getLogger(ToolCall.class);

  private final ToolDispatcher dispatcher;

  /** The id the service sent; null when it sent none, and the answer then carries none. */
  final @Nullable String id;

  /** The call's key in the session ({@link ToolCallKeys}): unique, also for calls without an id. */
  final String key;

  final String name;
  final JsonNode args;
  final @Nullable ToolDefinition definition;

  /**
   * Completes with the answer (the function response object the service reads: id, name, response,
   * scheduling), or empty when cancelled, after the observer was told; only by the thread that
   * {@link #claim claimed} the call's end.
   */
  final CompletableFuture<Optional<ObjectNode>> outcome = new CompletableFuture<>();

  /** Whether the call's end (answer, failure, timeout or cancel) was claimed; guarded by this. */
  private boolean finished;

  final CompletableFuture<Void> cancellation = new CompletableFuture<>();
  private final long startNanos;

  /** The thread running the handler synchronously, or null; guarded by {@code this}. */
  private @Nullable Thread runner;

  /** A future the handler returned, cancelled with the call; guarded by {@code this}. */
  private @Nullable CompletableFuture<?> pending;

  ToolCall(
      ToolDispatcher dispatcher,
      @Nullable String key,
      String name,
      JsonNode args,
      @Nullable ToolDefinition definition) {
    this.dispatcher = dispatcher;
    this.startNanos = dispatcher.timeouts.nanoTime();
    this.key = ToolCallKeys.of(key);
    this.id = ToolCallKeys.serviceId(this.key);
    this.name = name;
    this.args = args;
    this.definition = definition;
  }

  String idForLog() {
    return id == null ? "(no id)" : id;
  }

  /**
   * Starts the call: its timer, then the handler inline, on {@code caller} once the dispatching
   * task has returned, or on the executor. Returns whether {@code caller} took it.
   */
  boolean start(@Nullable CallerThread caller) {
    dispatcher.running.put(key, this);
    outcome.whenComplete((r, e) -> dispatcher.running.remove(key, this));
    if (dispatcher.closed.get()) { // close() ran after dispatch() checked: answer nothing
      cancel();
      return false;
    }
    armTimeout();
    if (definition != null && definition.inline()) {
      // On the caller's thread, the session's queue (ToolDefinition.Builder#inline): nothing it
      // throws may reach the frame's other events.
      try {
        run(null);
      } catch (RuntimeException e) {
        log.error(
            "Session {}: inline tool {} (call {}) failed",
            dispatcher.sessionName,
            name,
            idForLog(),
            e);
        fail(ToolDispatcher.GENERIC_FAILURE, e, ToolOutcome.ERROR);
      }
      return false;
    }
    if (caller != null
        && caller.runAfterTask(
            ToolThreads.underToolName(
                SessionMdc.wrap(dispatcher.sessionName, () -> run(caller))))) {
      return true;
    }
    try {
      dispatcher.executor.execute(() -> run(null));
    } catch (RejectedExecutionException e) { // pool shut down or full
      log.warn(
          "Session {}: could not start tool {} (call {})",
          dispatcher.sessionName,
          name,
          idForLog(),
          e);
      fail(ToolDispatcher.GENERIC_FAILURE, e, ToolOutcome.ERROR);
    }
    return false;
  }

  /**
   * Times the call from its dispatch: the time it waits for a thread counts, and a call whose time
   * is up before it started is answered with the timeout and never runs (run sees it finished). An
   * unknown tool has no timer: it is answered as soon as it runs.
   */
  private void armTimeout() {
    ToolDefinition def = definition;
    if (def == null) {
      return;
    }
    Duration timeout = def.timeout().orElse(dispatcher.defaultTimeout);
    LiveScheduler.ScheduledTask timer =
        dispatcher.timeouts.schedule(
            "timeout of tool call " + callId(),
            timeout,
            SessionMdc.wrap(dispatcher.sessionName, () -> timeOut(timeout)));
    outcome.whenComplete((r, e) -> timer.cancel());
  }

  private synchronized boolean claim() {
    if (finished) {
      return false;
    }
    finished = true;
    return true;
  }

  private synchronized boolean isFinished() {
    return finished;
  }

  /** Runs the call; {@code caller} is told when the handler has returned, if it took the call. */
  private void run(@Nullable CallerThread caller) {
    if (isFinished()) {
      return;
    }
    ToolDefinition def = definition;
    ToolStatus refused =
        ToolGuards.refusal(name, def, dispatcher.registry, dispatcher.succeeded, args);
    if (refused != null || def == null) {
      fail(refused != null ? refused : ToolGuards.unknownTool(name, List.of()), null);
      return;
    }
    if (dispatcher.closed.get()) {
      return; // closed meanwhile; close() cancels this call
    }
    dispatcher.notifyObserver(
        "onToolStarted", () -> dispatcher.observer.onToolStarted(name, key, args));
    Object result;
    synchronized (this) {
      if (finished) {
        return;
      }
      // An inline handler runs on the session's queue, whose thread is never interrupted.
      runner = def.inline() ? null : Thread.currentThread();
    }
    try {
      result = runHandler(def, caller);
    } catch (Throwable t) { // handlers may throw anything; it is reported to the model
      clearRunner();
      failFromHandler(t);
      if (t instanceof Error && !(t instanceof AssertionError) && !def.inline()) {
        throw (Error) t; // a pooled thread ends with it; the session's queue goes on
      }
      return;
    }
    clearRunner();
    if (result instanceof CompletionStage) {
      CompletionStage<?> stage = (CompletionStage<?>) result;
      synchronized (this) {
        try {
          pending = stage.toCompletableFuture();
        } catch (UnsupportedOperationException e) {
          pending = null; // a minimal stage cannot be cancelled; its result is dropped
        }
        if (finished && pending != null) {
          pending.cancel(true);
        }
      }
      stage.whenComplete(
          (value, error) -> {
            if (error != null) {
              failFromHandler(ToolAnswers.unwrap(error));
            } else {
              succeed(value);
            }
          });
    } else {
      succeed(result);
    }
  }

  /** Runs the handler inside the observers' scope (a tracing context, for instance). */
  private @Nullable Object runHandler(ToolDefinition def, @Nullable CallerThread caller)
      throws Exception {
    LiveObserver.Scope scope = dispatcher.sessionObserver.toolExecution(event());
    try {
      return def.handler().handle(args, this);
    } finally {
      scope.close();
      if (caller != null) {
        caller.handlerReturned();
      }
    }
  }

  private synchronized void clearRunner() {
    if (runner != null) {
      runner = null;
      // A cancel between the handler's return and here may have interrupted this pooled thread.
      Thread.interrupted();
    }
  }

  private void succeed(@Nullable Object value) {
    ToolScheduling scheduling = ToolAnswers.scheduling(definition, value);
    JsonNode output;
    try {
      output = ToolAnswers.output(value);
    } catch (IllegalArgumentException e) {
      log.warn(
          "Session {}: the result of tool {} (call {}) could not be converted to JSON",
          dispatcher.sessionName,
          name,
          idForLog(),
          e);
      fail(ToolDispatcher.GENERIC_FAILURE, e, ToolOutcome.ERROR);
      return;
    }
    ObjectNode answer = ToolAnswers.success(name, id, output, definition, scheduling);
    if (!claim()) {
      return;
    }
    // Recorded before the answer goes out, so a call in the model's next message passes guards.
    dispatcher.succeeded.add(name);
    Duration elapsed = Duration.ofNanos(dispatcher.timeouts.nanoTime() - startNanos);
    dispatcher.notifyObserver(
        "onToolCompleted", () -> dispatcher.observer.onToolCompleted(name, key, output, elapsed));
    ended(ToolOutcome.SUCCESS);
    outcome.complete(Optional.of(answer));
  }

  private void failFromHandler(Throwable t) {
    if (isFinished()) {
      log.debug(
          "Session {}: tool {} (call {}) ended after cancel",
          dispatcher.sessionName,
          name,
          idForLog());
      return;
    }
    if (t instanceof ToolException) {
      log.warn(
          "Session {}: tool {} (call {}) reported: {}",
          dispatcher.sessionName,
          name,
          idForLog(),
          t.getMessage());
      fail(
          Objects.requireNonNullElse(t.getMessage(), ToolDispatcher.GENERIC_FAILURE),
          t,
          ToolOutcome.ERROR);
    } else {
      log.warn("Session {}: tool {} (call {}) failed", dispatcher.sessionName, name, idForLog(), t);
      fail(ToolDispatcher.GENERIC_FAILURE, t, ToolOutcome.ERROR);
    }
  }

  /** Answers with an error without running the handler (unknown tool, guard, arguments). */
  private void fail(ToolStatus refusal, @Nullable Throwable cause) {
    if (claim()) {
      reportFailure(refusal, cause, ToolOutcome.REJECTED);
    }
  }

  /** Answers that the handler failed: not retryable, the model should tell the user. */
  private void fail(String modelMessage, @Nullable Throwable cause, ToolOutcome kind) {
    if (claim()) {
      reportFailure(ToolStatus.error(modelMessage, false), cause, kind);
    }
  }

  /** Sends the error answer; the caller has claimed the call's end. */
  private void reportFailure(ToolStatus answer, @Nullable Throwable cause, ToolOutcome kind) {
    Map<String, Object> response = ToolDispatcher.errorResponse(answer);
    dispatcher.notifyObserver(
        "onToolFailed", () -> dispatcher.observer.onToolFailed(name, key, answer, cause));
    ended(kind);
    outcome.complete(Optional.of(ToolAnswers.response(name, id, ToolJson.valueToTree(response))));
  }

  /** The call as the session's observers see it. */
  ToolCallEvent event() {
    return new ToolCallEvent(callId(), name, args);
  }

  private void ended(ToolOutcome kind) {
    dispatcher.sessionObserver.toolCallEnded(
        event(), kind, Duration.ofNanos(dispatcher.timeouts.nanoTime() - startNanos));
  }

  private void timeOut(Duration timeout) {
    if (!claim()) {
      return;
    }
    log.warn(
        "Session {}: tool {} (call {}) timed out after {} ms",
        dispatcher.sessionName,
        name,
        idForLog(),
        timeout.toMillis());
    // Stop first so the handler sees the cancellation before the model gets the answer.
    stopHandler();
    reportFailure(ToolAnswers.timedOut(timeout), null, ToolOutcome.TIMEOUT);
  }

  void cancel() {
    if (!claim()) {
      return;
    }
    log.debug("Session {}: tool {} (call {}) cancelled", dispatcher.sessionName, name, idForLog());
    stopHandler();
    dispatcher.notifyObserver(
        "onToolCancelled", () -> dispatcher.observer.onToolCancelled(name, key));
    ended(ToolOutcome.CANCELLED);
    outcome.complete(Optional.empty());
  }

  private void stopHandler() {
    // Cancellation first, so an interrupted handler already sees isCancelled().
    cancellation.complete(null);
    CompletableFuture<?> p;
    synchronized (this) {
      if (runner != null) {
        runner.interrupt();
      }
      p = pending;
    }
    if (p != null) {
      p.cancel(true);
    }
  }

  @Override
  public String sessionName() {
    return dispatcher.sessionName;
  }

  @Override
  public String callId() {
    return id == null ? "" : id;
  }

  @Override
  public String toolName() {
    return name;
  }

  @Override
  public boolean isCancelled() {
    return cancellation.isDone();
  }

  @Override
  public CompletionStage<Void> cancellation() {
    return cancellation.minimalCompletionStage();
  }

  @Override
  public Set<String> succeededTools() {
    return Set.copyOf(dispatcher.succeeded);
  }
}
