package dev.geminilive.internal;

import dev.geminilive.ContextUpdate;
import dev.geminilive.LiveConnectException;
import dev.geminilive.LiveException;
import dev.geminilive.LiveObserver.DisconnectCause;
import dev.geminilive.LiveScheduler;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionSpec;
import dev.geminilive.SessionState;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.Turn;
import dev.geminilive.flow.FlowPosition;
import dev.geminilive.internal.tools.ToolCallKeys;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The implementation of {@link ResilientLiveSession}: the public methods, and the wiring of the
 * parts that do the work.
 *
 * <p><b>Threads.</b> A session owns no thread. Its work runs as a serial queue of tasks ({@link
 * SerialQueue}) on the spec's {@link LiveScheduler}, shared with every other session: the state
 * machine ({@link SessionCore}), the handling of frames ({@link FrameHandler}) and the listener's
 * calls ({@link ListenerDispatcher}) all run there, one task at a time. A socket's reader thread
 * only stamps a frame, parses it and hands it to the queue: one hand-off from socket to listener.
 * {@code send*} runs on the caller's thread ({@link InputSender}) and goes to the socket under the
 * {@link OutboundQueue}'s lock, which orders every message. Tool handlers run on the tool executor
 * and answer through {@link #sendToolResponse}.
 */
public final class RealLiveSession implements ResilientLiveSession {
  private static final Logger log = LoggerFactory.getLogger(RealLiveSession.class);
  private static final AtomicInteger SESSION_NUMBERS = new AtomicInteger();

  /** How long a connection given up gets for its close handshake before its socket is cancelled. */
  static final Duration CLOSE_GRACE = Duration.ofSeconds(1);

  private static final int MAX_HISTORY_TURNS = 200;

  // The spec the session was built with: its connection, generation and resilience settings, which
  // a context update never changes. The instruction and tools in use are context's.
  private final SessionSpec spec;
  private final SessionContext context;
  private final LiveScheduler scheduler;
  private final String name;
  private final SessionThreads threads;
  private final SerialQueue queue;
  private final OutboundQueue outbound;
  private final ConversationLog conversation;
  private final SessionObserver observer;
  private final SessionCounters counters = new SessionCounters();
  private final ResumptionState resumption;
  private final ListenerDispatcher events;
  private final SessionCore core;
  private final FrameHandler frames;
  // The session's position in its flow, or null without one.
  private final @Nullable FlowRunner flow;
  private final ToolLoop tools;
  private final InputSender input;
  private final CompletableFuture<ResilientLiveSession> opened = new CompletableFuture<>();
  private final Termination termination;
  // How the session ended (null for a close); written once by end(), before the session's own
  // thread hold is let go, read when the last hold is.
  private volatile @Nullable LiveException endedWith;
  // Set on the connection's thread when setupComplete arrives; read by sessionId() anywhere.
  private volatile @Nullable String sessionId;

  private RealLiveSession(SessionSpec spec, Connector connector) {
    this.spec = spec;
    this.context = new SessionContext(spec);
    this.scheduler = spec.scheduler();
    this.name = "live-session-" + SESSION_NUMBERS.incrementAndGet();
    this.threads = new SessionThreads(name);
    this.queue = new SerialQueue(scheduler, threads);
    this.termination = new Termination(threads);
    this.outbound =
        new OutboundQueue(
            spec.sessionResumption(),
            spec.transparentResumption(),
            spec.maxQueuedBytes(),
            spec.replayWindow().toNanos());
    this.conversation = new ConversationLog(spec.history(), MAX_HISTORY_TURNS);
    this.observer = SessionObserver.create(name, spec);
    this.resumption = new ResumptionState(spec.initialHandle(), scheduler.nanoTime());
    this.events = new ListenerDispatcher(queue, spec.listener(), this);
    DroppedInput dropReport =
        new DroppedInput(this, spec.maxQueuedBytes(), counters, observer, events);
    ReplyLedger ledger = new ReplyLedger();
    this.core =
        new SessionCore(
            this,
            spec,
            queue,
            outbound,
            conversation,
            observer,
            events,
            counters,
            resumption,
            ledger,
            opened,
            this::end,
            this::closeGracefully);
    this.input = new InputSender(spec, queue, outbound, conversation, core, observer, dropReport);
    this.flow =
        spec.flow().isPresent()
            ? new FlowRunner(spec.flow().get(), this, this::updateContext, events)
            : null;
    FlowRunner runner = flow;
    ToolLoop.ToolResults results =
        (id, n, args, response) -> {
          if (runner != null) {
            runner.onResult(id, n, args, response);
          }
          ToolCallEvent call = new ToolCallEvent(ToolCallKeys.publicId(id), n, args);
          events.postToolResult(l -> l.onToolResult(this, call, response));
        };
    ToolLoop loop = ToolLoops.create(spec, name, observer, results, queue);
    this.tools = runner != null ? runner.wrap(loop, results) : loop;
    this.frames =
        new FrameHandler(
            this,
            spec,
            queue,
            outbound,
            conversation,
            observer,
            events,
            counters,
            resumption,
            ledger,
            core,
            tools,
            FrameHandler.wantsRawMessages(spec.listener()));
    core.wire(
        new ConnectionOpener(
            context,
            connector,
            queue,
            new SocketHandoff(queue, outbound, core, frames, id -> sessionId = id, this::end)),
        frames);
    // Termination waits for the last thread carrying the session's name to give it back.
    threads
        .released()
        .thenRun(
            () -> {
              LiveException failure = endedWith;
              if (failure == null) {
                termination.complete(null);
              } else {
                termination.completeExceptionally(failure);
              }
            });
  }

  /** Opens a session and waits for its first connection; an interrupt closes the session. */
  public static ResilientLiveSession connect(SessionSpec spec) {
    CompletableFuture<ResilientLiveSession> connecting = connectAsync(spec);
    try {
      return connecting.get();
    } catch (InterruptedException e) {
      connecting.cancel(false);
      Thread.currentThread().interrupt();
      throw new LiveException("Interrupted while connecting; the session was closed.", e);
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    }
  }

  /** Opens a session; the future completes when the first connection is set up. */
  public static CompletableFuture<ResilientLiveSession> connectAsync(SessionSpec spec) {
    return connectAsync(spec, Connector.forTransport(spec));
  }

  /**
   * Opens a session over the given connector. The caller gets a future of its own: completing it
   * (cancel, {@code orTimeout}, ...) before the session opened closes the session, and a session
   * that opens after the caller gave up is closed at once, so none is left without an owner.
   */
  public static CompletableFuture<ResilientLiveSession> connectAsync(
      SessionSpec spec, Connector connector) {
    RealLiveSession session = new RealLiveSession(spec, connector);
    CompletableFuture<ResilientLiveSession> callers = new CompletableFuture<>();
    session.opened.whenComplete(
        (s, e) -> {
          if (e != null) {
            callers.completeExceptionally(e);
          } else if (!callers.complete(s)) {
            session.close();
          }
        });
    callers.whenComplete(
        (s, e) -> {
          if (e != null) {
            session.close();
          }
        });
    session.queue.execute(session.core::start);
    return callers;
  }

  // ---------------------------------------------------------------- public API

  @Override
  public SessionSpec spec() {
    return context.spec();
  }

  /** The spec in use and the context updates that changed it. */
  SessionContext context() {
    return context;
  }

  @Override
  public Optional<FlowPosition> flow() {
    return Optional.ofNullable(flow);
  }

  @Override
  public SessionState state() {
    return outbound.state();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Optional<String> sessionId() {
    return Optional.ofNullable(sessionId);
  }

  @Override
  public Optional<String> resumptionHandle() {
    return Optional.ofNullable(resumption.handle());
  }

  @Override
  public Optional<LiveException> failure() {
    return Optional.ofNullable(outbound.failure());
  }

  @Override
  public SessionStats stats() {
    return new SessionStats(
        outbound.messagesSent(),
        outbound.messagesReplayed(),
        counters.framesReceived.get(),
        counters.connections,
        counters.reconnects,
        counters.audioDropped.get(),
        events.errors(),
        counters.malformedFrames.get(),
        counters.lastCloseReason);
  }

  @Override
  public CompletableFuture<Void> sendAudio(byte[] pcm16k) {
    return input.audio(pcm16k);
  }

  @Override
  public CompletableFuture<Void> sendAudio(ByteBuffer pcm16k) {
    return input.audio(pcm16k);
  }

  @Override
  public CompletableFuture<Void> sendText(String text) {
    return input.text(text);
  }

  @Override
  public CompletableFuture<Void> sendVideoFrame(byte[] jpeg) {
    return input.videoFrame(jpeg);
  }

  @Override
  public CompletableFuture<Void> endAudioStream() {
    return input.audioStreamEnd();
  }

  @Override
  public CompletableFuture<Void> activityStart() {
    return input.activityStart();
  }

  @Override
  public CompletableFuture<Void> activityEnd() {
    return input.activityEnd();
  }

  @Override
  public CompletableFuture<Void> sendHistory(List<Turn> turns, boolean turnComplete) {
    return input.history(turns, turnComplete);
  }

  @Override
  public CompletableFuture<Void> updateContext(ContextUpdate update) {
    return context.update(
        update,
        outbound.isTerminal() ? outbound.closedException() : null,
        spec.reconnectPolicy().enabled(),
        tools::useTools,
        input::contextUpdate,
        () -> queue.execute(core.watch()::contextChanged));
  }

  @Override
  public CompletableFuture<Void> termination() {
    return termination;
  }

  @Override
  public void close() {
    end(null);
  }

  // ---------------------------------------------------------------- send path

  /**
   * Sends the greeting that makes the agent speak first, if there is one; on the session's queue.
   */
  void greet() {
    input.greet();
  }

  /** The answer to the tool calls {@code ids}; on the thread that finished the last of them. */
  CompletableFuture<Void> sendToolResponse(String json, Set<String> ids) {
    return input.toolResponse(json, ids);
  }

  // ---------------------------------------------------------------- ending

  /** Ends the session: {@code failure} null for a normal close. Idempotent; any thread. */
  private void end(@Nullable LiveException failure) {
    OutboundQueue.Ending ending = outbound.close(failure);
    if (ending == null) {
      return;
    }
    Connection c = ending.connection();
    if (c != null) {
      observer.connectionClosed(c.ordinal(), DisconnectCause.CLIENT_CLOSE, 1000, "Client closing");
      closeGracefully(c);
    }
    core.abandonConnects();
    context.ended(failure != null ? failure : outbound.closedException());
    observer.sessionEnded(failure);
    if (failure != null) {
      if (opened.isDone()) {
        log.warn("{}: failed: {}", name, failure.getMessage());
      } else {
        // The first connect failed: the caller gets the exception, which is report enough.
        log.debug("{}: failed: {}", name, failure.getMessage());
      }
      opened.completeExceptionally(failure);
    } else {
      log.info("{}: closed", name);
      opened.completeExceptionally(outbound.closedException());
    }
    endedWith = failure;
    // The session's own hold goes once the listener has had its last call; termination follows
    // when the queue's thread and every socket's thread have their own names back.
    queue.execute(() -> core.finish(failure, threads::release));
  }

  /** Closes a connection gracefully, and at once if the close handshake takes too long. */
  private void closeGracefully(Connection c) {
    c.close(1000, "Client closing");
    scheduler.schedule("cancel connection " + c.ordinal(), CLOSE_GRACE, c::cancel);
  }

  /** The cause of a failed future, as the session reports it. */
  static LiveException unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof LiveException le) {
      return le;
    }
    return new LiveConnectException("Connection failed: " + t, true, t);
  }

  @Override
  public String toString() {
    return name + "[" + state() + ", model=" + spec.model() + "]";
  }
}
