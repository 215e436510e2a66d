package dev.geminilive.spring;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.ContextRestoration;
import dev.geminilive.ForwardingLiveListener;
import dev.geminilive.LiveException;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionSpec;
import dev.geminilive.ToolCallEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Opens the application's Live sessions and looks after them: it remembers how the last connect
 * went (for the health indicator), and when the application stops it lets running tool calls
 * answer, then closes every session, before the web server and the rest of the context stop.
 *
 * <pre>{@code
 * @Autowired LiveSessions sessions;
 * @Autowired ObjectProvider<LiveSessionBuilder> builders;
 *
 * ResilientLiveSession session = sessions.connect(builders.getObject().listener(ui));
 * }</pre>
 *
 * <p>Sessions opened straight from a builder ({@code builder.connect()}) work as well but are not
 * tracked: they are not closed at shutdown and do not count in the health indicator. Shutdown waits
 * at most {@code gemini.live.shutdown.tool-grace} for running tool calls; calls still running then
 * are cancelled by the close. Thread-safe.
 *
 * @since 0.1
 */
public final class LiveSessions implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(LiveSessions.class);

  /** How the most recent connect of any tracked session went. */
  public enum Outcome {
    /** A connection was set up (first connect or reconnect). */
    CONNECTED,
    /** A connection attempt failed; the session may still be retrying. */
    RETRYING,
    /** A session failed for good, or its first connect was refused. */
    FAILED
  }

  /**
   * The most recent connect of any tracked session.
   *
   * @param outcome how it went
   * @param at when
   * @param detail what happened, in words (close code and reason, never a secret); empty on success
   */
  public record ConnectOutcome(Outcome outcome, Instant at, String detail) {
    /**
     * Checks the arguments.
     *
     * @param outcome how it went
     * @param at when
     * @param detail what happened, in words; empty on success
     */
    public ConnectOutcome {
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(detail, "detail");
    }
  }

  private final Duration toolGrace;
  private final Clock clock;
  private final Executor toolThreads;
  // Tool tasks running on the executors of tracked sessions. The listener's count alone is not
  // enough: its onToolCall event can trail the tool's start on the session's event thread.
  private final AtomicInteger toolTasks = new AtomicInteger();
  // Session -> ids of its registered tool calls still running; written on each session's event
  // thread, read by the shutdown thread.
  private final Map<ResilientLiveSession, Set<String>> open = new ConcurrentHashMap<>();
  private final Object toolsDone = new Object();
  private volatile @Nullable ConnectOutcome lastConnect;
  private volatile boolean running;
  private volatile boolean stopping;

  /**
   * Creates the registry.
   *
   * @param toolGrace how long shutdown waits for running tool calls; zero or positive
   * @param clock the clock of the connect outcomes
   * @param toolThreads where tools of sessions without a tool executor of their own run
   */
  public LiveSessions(Duration toolGrace, Clock clock, Executor toolThreads) {
    Objects.requireNonNull(toolGrace, "toolGrace");
    if (toolGrace.isNegative()) {
      throw new IllegalArgumentException("toolGrace must not be negative: " + toolGrace);
    }
    this.toolGrace = toolGrace;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.toolThreads = Objects.requireNonNull(toolThreads, "toolThreads");
  }

  /**
   * Opens a session from {@code builder} and tracks it until it ends.
   *
   * @param builder the session to open; its listener still receives every event
   * @return the open session; close it when the conversation is over
   * @throws dev.geminilive.LiveConnectException when the first connect fails
   * @throws IllegalStateException when the application is shutting down
   */
  public ResilientLiveSession connect(LiveSessionBuilder builder) {
    return join(connectAsync(builder));
  }

  /**
   * Opens a session from {@code builder} without blocking and tracks it until it ends.
   *
   * @param builder the session to open; its listener still receives every event
   * @return a future of the open session, or of the {@link LiveException} that refused it
   * @throws IllegalStateException when the application is shutting down
   */
  public CompletableFuture<ResilientLiveSession> connectAsync(LiveSessionBuilder builder) {
    Objects.requireNonNull(builder, "builder");
    if (stopping) {
      throw new IllegalStateException("The application is shutting down: no new Live sessions.");
    }
    SessionSpec spec = builder.build();
    Tracker tracker = new Tracker(spec.listener());
    Executor tools = spec.toolExecutor() != null ? spec.toolExecutor() : toolThreads;
    return spec.toBuilder()
        .listener(tracker)
        .toolExecutor(counting(tools))
        .connectAsync()
        .whenComplete(
            (session, failure) -> {
              if (failure != null) {
                record(Outcome.FAILED, describe(failure));
                return;
              }
              // Also done by onOpen, which runs later on the session's event thread: recorded
              // here too, the outcome is visible as soon as the caller has the session.
              track(session);
              record(Outcome.CONNECTED, "");
              if (stopping) {
                session.close(); // raced with shutdown: do not leave it open
              }
            });
  }

  /**
   * How the most recent connect went.
   *
   * @return the outcome, or empty before any tracked session connected
   */
  public Optional<ConnectOutcome> lastConnect() {
    return Optional.ofNullable(lastConnect);
  }

  /**
   * The tracked sessions still open.
   *
   * @return how many sessions this registry opened that have not ended
   */
  public int openSessions() {
    return open.size();
  }

  /**
   * Tool calls still running in tracked sessions.
   *
   * @return the number of registered tool calls that have not answered or been cancelled
   */
  public int toolCallsInFlight() {
    return Math.max(toolTasks.get(), open.values().stream().mapToInt(Set::size).sum());
  }

  @Override
  public void start() {
    running = true;
  }

  /**
   * Stops accepting sessions, waits up to the grace period for running tool calls to answer, then
   * closes every tracked session.
   */
  @Override
  public void stop() {
    stopping = true;
    long deadline = System.nanoTime() + toolGrace.toNanos();
    synchronized (toolsDone) {
      long left;
      while (toolCallsInFlight() > 0 && (left = deadline - System.nanoTime()) > 0) {
        try {
          toolsDone.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    int cancelled = toolCallsInFlight();
    List<ResilientLiveSession> sessions = List.copyOf(open.keySet());
    if (!sessions.isEmpty()) {
      log.info(
          "Closing {} Live session(s) before shutdown ({} tool call(s) still running are"
              + " cancelled)",
          sessions.size(),
          cancelled);
    }
    sessions.forEach(ResilientLiveSession::close);
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Stops before the web server's graceful shutdown (a lower phase), so sessions end first. */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE;
  }

  private Executor counting(Executor delegate) {
    return task -> {
      toolTasks.incrementAndGet();
      Runnable counted =
          () -> {
            try {
              task.run();
            } finally {
              toolTasks.decrementAndGet();
              synchronized (toolsDone) {
                toolsDone.notifyAll();
              }
            }
          };
      try {
        delegate.execute(counted);
      } catch (RuntimeException e) {
        toolTasks.decrementAndGet();
        throw e;
      }
    };
  }

  private void record(Outcome outcome, String detail) {
    lastConnect = new ConnectOutcome(outcome, clock.instant(), detail);
  }

  private static String describe(Throwable failure) {
    Throwable t =
        failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    return t instanceof LiveException ? t.getMessage() : t.getClass().getSimpleName();
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  private void toolFinished(ResilientLiveSession session, List<String> ids) {
    Set<String> running = open.get(session);
    if (running != null && running.removeAll(ids)) {
      synchronized (toolsDone) {
        toolsDone.notifyAll();
      }
    }
  }

  private void track(ResilientLiveSession session) {
    if (!session.state().isTerminal()) {
      open.computeIfAbsent(session, s -> ConcurrentHashMap.newKeySet());
    }
  }

  private void ended(ResilientLiveSession session) {
    open.remove(session);
    synchronized (toolsDone) {
      toolsDone.notifyAll();
    }
  }

  /** Sits in front of the application's listener; runs on the session's event thread. */
  private final class Tracker extends ForwardingLiveListener {
    Tracker(dev.geminilive.LiveListener delegate) {
      super(delegate);
    }

    @Override
    public void onOpen(ResilientLiveSession session) {
      track(session);
      record(Outcome.CONNECTED, "");
      super.onOpen(session);
    }

    @Override
    public void onReconnecting(ResilientLiveSession session, Reconnecting event) {
      if (!event.planned() && event.attempt() > 1) {
        record(Outcome.RETRYING, event.cause());
      }
      super.onReconnecting(session, event);
    }

    @Override
    public void onReconnected(ResilientLiveSession session, ContextRestoration restoration) {
      record(Outcome.CONNECTED, "");
      super.onReconnected(session, restoration);
    }

    @Override
    public void onToolCall(ResilientLiveSession session, ToolCallEvent call) {
      Set<String> running = open.get(session);
      if (running != null && session.spec().tools().find(call.name()).isPresent()) {
        running.add(call.id());
      }
      super.onToolCall(session, call);
    }

    @Override
    public void onToolResult(ResilientLiveSession session, ToolCallEvent call, JsonNode result) {
      toolFinished(session, List.of(call.id()));
      super.onToolResult(session, call, result);
    }

    @Override
    public void onToolCallCancelled(ResilientLiveSession session, List<String> ids) {
      toolFinished(session, ids);
      super.onToolCallCancelled(session, ids);
    }

    @Override
    public void onClosed(ResilientLiveSession session) {
      ended(session);
      super.onClosed(session);
    }

    @Override
    public void onFailure(ResilientLiveSession session, LiveException failure) {
      ended(session);
      record(Outcome.FAILED, failure.getMessage());
      super.onFailure(session, failure);
    }
  }

  @Override
  public String toString() {
    return "LiveSessions[open=" + open.size() + ", toolGrace=" + toolGrace + "]";
  }
}
