package dev.geminilive.internal.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.FunctionResponse;
import com.google.genai.types.FunctionResponseScheduling;
import com.google.genai.types.LiveClientToolResponse;
import com.google.genai.types.LiveServerToolCall;
import dev.geminilive.LiveObserver;
import dev.geminilive.LiveObserver.ToolOutcome;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.internal.SessionMdc;
import dev.geminilive.tools.ToolBehavior;
import dev.geminilive.tools.ToolContext;
import dev.geminilive.tools.ToolDefinition;
import dev.geminilive.tools.ToolException;
import dev.geminilive.tools.ToolObserver;
import dev.geminilive.tools.ToolRegistry;
import dev.geminilive.tools.ToolResult;
import dev.geminilive.tools.ToolScheduling;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tool loop of one session: runs the calls of each {@code toolCall} message and answers them
 * with one {@code toolResponse}. Not API; the session owns one per logical session.
 *
 * <p>For each {@link #dispatch} the calls run in parallel on the executor, never on the caller's
 * thread. When every call of the message has finished, the responder is called <em>once</em> with
 * one {@link FunctionResponse} per call that was not cancelled, each carrying the call's id and
 * name, in the order of the calls; if every call was cancelled, the responder is not called. The
 * responder runs on whichever thread finished the last call (an executor thread, the timeout
 * thread, or the thread that called {@link #cancel}), so it must only enqueue the message.
 *
 * <p>Per call, in order: a call id seen before in this session is ignored (logged at WARN; a call
 * is never answered twice); an unknown tool, a tool whose {@code requires} have not succeeded
 * earlier in the session, or arguments that do not match the declared schema get an error answer
 * without running the handler; otherwise the handler runs, limited by the tool's timeout (else the
 * default timeout), counted from dispatch. Answers are {@code {"output": ...}} or {@code {"error":
 * "..."}}; a null result is sent as {@code {"output": {}}}, as the SDK drops JSON nulls. A
 * timed-out or cancelled call has its {@link ToolContext#cancellation()} completed and its thread
 * interrupted while it runs synchronously; a returned {@code CompletableFuture} is cancelled.
 *
 * <p>Executor: pass one to share a pool; with {@code null} the dispatcher owns one (a virtual
 * thread per call on Java 21+, else a cached pool of daemon threads named {@code
 * gemini-live-tool-<session>-<n>}) and shuts it down in {@link #close()}. Timeouts are fired by one
 * daemon thread per dispatcher ({@code gemini-live-tool-timeouts-<session>}), stopped in {@link
 * #close()}; a finished call's timer is removed at once.
 *
 * <p>Thread-safe. {@link #close()} is idempotent: it cancels every running call (no answers are
 * sent for them) and ignores later dispatches.
 */
public final class ToolDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ToolDispatcher.class);

  /** Sent for a handler exception other than {@link ToolException}; hides its details. */
  public static final String GENERIC_FAILURE =
      "The tool failed. Tell the user briefly that it did not work, and do not call it again"
          + " unless the user asks.";

  /**
   * How many call ids are remembered to suppress duplicates. A repeated id is one the service sends
   * again for a call still open in its state (after a resume): a call running or just answered,
   * never one from hundreds of calls ago. Far above what is in flight; not growing with the
   * session.
   */
  private static final int MAX_REMEMBERED_CALL_IDS = 512;

  private final ToolRegistry registry;
  private final Executor executor;
  private final @Nullable ExecutorService ownedExecutor;
  private final Duration defaultTimeout;
  private final ToolObserver observer;
  private final LiveObserver sessionObserver;
  private final String sessionName;

  /** Running calls by id. */
  private final Map<String, Call> running = new ConcurrentHashMap<>();

  /** Names of tools that succeeded in this session; guards {@code requires}. */
  private final Set<String> succeeded = ConcurrentHashMap.newKeySet();

  /** Call ids dispatched so far (bounded, oldest forgotten); guarded by itself. */
  private final Map<String, Boolean> seenCallIds =
      new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > MAX_REMEMBERED_CALL_IDS;
        }
      };

  /** toolCall messages whose answer has not been handed to the responder yet. */
  private final AtomicInteger pendingMessages = new AtomicInteger();

  private final AtomicBoolean closed = new AtomicBoolean();

  /** Fires per-call timeouts; one daemon thread owned by this dispatcher, stopped in close(). */
  private final ScheduledThreadPoolExecutor timeouts;

  /**
   * Creates a dispatcher.
   *
   * @param registry the session's tools
   * @param executor runs the handlers; null to let the dispatcher own one (see class docs)
   * @param defaultTimeout the time limit for tools that do not set their own
   * @param observer receives tool events
   * @param sessionName the session's name, for {@link ToolContext#sessionName()} and logs
   */
  public ToolDispatcher(
      ToolRegistry registry,
      @Nullable Executor executor,
      Duration defaultTimeout,
      ToolObserver observer,
      String sessionName) {
    this(registry, executor, defaultTimeout, observer, LiveObserver.NONE, sessionName);
  }

  /**
   * Creates a dispatcher that also reports to the session's observers: {@link
   * LiveObserver#toolCallStarted} on dispatch, {@link LiveObserver#toolExecution} around the
   * handler on its thread, {@link LiveObserver#toolCallEnded} with the outcome.
   *
   * @param registry the session's tools
   * @param executor runs the handlers; null to let the dispatcher own one (see class docs)
   * @param defaultTimeout the time limit for tools that do not set their own
   * @param observer receives tool events
   * @param sessionObserver the session's observers
   * @param sessionName the session name, for {@link ToolContext#sessionName()}, logs and the MDC
   */
  public ToolDispatcher(
      ToolRegistry registry,
      @Nullable Executor executor,
      Duration defaultTimeout,
      ToolObserver observer,
      LiveObserver sessionObserver,
      String sessionName) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.defaultTimeout = Objects.requireNonNull(defaultTimeout, "defaultTimeout");
    if (defaultTimeout.isNegative() || defaultTimeout.isZero()) {
      throw new IllegalArgumentException("defaultTimeout must be positive, got " + defaultTimeout);
    }
    this.observer = Objects.requireNonNull(observer, "observer");
    this.sessionObserver = Objects.requireNonNull(sessionObserver, "sessionObserver");
    this.sessionName = Objects.requireNonNull(sessionName, "sessionName");
    this.timeouts =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t =
                  new Thread(
                      SessionMdc.wrap(sessionName, r), "gemini-live-tool-timeouts-" + sessionName);
              t.setDaemon(true);
              return t;
            });
    timeouts.setRemoveOnCancelPolicy(true);
    if (executor == null) {
      this.ownedExecutor = newOwnedExecutor(sessionName);
      this.executor = SessionMdc.wrap(sessionName, ownedExecutor);
    } else {
      this.ownedExecutor = null;
      this.executor = SessionMdc.wrap(sessionName, executor);
    }
  }

  private static ExecutorService newOwnedExecutor(String sessionName) {
    try {
      // Java 21+: a virtual thread per call. Looked up reflectively on the Java 17 baseline.
      return (ExecutorService)
          Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    } catch (ReflectiveOperationException e) {
      AtomicInteger n = new AtomicInteger();
      ThreadFactory factory =
          r -> {
            Thread t = new Thread(r, "gemini-live-tool-" + sessionName + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
          };
      return Executors.newCachedThreadPool(factory);
    }
  }

  /**
   * Runs the calls of one {@code toolCall} message and answers them once with {@code responder}.
   * Returns at once.
   */
  public void dispatch(LiveServerToolCall toolCall, Consumer<LiveClientToolResponse> responder) {
    Objects.requireNonNull(toolCall, "toolCall");
    Objects.requireNonNull(responder, "responder");
    if (closed.get()) {
      log.debug("Session {}: ignoring a tool call after close", sessionName);
      return;
    }
    List<Call> calls = new ArrayList<>();
    for (FunctionCall fc : toolCall.functionCalls().orElse(List.of())) {
      String id = fc.id().orElse(null);
      String name = fc.name().orElse("");
      if (id != null) {
        synchronized (seenCallIds) {
          if (seenCallIds.putIfAbsent(id, Boolean.TRUE) != null) {
            log.warn(
                "Session {}: ignoring repeated tool call id {} ({}); it is answered once",
                sessionName,
                id,
                name);
            continue;
          }
        }
      }
      JsonNode args = ToolJson.MAPPER.valueToTree(fc.args().orElse(Map.of()));
      calls.add(new Call(id, name, args, registry.find(name).orElse(null)));
    }
    if (calls.isEmpty()) {
      return;
    }
    pendingMessages.incrementAndGet();
    CompletableFuture<?>[] outcomes = new CompletableFuture<?>[calls.size()];
    for (int i = 0; i < calls.size(); i++) {
      outcomes[i] = calls.get(i).outcome;
    }
    CompletableFuture.allOf(outcomes)
        .whenComplete(
            (ignored, error) -> {
              try {
                answer(calls, responder);
              } finally {
                pendingMessages.decrementAndGet();
              }
            });
    for (Call call : calls) {
      sessionObserver.toolCallStarted(call.event());
    }
    for (Call call : calls) {
      call.start();
    }
  }

  private void answer(List<Call> calls, Consumer<LiveClientToolResponse> out) {
    List<FunctionResponse> responses = new ArrayList<>();
    for (Call c : calls) {
      c.outcome.getNow(Optional.empty()).ifPresent(responses::add);
    }
    if (responses.isEmpty()) {
      log.debug("Session {}: every call of a tool call message was cancelled", sessionName);
      return;
    }
    try {
      out.accept(LiveClientToolResponse.builder().functionResponses(responses).build());
    } catch (RuntimeException e) {
      log.error("Session {}: the tool response could not be handed over", sessionName, e);
    }
  }

  /**
   * Cancels the calls with these ids ({@code toolCallCancellation}); they get no answer. Unknown or
   * finished ids are ignored.
   */
  public void cancel(Collection<String> ids) {
    Objects.requireNonNull(ids, "ids");
    for (String id : ids) {
      Call c = running.get(id);
      if (c != null) {
        c.cancel();
      }
    }
  }

  /** Cancels every running call; none of them gets an answer. */
  public void cancelAll() {
    for (Call c : List.copyOf(running.values())) {
      c.cancel();
    }
  }

  /** Whether a {@code toolCall} message is still waiting for its answer to be handed over. */
  public boolean hasCallsInFlight() {
    return pendingMessages.get() > 0;
  }

  /** Cancels running calls, ignores later dispatches and shuts down an owned executor. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    cancelAll();
    timeouts.shutdownNow();
    if (ownedExecutor != null) {
      ownedExecutor.shutdown();
    }
  }

  private void notifyObserver(String event, Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      log.error("Session {}: ToolObserver.{} threw; ignored", sessionName, event, e);
    }
  }

  /** One function call from dispatch to answer. */
  private final class Call implements ToolContext {
    final @Nullable String id;
    final String name;
    final JsonNode args;
    final @Nullable ToolDefinition definition;

    /**
     * Completes with the answer, or empty when cancelled, after the observer was told; only by the
     * thread that {@link #claim claimed} the call's end.
     */
    final CompletableFuture<Optional<FunctionResponse>> outcome = new CompletableFuture<>();

    /** Whether the call's end (answer, failure, timeout or cancel) was claimed; guarded by this. */
    private boolean finished;

    final CompletableFuture<Void> cancellation = new CompletableFuture<>();
    private final long startNanos = System.nanoTime();

    /** The thread running the handler synchronously, or null; guarded by {@code this}. */
    private @Nullable Thread runner;

    /** A future the handler returned, cancelled with the call; guarded by {@code this}. */
    private @Nullable CompletableFuture<?> pending;

    Call(@Nullable String id, String name, JsonNode args, @Nullable ToolDefinition definition) {
      this.id = id;
      this.name = name;
      this.args = args;
      this.definition = definition;
    }

    String idForLog() {
      return id == null ? "(no id)" : id;
    }

    void start() {
      if (id != null) {
        running.put(id, this);
        outcome.whenComplete((r, e) -> running.remove(id, this));
      }
      if (closed.get()) { // close() ran after dispatch() checked: answer nothing
        cancel();
        return;
      }
      try {
        executor.execute(this::run);
      } catch (RejectedExecutionException e) { // pool shut down or full
        log.warn("Session {}: could not start tool {} (call {})", sessionName, name, idForLog(), e);
        fail(GENERIC_FAILURE, e, ToolOutcome.ERROR);
      }
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

    private void run() {
      if (isFinished()) {
        return;
      }
      ToolDefinition def = definition;
      if (def == null) {
        fail(
            "Unknown tool '"
                + name
                + "'. Available tools: "
                + (registry.names().isEmpty() ? "none" : String.join(", ", registry.names()))
                + ".",
            null);
        return;
      }
      List<String> missing = new ArrayList<>();
      for (String r : def.requires()) {
        if (!succeeded.contains(r)) {
          missing.add(r);
        }
      }
      if (!missing.isEmpty()) {
        fail(
            "Tool '"
                + name
                + "' cannot run yet: it needs "
                + quoted(missing)
                + " to have succeeded earlier in this conversation. Call "
                + quoted(missing)
                + " first, then call '"
                + name
                + "' again.",
            null);
        return;
      }
      List<String> problems = ArgumentValidator.validate(def.parameters(), args);
      if (!problems.isEmpty()) {
        fail(
            "Invalid arguments for tool '"
                + name
                + "': "
                + String.join("; ", problems)
                + ". Fix the arguments and call the tool again.",
            null);
        return;
      }
      Duration timeout = def.timeout().orElse(defaultTimeout);
      try {
        ScheduledFuture<?> timer =
            timeouts.schedule(() -> timeOut(timeout), timeout.toNanos(), TimeUnit.NANOSECONDS);
        outcome.whenComplete((r, e) -> timer.cancel(false));
      } catch (RejectedExecutionException e) {
        return; // closed meanwhile; close() cancels this call
      }
      notifyObserver("onToolStarted", () -> observer.onToolStarted(name, callId(), args));
      Object result;
      synchronized (this) {
        if (finished) {
          return;
        }
        runner = Thread.currentThread();
      }
      try {
        result = runHandler(def);
      } catch (Throwable t) { // handlers may throw anything; it is reported to the model
        clearRunner();
        failFromHandler(t);
        if (t instanceof Error && !(t instanceof AssertionError)) {
          throw (Error) t;
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
                failFromHandler(unwrap(error));
              } else {
                succeed(value);
              }
            });
      } else {
        succeed(result);
      }
    }

    /** Runs the handler inside the observers' scope (a tracing context, for instance). */
    private @Nullable Object runHandler(ToolDefinition def) throws Exception {
      LiveObserver.Scope scope = sessionObserver.toolExecution(event());
      try {
        return def.handler().handle(args, this);
      } finally {
        scope.close();
      }
    }

    private synchronized void clearRunner() {
      runner = null;
      // A cancel between the handler's return and here may have interrupted this pooled thread.
      Thread.interrupted();
    }

    private void succeed(@Nullable Object value) {
      ToolScheduling scheduling =
          definition == null ? ToolScheduling.UNSPECIFIED : definition.scheduling();
      if (value instanceof ToolResult) {
        ToolResult tr = (ToolResult) value;
        value = tr.value();
        if (tr.scheduling() != ToolScheduling.UNSPECIFIED) {
          scheduling = tr.scheduling();
        }
      }
      JsonNode output;
      try {
        JsonNode tree = value == null ? NullNode.getInstance() : ToolJson.MAPPER.valueToTree(value);
        // The SDK drops null map values when it serialises, so {"output": null} would reach the
        // model as {}; send an explicit empty object instead ("no result").
        output = tree.isNull() ? ToolJson.MAPPER.createObjectNode() : tree;
      } catch (IllegalArgumentException e) {
        log.warn(
            "Session {}: the result of tool {} (call {}) could not be converted to JSON",
            sessionName,
            name,
            idForLog(),
            e);
        fail(GENERIC_FAILURE, e, ToolOutcome.ERROR);
        return;
      }
      Map<String, Object> response = new LinkedHashMap<>();
      response.put("output", ToolJson.MAPPER.convertValue(output, Object.class));
      FunctionResponse.Builder b = base().response(response);
      if (definition != null
          && definition.behavior() == ToolBehavior.NON_BLOCKING
          && scheduling != ToolScheduling.UNSPECIFIED) {
        b.scheduling(FunctionResponseScheduling.Known.valueOf(scheduling.name()));
      }
      if (!claim()) {
        return;
      }
      // Recorded before the answer goes out, so a call in the model's next message passes guards.
      succeeded.add(name);
      Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
      notifyObserver(
          "onToolCompleted", () -> observer.onToolCompleted(name, callId(), output, elapsed));
      ended(ToolOutcome.SUCCESS);
      outcome.complete(Optional.of(b.build()));
    }

    private void failFromHandler(Throwable t) {
      if (isFinished()) {
        log.debug(
            "Session {}: tool {} (call {}) ended after cancel", sessionName, name, idForLog());
        return;
      }
      if (t instanceof ToolException) {
        log.warn(
            "Session {}: tool {} (call {}) reported: {}",
            sessionName,
            name,
            idForLog(),
            t.getMessage());
        fail(Objects.requireNonNullElse(t.getMessage(), GENERIC_FAILURE), t, ToolOutcome.ERROR);
      } else {
        log.warn("Session {}: tool {} (call {}) failed", sessionName, name, idForLog(), t);
        fail(GENERIC_FAILURE, t, ToolOutcome.ERROR);
      }
    }

    /** Answers with an error without running the handler (unknown tool, guard, arguments). */
    private void fail(String modelMessage, @Nullable Throwable cause) {
      fail(modelMessage, cause, ToolOutcome.REJECTED);
    }

    private void fail(String modelMessage, @Nullable Throwable cause, ToolOutcome kind) {
      if (claim()) {
        reportFailure(modelMessage, cause, kind);
      }
    }

    /** Sends the error answer; the caller has claimed the call's end. */
    private void reportFailure(String modelMessage, @Nullable Throwable cause, ToolOutcome kind) {
      Map<String, Object> response = new LinkedHashMap<>();
      response.put("error", modelMessage);
      notifyObserver(
          "onToolFailed", () -> observer.onToolFailed(name, callId(), modelMessage, cause));
      ended(kind);
      outcome.complete(Optional.of(base().response(response).build()));
    }

    /** The call as the session's observers see it. */
    ToolCallEvent event() {
      return new ToolCallEvent(callId(), name, args);
    }

    private void ended(ToolOutcome kind) {
      sessionObserver.toolCallEnded(
          event(), kind, Duration.ofNanos(System.nanoTime() - startNanos));
    }

    private void timeOut(Duration timeout) {
      if (!claim()) {
        return;
      }
      log.warn(
          "Session {}: tool {} (call {}) timed out after {} ms",
          sessionName,
          name,
          idForLog(),
          timeout.toMillis());
      // Stop first so the handler sees the cancellation before the model gets the answer.
      stopHandler();
      reportFailure(
          "The tool did not finish within "
              + describe(timeout)
              + " and was stopped. Tell the user it is taking too long, and do not call it again"
              + " unless the user asks.",
          null,
          ToolOutcome.TIMEOUT);
    }

    void cancel() {
      if (!claim()) {
        return;
      }
      log.debug("Session {}: tool {} (call {}) cancelled", sessionName, name, idForLog());
      stopHandler();
      notifyObserver("onToolCancelled", () -> observer.onToolCancelled(name, callId()));
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

    private FunctionResponse.Builder base() {
      FunctionResponse.Builder b = FunctionResponse.builder().name(name);
      if (id != null) {
        b.id(id);
      }
      return b;
    }

    @Override
    public String sessionName() {
      return sessionName;
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
      return Set.copyOf(succeeded);
    }
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String quoted(List<String> names) {
    List<String> q = new ArrayList<>();
    for (String n : names) {
      q.add("'" + n + "'");
    }
    return String.join(" and ", q);
  }

  private static String describe(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
  }
}
