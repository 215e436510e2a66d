package dev.geminilive.internal.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.LiveClientToolResponse;
import com.google.genai.types.LiveServerToolCall;
import dev.geminilive.LiveObserver;
import dev.geminilive.LiveScheduler;
import dev.geminilive.internal.SessionMdc;
import dev.geminilive.tools.ToolContext;
import dev.geminilive.tools.ToolDefinition;
import dev.geminilive.tools.ToolException;
import dev.geminilive.tools.ToolRegistry;
import dev.geminilive.tools.ToolStatus;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
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
 * <p>For each {@link #dispatch} the calls run in parallel off the caller's task: on the executor,
 * or, with the library's own executor and a {@link CallerThread}, the first of them on the calling
 * thread once the task that dispatched it has returned and the thread has left the session's queue
 * (so the call waits for no hand-off to another thread, and the queue never waits for the call).
 * Calls of {@link ToolDefinition#inline() inline} tools run on the caller's thread (the session's
 * queue) before {@code dispatch} returns, and are never interrupted. When every call of the message
 * has finished, the responder is called <em>once</em> with one function response per call that was
 * not cancelled, each carrying the call's id and name, in the order of the calls (built as JSON, in
 * the shape of the SDK's {@code FunctionResponse}); if every call was cancelled, the responder is
 * not called. The responder runs on whichever thread finished the last call (a tool thread, the
 * timeout thread, or the thread that called {@link #cancel}), so it must only enqueue the message.
 *
 * <p>Per call, in order: a call id seen before in this session is ignored (logged at WARN; a call
 * is never answered twice); an unknown tool, a tool whose {@code requires} have not succeeded
 * earlier in the session, or arguments that do not match the declared schema get an error answer
 * without running the handler; otherwise the handler runs, limited by the tool's timeout (else the
 * default timeout), counted from dispatch: time a call waits for a thread of a busy executor
 * counts, and a call still waiting when its time is up is answered with the timeout and never runs.
 * Answers are {@code {"output": ...}} or {@code {"error": "..."}}; a null result is sent as {@code
 * {"output": {}}}, as the SDK drops JSON nulls. A timed-out or cancelled call has its {@link
 * ToolContext#cancellation()} completed and its thread interrupted while it runs synchronously; a
 * returned {@code CompletableFuture} is cancelled.
 *
 * <p>Executor: pass one to share a pool; with {@code null} the dispatcher uses a virtual thread per
 * call on Java 21+ (shut down in {@link #close()}), else a pool of daemon threads shared by all
 * sessions, named {@code gemini-live-tool-<n>}, whose threads end after a minute idle; a call run
 * on the calling thread instead runs under a name of the same kind. Timeouts run on the session's
 * {@link LiveScheduler} (no thread of the dispatcher's own); a finished call's timer is cancelled
 * at once.
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
   * The response body of a call the library answers with an error: {@code {"error": message,
   * "status": ..., "retryable": ..., "retry_hint": ..., "valid_options": [...]}}, the informative
   * shape the 3.8 models' guide asks for (without the fields {@code answer} leaves unset). The
   * message stays under {@code error}, where models and readers of earlier versions find it.
   *
   * @param answer the status; its message is the text under {@code error}
   * @return the body, in the order above
   */
  public static Map<String, Object> errorResponse(ToolStatus answer) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", Objects.requireNonNullElse(answer.message(), answer.status()));
    Map<String, Object> fields = answer.toJson();
    fields.remove("message");
    body.putAll(fields);
    return body;
  }

  /**
   * How many call ids are remembered to suppress duplicates. A repeated id is one the service sends
   * again for a call still open in its state (after a resume): a call running or just answered,
   * never one from hundreds of calls ago. Far above what is in flight; not growing with the
   * session.
   */
  private static final int MAX_REMEMBERED_CALL_IDS = 512;

  // The tools calls are dispatched to; replaced by a context update (any thread), read per call.
  volatile ToolRegistry registry;
  final Executor executor;
  private final @Nullable ExecutorService ownedExecutor;
  // Offered the first call of each message; null with an application's executor.
  private final @Nullable CallerThread callerThread;
  final Duration defaultTimeout;
  final ToolObserver observer;
  final LiveObserver sessionObserver;
  final String sessionName;

  /**
   * Running calls by key ({@link ToolCallKeys}): a call without an id is cancelled by {@link
   * #close}.
   */
  final Map<String, ToolCall> running = new ConcurrentHashMap<>();

  /** Names of tools that succeeded in this session; guards {@code requires}. */
  final Set<String> succeeded = ConcurrentHashMap.newKeySet();

  /** ToolCall ids dispatched so far (bounded, oldest forgotten); guarded by itself. */
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

  final AtomicBoolean closed = new AtomicBoolean();

  /** Fires per-call timeouts: the session's scheduler (no thread of the dispatcher's own). */
  final LiveScheduler timeouts;

  /**
   * Creates a dispatcher.
   *
   * @param registry the session's tools
   * @param executor runs the handlers; null to let the dispatcher choose (see class docs)
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
   * @param executor runs the handlers; null to let the dispatcher choose (see class docs)
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
    this(
        registry,
        executor,
        defaultTimeout,
        observer,
        sessionObserver,
        sessionName,
        LiveScheduler.system());
  }

  /**
   * Creates a dispatcher whose timeouts run on {@code scheduler}'s clock.
   *
   * @param registry the session's tools
   * @param executor runs the handlers; null to let the dispatcher choose (see class docs)
   * @param defaultTimeout the time limit for tools that do not set their own
   * @param observer receives tool events
   * @param sessionObserver the session's observers
   * @param sessionName the session name, for {@link ToolContext#sessionName()}, logs and the MDC
   * @param scheduler times the calls
   */
  public ToolDispatcher(
      ToolRegistry registry,
      @Nullable Executor executor,
      Duration defaultTimeout,
      ToolObserver observer,
      LiveObserver sessionObserver,
      String sessionName,
      LiveScheduler scheduler) {
    this(
        registry,
        executor,
        defaultTimeout,
        observer,
        sessionObserver,
        sessionName,
        scheduler,
        null);
  }

  /**
   * Creates a dispatcher that, with the library's own executor ({@code executor} null), offers the
   * first call of each message to the dispatching thread ({@link CallerThread}).
   *
   * @param registry the session's tools
   * @param executor runs the handlers; null to let the dispatcher choose (see class docs)
   * @param defaultTimeout the time limit for tools that do not set their own
   * @param observer receives tool events
   * @param sessionObserver the session's observers
   * @param sessionName the session name, for {@link ToolContext#sessionName()}, logs and the MDC
   * @param scheduler times the calls
   * @param callerThread takes calls to run after the dispatching task; null to run every call on
   *     the executor; ignored with an application's executor
   */
  public ToolDispatcher(
      ToolRegistry registry,
      @Nullable Executor executor,
      Duration defaultTimeout,
      ToolObserver observer,
      LiveObserver sessionObserver,
      String sessionName,
      LiveScheduler scheduler,
      @Nullable CallerThread callerThread) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.defaultTimeout = Objects.requireNonNull(defaultTimeout, "defaultTimeout");
    if (defaultTimeout.isNegative() || defaultTimeout.isZero()) {
      throw new IllegalArgumentException("defaultTimeout must be positive, got " + defaultTimeout);
    }
    this.observer = Objects.requireNonNull(observer, "observer");
    this.sessionObserver = Objects.requireNonNull(sessionObserver, "sessionObserver");
    this.sessionName = Objects.requireNonNull(sessionName, "sessionName");
    this.timeouts = Objects.requireNonNull(scheduler, "scheduler");
    if (executor == null) {
      this.ownedExecutor = ToolThreads.newVirtualPerCall();
      this.executor =
          SessionMdc.wrap(sessionName, ownedExecutor != null ? ownedExecutor : ToolThreads.SHARED);
      this.callerThread = callerThread;
    } else {
      this.ownedExecutor = null;
      this.executor = SessionMdc.wrap(sessionName, executor);
      this.callerThread = null; // the application chose where its handlers run
    }
  }

  /**
   * Replaces the tools that later calls run: a call dispatched after this returns finds only these
   * (a call to a tool no longer declared gets the unknown-tool answer); calls already running go on
   * with the handler they started with. Any thread.
   *
   * @param tools the session's tools from now on
   */
  public void registry(ToolRegistry tools) {
    this.registry = Objects.requireNonNull(tools, "tools");
  }

  /**
   * One function call of a {@code toolCall} message.
   *
   * @param id the call's id, null when the service sent none (the answer then has none)
   * @param name the tool's name
   * @param args the arguments, a JSON object; the handler gets it as given, so pass a tree no one
   *     else changes
   */
  public record Request(@Nullable String id, String name, JsonNode args) {
    /** Checks the name and arguments. */
    public Request {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(args, "args");
    }
  }

  /**
   * Runs the calls of one {@code toolCall} message and answers them once with {@code responder}.
   * Returns at once. The SDK's types, over {@link #dispatch(List, Consumer)}.
   */
  public void dispatch(LiveServerToolCall toolCall, Consumer<LiveClientToolResponse> responder) {
    Objects.requireNonNull(toolCall, "toolCall");
    Objects.requireNonNull(responder, "responder");
    List<Request> requests = new ArrayList<>();
    for (FunctionCall fc : toolCall.functionCalls().orElse(List.of())) {
      requests.add(
          new Request(
              fc.id().orElse(null),
              fc.name().orElse(""),
              ToolJson.valueToTree(fc.args().orElse(Map.of()))));
    }
    dispatch(requests, body -> responder.accept(LiveClientToolResponse.fromJson(body.toString())));
  }

  /**
   * Runs the calls of one {@code toolCall} message and answers them once with {@code responder}:
   * the {@code toolResponse} message's body, {@code {"functionResponses": [...]}}, one response per
   * call not cancelled, in the calls' order. Returns at once.
   *
   * @return completes, never exceptionally, once the message is settled: the responder has
   *     returned, or it will not be called (every call was cancelled, or none was run)
   */
  public CompletableFuture<Void> dispatch(List<Request> requests, Consumer<ObjectNode> responder) {
    Objects.requireNonNull(requests, "requests");
    Objects.requireNonNull(responder, "responder");
    if (closed.get()) {
      log.debug("Session {}: ignoring a tool call after close", sessionName);
      return CompletableFuture.completedFuture(null);
    }
    ToolRegistry tools = registry;
    List<ToolCall> calls = new ArrayList<>();
    for (Request request : requests) {
      String id = request.id();
      String name = request.name();
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
      calls.add(new ToolCall(this, id, name, request.args(), tools.find(name).orElse(null)));
    }
    if (calls.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    pendingMessages.incrementAndGet();
    CompletableFuture<Void> settled = new CompletableFuture<>();
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
                settled.complete(null);
              }
            });
    for (ToolCall call : calls) {
      sessionObserver.toolCallStarted(call.event());
    }
    CallerThread caller = callerThread;
    for (ToolCall call : calls) {
      if (call.start(caller)) {
        caller = null; // it took its one call
      }
    }
    return settled;
  }

  private void answer(List<ToolCall> calls, Consumer<ObjectNode> out) {
    ObjectNode body = ToolJson.object();
    ArrayNode responses = body.putArray("functionResponses");
    for (ToolCall c : calls) {
      c.outcome.getNow(Optional.empty()).ifPresent(responses::add);
    }
    if (responses.isEmpty()) {
      log.debug("Session {}: every call of a tool call message was cancelled", sessionName);
      return;
    }
    try {
      out.accept(body);
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
      ToolCall c = running.get(id);
      if (c != null) {
        c.cancel();
      }
    }
  }

  /** Cancels every running call; none of them gets an answer. */
  public void cancelAll() {
    for (ToolCall c : List.copyOf(running.values())) {
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
    if (ownedExecutor != null) {
      ownedExecutor.shutdown();
    }
  }

  void notifyObserver(String event, Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      log.error("Session {}: ToolObserver.{} threw; ignored", sessionName, event, e);
    }
  }
}
