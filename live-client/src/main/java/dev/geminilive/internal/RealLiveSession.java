package dev.geminilive.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.geminilive.AudioChunk;
import dev.geminilive.ContextRestoration;
import dev.geminilive.LiveAuth;
import dev.geminilive.LiveConnectException;
import dev.geminilive.LiveException;
import dev.geminilive.LiveListener;
import dev.geminilive.LiveObserver.DisconnectCause;
import dev.geminilive.LiveProtocolException;
import dev.geminilive.LiveSessionClosedException;
import dev.geminilive.ReconnectPolicy;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionSpec;
import dev.geminilive.SessionState;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.Transport;
import dev.geminilive.Turn;
import dev.geminilive.Usage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The implementation of {@link ResilientLiveSession}.
 *
 * <p>Threads: a <em>control</em> thread owns the state machine, timers and frame handling; a
 * <em>events</em> thread ({@link ListenerEvents}) calls the listener. Socket reader threads only
 * stamp and hand over frames. The send path runs on the caller's thread under {@link #lock}, which
 * orders every frame.
 */
public final class RealLiveSession implements ResilientLiveSession {
  private static final Logger log = LoggerFactory.getLogger(RealLiveSession.class);
  private static final AtomicInteger SESSION_NUMBERS = new AtomicInteger();

  /** Audio is dropped (counted) rather than queued beyond this many bytes in a socket's queue. */
  static final long SOCKET_QUEUE_LIMIT_BYTES = 4L * 1024 * 1024;

  /**
   * Runs token suppliers and credential refreshes, which may block: shared by all sessions, daemon
   * threads that end when idle.
   */
  private static final java.util.concurrent.ExecutorService CREDENTIALS =
      HttpClients.daemonExecutor("gemini-live-credentials", java.time.Duration.ofSeconds(1));

  /** Listener events allowed to wait before the session fails as hopelessly behind. */
  static final int MAX_PENDING_EVENTS = 200_000;

  private static final int MAX_HISTORY_TURNS = 200;

  /** How the close reason of a connection the session gave up on as stalled begins. */
  private static final String STALLED = "stalled: ";

  enum Kind {
    AUDIO,
    VIDEO,
    TEXT,
    CONTROL,
    CLIENT_CONTENT,
    TOOL_RESPONSE
  }

  /** One client message with its session-wide index. */
  static final class Outgoing {
    final Kind kind;
    final String json;
    final long createdNanos;
    final CompletableFuture<Void> future = new CompletableFuture<>();
    final Set<String> toolCallIds;
    // Where in the conversation log this message begins (its own words or what answers it).
    final long logSeq;
    long index;

    Outgoing(Kind kind, String json, Set<String> toolCallIds, long logSeq) {
      this.kind = kind;
      this.json = json;
      this.createdNanos = System.nanoTime();
      this.toolCallIds = toolCallIds;
      this.logSeq = logSeq;
    }

    int bytes() {
      return json.length();
    }
  }

  private final SessionSpec spec;
  private final LiveListener listener;
  private final Connector connector;
  private final ReconnectPolicy policy;
  private final String name;
  private final ScheduledThreadPoolExecutor control;
  private final ListenerEvents events;
  private final ToolLoop tools;
  // Metrics and tracing: told what happens, never asked anything (called from the control thread,
  // tool threads and senders' threads; see LiveObserver).
  private final SessionObserver observer;
  private final ConversationLog conversation;
  private final CompletableFuture<ResilientLiveSession> opened = new CompletableFuture<>();
  private final CompletableFuture<Void> termination = new CompletableFuture<>();
  private final Connection.Handler handler = new Handler();
  // Raw messages cost one listener task per frame: only queued for listeners that read them.
  private final boolean wantsRawMessages;

  private final Object lock = new Object();

  // Guarded by lock.
  private SessionState state = SessionState.CONNECTING;
  private @Nullable Connection current;
  private long nextIndex;
  private final ArrayDeque<Outgoing> unconfirmed = new ArrayDeque<>();
  private final ArrayDeque<Outgoing> pending = new ArrayDeque<>();
  private long bufferedBytes;
  private @Nullable LiveException failure;
  private final Set<String> staleToolCalls = new HashSet<>();
  // What was sent on the current connection, in order (null for frames outside the index, such as
  // seeded history): the service's lastConsumedClientMessageIndex counts positions in this list.
  private final ArrayList<@Nullable Outgoing> sentOnConnection = new ArrayList<>();
  private int confirmedPositions;

  private volatile long lastSentIndex = -1;
  private volatile long lastFrameNanos;
  private volatile @Nullable String handle;
  // The conversation log's position when the newest handle arrived (guarded by lock).
  private long handleLogSeq;
  private volatile @Nullable String sessionId;
  private volatile @Nullable String lastCloseReason;

  private final AtomicLong messagesSent = new AtomicLong();
  private final AtomicLong messagesReplayed = new AtomicLong();
  private final AtomicLong framesReceived = new AtomicLong();
  private final AtomicLong audioDropped = new AtomicLong();
  private final AtomicLong listenerErrors = new AtomicLong();
  private final AtomicLong malformedFrames = new AtomicLong();

  // Written by the control thread only; volatile so that stats() may read them from any thread.
  private volatile int connectionCount;
  private volatile int reconnects;

  // Control thread only.
  // Attempts in the current outage (a connection set up ends the outage).
  private int attempt;
  // Position in the policy's backoff: carried across outages until a connection is stable.
  private int backoffStep;
  // Resumes that failed since the last connection was installed.
  private int resumesFailed;
  // This outage already fell back to a fresh session after a resume refused with 1007.
  private boolean rebuiltAfterInvalidResume;
  private long outageStartNanos;
  private long connectedAtNanos;
  private boolean generating;
  // Set (any thread) when input that asks for an answer was sent; cleared by the next frame.
  private volatile boolean awaitingReply;
  private volatile long askedNanos;

  private void askedForReply() {
    askedNanos = System.nanoTime();
    awaitingReply = true;
    observer.replyRequested();
  }

  private boolean handleFresh;
  private boolean goAwayPending;
  private int handleSeq;
  private final java.util.Map<String, Integer> toolCallEpochs = new java.util.HashMap<>();
  private final Set<String> toolsInFlight = new HashSet<>();
  private @Nullable ScheduledFuture<?> goAwayTimer;
  private @Nullable ScheduledFuture<?> stallWatch;
  private volatile @Nullable Connection switchingFrom;
  private @Nullable String handleUsedForOpening;

  private RealLiveSession(SessionSpec spec, Connector connector) {
    this.spec = spec;
    this.listener = spec.listener();
    this.connector = connector;
    this.policy = spec.reconnectPolicy();
    this.name = "live-session-" + SESSION_NUMBERS.incrementAndGet();
    this.observer = SessionObserver.create(name, spec);
    this.control = new ScheduledThreadPoolExecutor(1, r -> daemon(r, name + "-control", name));
    this.control.setRemoveOnCancelPolicy(true);
    this.events = new ListenerEvents(name + "-events", name);
    this.tools =
        ToolLoops.create(
            spec,
            name,
            observer,
            (id, n, args, response) ->
                post(l -> l.onToolResult(this, new ToolCallEvent(id, n, args), response)));
    this.conversation = new ConversationLog(spec.history(), MAX_HISTORY_TURNS);
    this.handle = spec.initialHandle();
    this.wantsRawMessages = overrides(listener, "onRawMessage", JsonNode.class);
  }

  private static boolean overrides(LiveListener listener, String method, Class<?> argument) {
    try {
      return listener
              .getClass()
              .getMethod(method, ResilientLiveSession.class, argument)
              .getDeclaringClass()
          != LiveListener.class;
    } catch (NoSuchMethodException e) {
      return true;
    }
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
    Connector connector =
        spec.transport() == Transport.SDK
            ? new SdkConnector(spec)
            : new OkHttpConnector(
                spec.httpClient() != null ? spec.httpClient() : HttpClients.defaultClient());
    return connectAsync(spec, connector);
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
    session.control.execute(session::openFirst);
    return callers;
  }

  // ---------------------------------------------------------------- public API

  @Override
  public SessionSpec spec() {
    return spec;
  }

  @Override
  public SessionState state() {
    synchronized (lock) {
      return state;
    }
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
    return Optional.ofNullable(handle);
  }

  @Override
  public Optional<LiveException> failure() {
    synchronized (lock) {
      return Optional.ofNullable(failure);
    }
  }

  @Override
  public SessionStats stats() {
    return new SessionStats(
        messagesSent.get(),
        messagesReplayed.get(),
        framesReceived.get(),
        connectionCount,
        reconnects,
        audioDropped.get(),
        listenerErrors.get(),
        malformedFrames.get(),
        lastCloseReason);
  }

  @Override
  public CompletableFuture<Void> sendAudio(byte[] pcm16k) {
    Objects.requireNonNull(pcm16k, "pcm16k");
    if (pcm16k.length % 2 != 0) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "PCM16 audio must have an even number of bytes; got " + pcm16k.length));
    }
    if (pcm16k.length == 0) {
      return CompletableFuture.completedFuture(null);
    }
    return enqueue(
        Kind.AUDIO, Frames.audio(pcm16k, 0, pcm16k.length), Set.of(), conversation.nextSeq());
  }

  @Override
  public CompletableFuture<Void> sendAudio(ByteBuffer pcm16k) {
    Objects.requireNonNull(pcm16k, "pcm16k");
    byte[] bytes = new byte[pcm16k.remaining()];
    pcm16k.get(bytes);
    return sendAudio(bytes);
  }

  @Override
  public CompletableFuture<Void> sendText(String text) {
    Objects.requireNonNull(text, "text");
    long seq = conversation.userText(text);
    askedForReply();
    return enqueue(Kind.TEXT, Frames.text(text), Set.of(), seq);
  }

  @Override
  public CompletableFuture<Void> sendVideoFrame(byte[] jpeg) {
    Objects.requireNonNull(jpeg, "jpeg");
    return enqueue(Kind.VIDEO, Frames.video(jpeg), Set.of(), conversation.nextSeq());
  }

  @Override
  public CompletableFuture<Void> endAudioStream() {
    askedForReply();
    return enqueue(Kind.CONTROL, Frames.audioStreamEnd(), Set.of(), conversation.nextSeq());
  }

  @Override
  public CompletableFuture<Void> activityStart() {
    return enqueue(Kind.CONTROL, Frames.activityStart(), Set.of(), conversation.nextSeq());
  }

  @Override
  public CompletableFuture<Void> activityEnd() {
    askedForReply();
    return enqueue(Kind.CONTROL, Frames.activityEnd(), Set.of(), conversation.nextSeq());
  }

  @Override
  public CompletableFuture<Void> sendHistory(List<Turn> turns, boolean turnComplete) {
    Objects.requireNonNull(turns, "turns");
    if (isTerminal()) {
      return CompletableFuture.failedFuture(closedException());
    }
    if (!spec.profile().clientContentAnytime()) {
      return CompletableFuture.failedFuture(
          new dev.geminilive.LiveConfigException(
              "sendHistory",
              spec.model()
                  + " accepts client content only as the initial history, and is reported to close"
                  + " the session (1007) when it arrives later. Seed history with"
                  + " LiveSessionBuilder.history(...), and send user text with sendText(...)."));
    }
    long seq = conversation.nextSeq();
    for (Turn t : turns) {
      conversation.sentTurn(t);
    }
    if (turnComplete) {
      askedForReply();
    }
    return enqueue(Kind.CLIENT_CONTENT, Frames.clientContent(turns, turnComplete), Set.of(), seq);
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

  private CompletableFuture<Void> enqueue(Kind kind, String json, Set<String> toolCallIds) {
    return enqueue(kind, json, toolCallIds, Long.MAX_VALUE);
  }

  private CompletableFuture<Void> enqueue(
      Kind kind, String json, Set<String> toolCallIds, long logSeq) {
    Outgoing o = new Outgoing(kind, json, toolCallIds, logSeq);
    List<Outgoing> dropped = null;
    boolean droppedBySocket = false;
    boolean sent = false;
    synchronized (lock) {
      if (state.isTerminal()) {
        return CompletableFuture.failedFuture(closedException());
      }
      if (kind == Kind.TOOL_RESPONSE && staleToolCalls.containsAll(toolCallIds)) {
        log.debug("{}: dropping a tool response for calls the resumed session never saw", name);
        staleToolCalls.removeAll(toolCallIds);
        return CompletableFuture.completedFuture(null);
      }
      o.index = nextIndex++;
      Connection c = current;
      if (state == SessionState.ACTIVE && c != null && pending.isEmpty()) {
        if (kind == Kind.AUDIO && c.queueSize() > SOCKET_QUEUE_LIMIT_BYTES) {
          dropped = List.of(o);
          droppedBySocket = true;
        } else if (c.send(json)) {
          sentLocked(o);
          sent = true;
        } else {
          queueLocked(o);
        }
      } else {
        queueLocked(o);
      }
      trimReplayLocked();
      List<Outgoing> overflow = enforceBoundLocked();
      if (!overflow.isEmpty()) {
        dropped = dropped == null ? overflow : concat(dropped, overflow);
      }
    }
    if (sent) {
      o.future.complete(null);
    }
    if (dropped != null) {
      reportDropped(
          dropped,
          droppedBySocket
              ? "the connection's send queue holds more than "
                  + SOCKET_QUEUE_LIMIT_BYTES / (1024 * 1024)
                  + " MiB (input is sent faster than the network takes it)"
              : "the replay and reconnect queue is over its bound (maxQueuedBytes="
                  + spec.maxQueuedBytes()
                  + ") while the connection is slow or reconnecting");
    }
    return o.future;
  }

  private void sentLocked(Outgoing o) {
    trackPosition(o);
    if (spec.sessionResumption()) {
      // Without resumption there is nothing to replay into: keep no copy.
      unconfirmed.addLast(o);
      bufferedBytes += o.bytes();
    }
    lastSentIndex = o.index;
    messagesSent.incrementAndGet();
  }

  private void queueLocked(Outgoing o) {
    pending.addLast(o);
    bufferedBytes += o.bytes();
  }

  /** Only transparent resumption needs positions; otherwise nothing is kept per connection. */
  private void trackPosition(@Nullable Outgoing o) {
    if (spec.transparentResumption()) {
      sentOnConnection.add(o);
    }
  }

  /** Audio and video too old to be worth replaying leave the replay buffer. */
  private void trimReplayLocked() {
    long limit = System.nanoTime() - spec.replayWindow().toNanos();
    Iterator<Outgoing> it = unconfirmed.iterator();
    while (it.hasNext()) {
      Outgoing o = it.next();
      if (o.createdNanos - limit >= 0) {
        break;
      }
      if (o.kind == Kind.AUDIO || o.kind == Kind.VIDEO) {
        it.remove();
        bufferedBytes -= o.bytes();
      }
    }
  }

  /** Drops the oldest audio when the buffers exceed their bound; never text or tool responses. */
  private List<Outgoing> enforceBoundLocked() {
    if (bufferedBytes <= spec.maxQueuedBytes()) {
      return List.of();
    }
    // First forget replay copies of audio already sent, then drop queued audio.
    for (Iterator<Outgoing> it = unconfirmed.iterator();
        it.hasNext() && bufferedBytes > spec.maxQueuedBytes(); ) {
      Outgoing o = it.next();
      if (o.kind == Kind.AUDIO || o.kind == Kind.VIDEO) {
        it.remove();
        bufferedBytes -= o.bytes();
      }
    }
    List<Outgoing> dropped = new ArrayList<>();
    for (Iterator<Outgoing> it = pending.iterator();
        it.hasNext() && bufferedBytes > spec.maxQueuedBytes(); ) {
      Outgoing o = it.next();
      if (o.kind == Kind.AUDIO || o.kind == Kind.VIDEO) {
        it.remove();
        bufferedBytes -= o.bytes();
        dropped.add(o);
      }
    }
    return dropped;
  }

  private void reportDropped(List<Outgoing> dropped, String why) {
    long before = audioDropped.getAndAdd(dropped.size());
    observer.audioDropped(dropped.size());
    LiveException e =
        new LiveException(
            "Input audio dropped: "
                + why
                + "; "
                + (before + dropped.size())
                + " chunks dropped so far.");
    for (Outgoing o : dropped) {
      o.future.completeExceptionally(e);
    }
    if (before == 0 || (before + dropped.size()) / 100 > before / 100) {
      log.warn("{}: {}", name, e.getMessage());
      post(l -> l.onError(this, e));
    }
  }

  private static List<Outgoing> concat(List<Outgoing> a, List<Outgoing> b) {
    List<Outgoing> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  // ---------------------------------------------------------------- connecting

  private void openFirst() {
    CompletableFuture<Connection> opening = open(handle, false);
    int number = connectionCount;
    opening.whenCompleteAsync(
        (c, e) -> {
          if (e != null) {
            LiveException ex = unwrap(e);
            observer.connectionFailed(number, ex);
            LiveException first =
                ex instanceof dev.geminilive.LiveAuthException lae
                    ? new dev.geminilive.LiveAuthException(
                        "The first connection failed (not retried): " + ex.getMessage(),
                        lae.closeCode(),
                        lae.closeReason(),
                        ex)
                    : ex instanceof LiveConnectException lce
                        ? new LiveConnectException(
                            "The first connection failed (not retried): " + ex.getMessage(),
                            lce.closeCode(),
                            lce.closeReason(),
                            false,
                            ex)
                        : ex;
            end(first);
          }
        },
        control);
  }

  /**
   * Opens a connection; {@link Handler#onReady} installs it. The credentials come first, off the
   * control thread: a token supplier and a Google credentials refresh may block on the network, and
   * frames, timers and {@code close()} must not wait for them.
   */
  private CompletableFuture<Connection> open(@Nullable String withHandle, boolean rebuild) {
    return CompletableFuture.supplyAsync(this::resolveEndpoint, CREDENTIALS)
        .thenComposeAsync(endpoint -> open(endpoint, withHandle, rebuild), control);
  }

  /** Any thread: asks the token supplier or the credentials for this connection's endpoint. */
  private Endpoint resolveEndpoint() {
    try {
      String token = null;
      if (spec.auth() instanceof LiveAuth.EphemeralToken t) {
        token = t.tokens().get();
      }
      return Endpoint.resolve(spec, token);
    } catch (LiveException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new LiveConnectException("Could not open a connection: " + e, false, e);
    }
  }

  /** Control thread: starts the connect to an endpoint whose credentials are ready. */
  private CompletableFuture<Connection> open(
      Endpoint endpoint, @Nullable String withHandle, boolean rebuild) {
    if (isTerminal()) {
      return CompletableFuture.failedFuture(closedException());
    }
    try {
      boolean first = connectionCount == 0;
      boolean seed = rebuild || (first && !spec.history().isEmpty() && withHandle == null);
      String setup =
          Frames.setup(
              endpoint.modelPath(),
              spec.toLiveConnectConfig(withHandle),
              endpoint.vertex(),
              seed && !spec.profile().clientContentAnytime());
      connectionCount++;
      observer.connectionStarted(connectionCount, withHandle != null);
      handleUsedForOpening = withHandle;
      synchronized (lock) {
        logSeqOfOpeningHandle = handleLogSeq;
      }
      rebuildOnOpen = rebuild;
      CompletableFuture<Connection> c =
          connector.connect(
              new ConnectRequest(
                  endpoint.url(),
                  endpoint.headers(),
                  setup,
                  spec.connectTimeout(),
                  spec.pingInterval(),
                  connectionCount),
              handler);
      connecting = c;
      if (isTerminal() && !c.cancel(false)) {
        // close() came while this connect was being started: end() may have missed it.
        c.thenAccept(RealLiveSession::closeAndCancelLater);
      }
      return c;
    } catch (LiveException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new LiveConnectException("Could not open a connection: " + e, false, e));
    }
  }

  private boolean rebuildOnOpen;
  private long logSeqOfOpeningHandle;
  // The newest connect started (written on the control thread, read by end() on any thread).
  private volatile @Nullable CompletableFuture<Connection> connecting;
  // Control thread only: messages replayed onto the connection being installed.
  private int replayedNow;
  // Control thread only: whether the current model turn has shown content yet.
  private boolean modelTurnOpen;

  /** Control thread: a connection finished its setup. */
  private void installed(Connection c) {
    boolean first = reconnects == 0 && !opened.isDone();
    boolean rebuild = rebuildOnOpen;
    String usedHandle = handleUsedForOpening;
    List<Outgoing> toComplete = new ArrayList<>();
    synchronized (lock) {
      if (state.isTerminal()) {
        c.close(1000, "Client closing");
        return;
      }
      current = c;
      state = SessionState.ACTIVE;
      resumesFailed = 0;
      sentOnConnection.clear();
      confirmedPositions = 0;
      sessionId = c.sessionId();
      connectedAtNanos = System.nanoTime();
      lastFrameNanos = connectedAtNanos;
      generating = false;
      handleFresh = usedHandle != null;
      goAwayPending = false;
      List<Outgoing> replay = new ArrayList<>();
      // Tool responses first: the resumed session may be waiting for them.
      for (Outgoing o : unconfirmed) {
        if (o.kind == Kind.TOOL_RESPONSE && !staleToolCalls.containsAll(o.toolCallIds)) {
          replay.add(o);
        }
      }
      long limit = System.nanoTime() - spec.replayWindow().toNanos();
      for (Outgoing o : unconfirmed) {
        boolean stale =
            (o.kind == Kind.AUDIO || o.kind == Kind.VIDEO) && o.createdNanos - limit < 0;
        if (o.kind != Kind.TOOL_RESPONSE && !stale) {
          replay.add(o);
        }
      }
      int replayed = replay.size();
      replayedNow = 0;
      for (Outgoing o : pending) {
        if (o.kind == Kind.TOOL_RESPONSE && staleToolCalls.containsAll(o.toolCallIds)) {
          toComplete.add(o);
        } else {
          replay.add(o);
        }
      }
      List<Turn> seed = null;
      if (rebuild) {
        // What is replayed below must not be in the seed too, or the model gets it twice.
        long firstReplayed = Long.MAX_VALUE;
        for (Outgoing o : replay) {
          firstReplayed = Math.min(firstReplayed, o.logSeq);
        }
        seed = conversation.snapshot(firstReplayed);
        conversation.forgetServiceWordsFrom(firstReplayed);
      } else if (first && usedHandle == null && !spec.history().isEmpty()) {
        seed = spec.history();
      }
      if (usedHandle != null) {
        // The resumed service is back where the handle was; its later words are not in its state.
        conversation.forgetServiceWordsFrom(logSeqOfOpeningHandle);
      }
      if (seed != null && !seed.isEmpty()) {
        // On models that take client content only as initial history, it must say turnComplete.
        boolean turnComplete = !spec.profile().clientContentAnytime();
        c.send(Frames.clientContent(seed, turnComplete));
        trackPosition(null);
      }
      unconfirmed.clear();
      pending.clear();
      bufferedBytes = 0;
      // Stale marks matter only for answers still to come: those of calls still running.
      staleToolCalls.retainAll(toolsInFlight);
      boolean alive = true;
      int i = 0;
      for (Outgoing o : replay) {
        if (alive && c.send(o.json)) {
          trackPosition(o);
          unconfirmed.addLast(o);
          bufferedBytes += o.bytes();
          lastSentIndex = Math.max(lastSentIndex, o.index);
          if (i < replayed) {
            messagesReplayed.incrementAndGet();
            replayedNow++;
          } else {
            messagesSent.incrementAndGet();
            toComplete.add(o);
          }
        } else {
          alive = false;
          pending.addLast(o);
          bufferedBytes += o.bytes();
        }
        i++;
      }
    }
    for (Outgoing o : toComplete) {
      o.future.complete(null);
    }
    observer.connectionOpened(c.ordinal(), c.sessionId());
    if (replayedNow > 0) {
      observer.messagesReplayed(replayedNow);
    }
    modelTurnOpen = false;
    startStallWatch();
    if (first) {
      log.info("{}: connected to {} (session id {})", name, spec.model(), c.sessionId());
      post(l -> l.onOpen(this));
      opened.complete(this);
      if (spec.greeting() != null) {
        String g = spec.greeting();
        if (spec.profile().clientContentAnytime()) {
          enqueue(Kind.CLIENT_CONTENT, Frames.clientContent(List.of(Turn.user(g)), true), Set.of());
        } else {
          enqueue(Kind.TEXT, Frames.text(g), Set.of());
        }
      }
    } else {
      reconnects++;
      // The outage is over: the next one counts its attempts from 1 again.
      attempt = 0;
      rebuiltAfterInvalidResume = false;
      ContextRestoration restoration =
          usedHandle != null
              ? ContextRestoration.RESUMED
              : rebuild ? ContextRestoration.REBUILT_FROM_HISTORY : ContextRestoration.LOST;
      log.info("{}: reconnected ({}), connection {}", name, restoration, c.ordinal());
      observer.reconnected(restoration);
      post(l -> l.onReconnected(this, restoration));
    }
  }

  /** Control thread: a connection ended. */
  private void closed(Connection c, int code, String reason, @Nullable Throwable failure) {
    if (c == switchingFrom) {
      switchingFrom = null;
      scheduleAttempt("planned move after goAway", true);
      return;
    }
    synchronized (lock) {
      if (c != current || state.isTerminal()) {
        return;
      }
      current = null;
      state = SessionState.RESUMING;
    }
    lastCloseReason = CloseCodes.describe(code, reason);
    cancelTimers();
    LiveConnectException e =
        CloseCodes.classify(
            "Connection " + c.ordinal() + " to " + spec.model(), code, reason, failure);
    log.warn("{}: {}", name, e.getMessage());
    if (CloseCodes.isHandleRefused(code, reason)) {
      handle = null;
    }
    boolean renewableToken = CloseCodes.isTokenSpent(code, reason) && renewableTokens();
    boolean refused = !e.isRetryable() && !renewableToken;
    observer.connectionClosed(
        c.ordinal(),
        refused
            ? DisconnectCause.REFUSED
            : reason.startsWith(STALLED)
                ? DisconnectCause.STALLED
                : code == 0 ? DisconnectCause.NETWORK : DisconnectCause.SERVER_CLOSE,
        code,
        reason);
    if (refused) {
      end(e);
      return;
    }
    if (generating) {
      // The reply was cut off; the resumed model answers again, so stale audio must stop.
      observer.interrupted();
      post(l -> l.onInterrupted(this));
    }
    beginOutage();
    scheduleAttempt(lastCloseReason, false);
  }

  /**
   * A connection that was set up has ended: a new outage begins. Its attempts count from 1 (the
   * last outage ended when a connection was set up); the backoff starts again from the policy's
   * first delay only if that connection had stayed up for the stable period, so that a service that
   * drops every connection soon after accepting it is not redialled ever faster.
   */
  private void beginOutage() {
    long now = System.nanoTime();
    if (now - connectedAtNanos >= policy.stablePeriod().toNanos()) {
      backoffStep = 0;
    }
    attempt = 0;
    outageStartNanos = now;
    generating = false;
    markToolCallsStale();
  }

  /** Tool calls made after the handle we will resume from are unknown to the resumed session. */
  private void markToolCallsStale() {
    synchronized (lock) {
      for (var e : toolCallEpochs.entrySet()) {
        if (e.getValue() >= handleSeq) {
          staleToolCalls.add(e.getKey());
        }
      }
    }
  }

  private void scheduleAttempt(String cause, boolean planned) {
    if (isTerminal()) {
      return;
    }
    attempt++;
    long elapsed = System.nanoTime() - outageStartNanos;
    boolean immediate = planned && attempt == 1;
    if (immediate) {
      outageStartNanos = System.nanoTime();
      elapsed = 0;
    }
    if (!policy.enabled()
        || attempt > policy.maxAttempts()
        || reconnects >= policy.maxReconnects()
        || (attempt > 1 && elapsed > policy.maxOutage().toNanos())) {
      end(
          new LiveConnectException(
              "Gave up reconnecting after "
                  + (attempt - 1)
                  + " attempt(s) and "
                  + reconnects
                  + " reconnect(s) in this session; last problem: "
                  + cause
                  + ". ("
                  + policy
                  + ")",
              false,
              null));
      return;
    }
    // A planned move's first attempt has no delay and does not advance the backoff.
    Duration delay =
        immediate
            ? Duration.ZERO
            : policy.delay(++backoffStep, () -> ThreadLocalRandom.current().nextDouble());
    Reconnecting event = new Reconnecting(attempt, delay, planned, cause);
    observer.reconnecting(event);
    post(l -> l.onReconnecting(this, event));
    control.schedule(this::attemptReconnect, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void attemptReconnect() {
    if (isTerminal()) {
      return;
    }
    String h = handle;
    if (h != null && resumesFailed >= Math.max(2, policy.maxAttempts() / 2)) {
      // The service keeps refusing the resume (it may still hold the old socket): carry on as a
      // fresh session seeded with the conversation rather than fail the call. Counted apart from
      // attempt, which also carries earlier outages that healed at once.
      log.warn("{}: resume refused {} times; opening a fresh session", name, resumesFailed);
      handle = null;
      h = null;
    }
    boolean resuming = h != null;
    boolean rebuild = h == null && !conversation.isEmpty();
    CompletableFuture<Connection> opening = open(h, rebuild);
    int number = connectionCount;
    opening.whenCompleteAsync(
        (c, e) -> {
          if (e == null || isTerminal()) {
            return;
          }
          LiveException ex = unwrap(e);
          observer.connectionFailed(number, ex);
          if (resuming) {
            resumesFailed++;
          }
          if (ex instanceof LiveConnectException lce) {
            if (CloseCodes.isHandleRefused(lce.closeCode(), lce.closeReason())) {
              log.warn("{}: resumption handle refused; opening a fresh session", name);
              handle = null;
              scheduleAttempt("handle refused: " + lce.closeReason(), true);
              return;
            }
            if (resuming && lce.closeCode() == 1007 && !rebuiltAfterInvalidResume) {
              // This spec was accepted when the session opened, so "invalid argument" is about
              // the resume, not the settings (seen after the service ended a long session).
              // Once per outage: a fresh session refused the same way fails the session.
              log.warn(
                  "{}: the resume was refused with 1007 ({}); opening a fresh session seeded"
                      + " with the conversation",
                  name,
                  lce.closeReason());
              rebuiltAfterInvalidResume = true;
              handle = null;
              scheduleAttempt("resume refused: " + lce.closeReason(), true);
              return;
            }
            boolean renewable =
                CloseCodes.isTokenSpent(lce.closeCode(), lce.closeReason()) && renewableTokens();
            if (lce.isRetryable() || renewable) {
              scheduleAttempt(ex.getMessage(), false);
              return;
            }
          }
          end(ex);
        },
        control);
  }

  // ---------------------------------------------------------------- frames

  /** Control thread: one frame from the current connection. */
  private void frame(Connection c, String json, long watermark) {
    synchronized (lock) {
      if (c != current) {
        return;
      }
    }
    framesReceived.incrementAndGet();
    JsonNode root;
    try {
      root = Frames.MAPPER.readTree(json);
      if (root == null || !root.isObject()) {
        throw new IllegalArgumentException("not a JSON object");
      }
    } catch (Exception e) {
      malformedFrames.incrementAndGet();
      LiveProtocolException ex =
          new LiveProtocolException(
              "Ignored a malformed frame from the service: "
                  + OkHttpConnector.abbreviate(json)
                  + " ("
                  + e.getMessage()
                  + ")",
              e);
      log.warn("{}: {}", name, ex.getMessage());
      post(l -> l.onError(this, ex));
      return;
    }
    if (wantsRawMessages) {
      post(l -> l.onRawMessage(this, root));
    }
    try {
      handleFrame(c, root, watermark);
    } catch (RuntimeException e) {
      malformedFrames.incrementAndGet();
      LiveProtocolException ex =
          new LiveProtocolException(
              "Could not handle a frame from the service: " + OkHttpConnector.abbreviate(json), e);
      log.warn("{}: {}", name, ex.getMessage(), e);
      post(l -> l.onError(this, ex));
    }
  }

  private void handleFrame(Connection c, JsonNode root, long watermark) {
    JsonNode update = field(root, "sessionResumptionUpdate", "session_resumption_update");
    if (update != null) {
      resumptionUpdate(update, watermark);
    }
    // Usage first: the service sends a turn's usage on the same frame as its turnComplete, and a
    // listener that totals usage at the end of a turn must have seen it by onTurnComplete.
    JsonNode usage = field(root, "usageMetadata", "usage_metadata");
    if (usage != null) {
      Usage u = usage(usage);
      observer.usage(u);
      post(l -> l.onUsage(this, u));
    }
    JsonNode content = field(root, "serverContent", "server_content");
    if (content != null) {
      serverContent(content);
    }
    JsonNode toolCall = field(root, "toolCall", "tool_call");
    if (toolCall != null) {
      toolCall(toolCall);
    }
    JsonNode cancellation = field(root, "toolCallCancellation", "tool_call_cancellation");
    if (cancellation != null) {
      List<String> ids = new ArrayList<>();
      cancellation.path("ids").forEach(id -> ids.add(id.asText()));
      tools.cancel(ids);
      ids.forEach(toolsInFlight::remove);
      ids.forEach(toolCallEpochs::remove);
      synchronized (lock) {
        ids.forEach(staleToolCalls::remove);
      }
      post(l -> l.onToolCallCancelled(this, List.copyOf(ids)));
    }
    if (endOfSpeech(root)) {
      observer.replyRequested();
    }
    JsonNode goAway = field(root, "goAway", "go_away");
    if (goAway != null) {
      goAway(
          c, Durations.parse(goAway.path("timeLeft").asText(goAway.path("time_left").asText(""))));
    }
  }

  private void serverContent(JsonNode content) {
    JsonNode input = field(content, "inputTranscription", "input_transcription");
    if (input != null && input.hasNonNull("text")) {
      String text = input.get("text").asText();
      conversation.heardText(text);
      post(l -> l.onInputTranscript(this, text));
    }
    JsonNode turn = field(content, "modelTurn", "model_turn");
    if (turn != null) {
      generating = true;
      handleFresh = false;
      if (!modelTurnOpen && turn.path("parts").size() > 0) {
        modelTurnOpen = true;
        JsonNode first = turn.path("parts").get(0);
        observer.modelTurnStarted(field(first, "inlineData", "inline_data") != null);
      }
      for (JsonNode part : turn.path("parts")) {
        JsonNode inline = field(part, "inlineData", "inline_data");
        if (inline != null) {
          String mime = inline.path("mimeType").asText(inline.path("mime_type").asText(""));
          if (mime.startsWith("audio/")) {
            byte[] pcm = Base64.getDecoder().decode(inline.path("data").asText(""));
            AudioChunk chunk = new AudioChunk(pcm, Durations.sampleRate(mime));
            post(l -> l.onAudio(this, chunk));
          }
        }
        if (part.hasNonNull("text")) {
          String text = part.get("text").asText();
          if (part.path("thought").asBoolean(false)) {
            post(l -> l.onThought(this, text));
          } else {
            if (!spec.outputTranscription()) {
              conversation.modelText(text);
            }
            post(l -> l.onText(this, text));
          }
        }
      }
    }
    JsonNode output = field(content, "outputTranscription", "output_transcription");
    if (output != null && output.hasNonNull("text")) {
      String text = output.get("text").asText();
      conversation.modelText(text);
      post(l -> l.onOutputTranscript(this, text));
    }
    if (bool(field(content, "generationComplete", "generation_complete"))) {
      post(l -> l.onGenerationComplete(this));
    }
    if (bool(content.get("interrupted"))) {
      generating = false;
      modelTurnOpen = false;
      observer.interrupted();
      post(l -> l.onInterrupted(this));
    }
    if (bool(field(content, "turnComplete", "turn_complete"))) {
      generating = false;
      modelTurnOpen = false;
      conversation.endOfModelTurn();
      JsonNode reasonNode = field(content, "turnCompleteReason", "turn_complete_reason");
      String reason = reasonNode == null ? null : reasonNode.asText();
      observer.turnComplete(reason);
      post(l -> l.onTurnComplete(this, reason));
      maybeSwitchAfterGoAway();
    }
  }

  private void resumptionUpdate(JsonNode update, long watermark) {
    JsonNode resumableNode = update.get("resumable");
    boolean resumable =
        resumableNode != null
            && (resumableNode.asBoolean(false) || "true".equals(resumableNode.asText()));
    String newHandle = update.path("newHandle").asText(update.path("new_handle").asText(""));
    if (!resumable || newHandle.isEmpty()) {
      return;
    }
    JsonNode consumed =
        field(update, "lastConsumedClientMessageIndex", "last_consumed_client_message_index");
    synchronized (lock) {
      handle = newHandle;
      handleLogSeq = conversation.nextSeq();
      if (consumed != null && consumed.asText().matches("-?\\d+")) {
        // Transparent resumption: exactly the messages up to that position on this connection
        // are in the service's state.
        long last = Math.min(Long.parseLong(consumed.asText()), sentOnConnection.size() - 1L);
        for (int i = confirmedPositions; i <= last; i++) {
          Outgoing o = sentOnConnection.get(i);
          sentOnConnection.set(i, null);
          if (o != null && unconfirmed.removeFirstOccurrence(o)) {
            bufferedBytes -= o.bytes();
          }
        }
        confirmedPositions = (int) Math.max(confirmedPositions, last + 1);
      } else {
        // Without an index, the handle covers what was sent before the update arrived.
        while (!unconfirmed.isEmpty() && unconfirmed.peekFirst().index <= watermark) {
          bufferedBytes -= unconfirmed.removeFirst().bytes();
        }
      }
    }
    handleSeq++;
    // Calls made before this handle are in the state it resumes: they can never go stale.
    toolCallEpochs.values().removeIf(epoch -> epoch < handleSeq);
    handleFresh = true;
    maybeSwitchAfterGoAway();
  }

  private void toolCall(JsonNode toolCall) {
    generating = true;
    handleFresh = false;
    List<String> ids = new ArrayList<>();
    for (JsonNode call : toolCall.path("functionCalls")) {
      ToolCallEvent event =
          new ToolCallEvent(
              call.path("id").asText(),
              call.path("name").asText(),
              call.has("args") ? call.get("args") : JsonNodeFactory.instance.objectNode());
      ids.add(event.id());
      toolCallEpochs.put(event.id(), handleSeq);
      post(l -> l.onToolCall(this, event));
    }
    toolsInFlight.addAll(ids);
    Set<String> idSet = Set.copyOf(ids);
    tools.dispatch(
        toolCall,
        json ->
            enqueue(Kind.TOOL_RESPONSE, json, idSet)
                .whenComplete(
                    (v, e) -> runOnControl(() -> toolResponded(idSet), "a tool response")));
  }

  private void toolResponded(Set<String> ids) {
    toolsInFlight.removeAll(ids);
    synchronized (lock) {
      // The answer was sent or dropped: what the stale mark was for is done.
      staleToolCalls.removeAll(ids);
    }
    askedForReply();
    maybeSwitchAfterGoAway();
  }

  private static Usage usage(JsonNode u) {
    return new Usage(
        u.path("promptTokenCount").asInt(),
        u.has("responseTokenCount")
            ? u.path("responseTokenCount").asInt()
            : u.path("candidatesTokenCount").asInt(),
        u.path("totalTokenCount").asInt(),
        u.path("thoughtsTokenCount").asInt(),
        u.path("toolUsePromptTokenCount").asInt(),
        u.path("cachedContentTokenCount").asInt(),
        byModality(u.path("promptTokensDetails")),
        byModality(
            u.has("responseTokensDetails")
                ? u.path("responseTokensDetails")
                : u.path("candidatesTokensDetails")));
  }

  /** {@code [{modality, tokenCount}, ...]} as a map; repeated modalities are added up. */
  private static java.util.Map<String, Integer> byModality(JsonNode details) {
    if (!details.isArray() || details.isEmpty()) {
      return java.util.Map.of();
    }
    java.util.Map<String, Integer> counts = new java.util.LinkedHashMap<>();
    for (JsonNode d : details) {
      String modality = d.path("modality").asText("MODALITY_UNSPECIFIED");
      counts.merge(modality, d.path("tokenCount").asInt(), Integer::sum);
    }
    return counts;
  }

  // ---------------------------------------------------------------- goAway and stalls

  private void goAway(Connection c, Duration timeLeft) {
    log.info("{}: goAway with {} left on connection {}", name, timeLeft, c.ordinal());
    observer.goAway(timeLeft);
    post(l -> l.onGoAway(this, timeLeft));
    goAwayPending = true;
    log.debug(
        "{}: goAway: generating={}, toolsInFlight={}, handle={}, handleFresh={}",
        name,
        generating,
        toolsInFlight.size(),
        handle != null,
        handleFresh);
    if (naturalPause()) {
      switchConnection("goAway");
      return;
    }
    long margin = Math.min(2_000, timeLeft.toMillis() / 4);
    long forceIn = Math.max(0, timeLeft.toMillis() - margin);
    goAwayTimer =
        control.schedule(
            () -> {
              if (goAwayPending && currentIs(c)) {
                switchConnection("goAway deadline");
              }
            },
            forceIn,
            TimeUnit.MILLISECONDS);
  }

  private boolean naturalPause() {
    return !generating && toolsInFlight.isEmpty() && handle != null && handleFresh;
  }

  private void maybeSwitchAfterGoAway() {
    if (goAwayPending && naturalPause()) {
      switchConnection("goAway");
    }
  }

  /** Closes the current connection, then resumes on a new one (the service refuses overlap). */
  private void switchConnection(String why) {
    Connection old;
    synchronized (lock) {
      old = current;
      if (old == null || state.isTerminal()) {
        return;
      }
      current = null;
      state = SessionState.RESUMING;
    }
    goAwayPending = false;
    cancelTimers();
    beginOutage();
    switchingFrom = old;
    observer.connectionClosed(old.ordinal(), DisconnectCause.GO_AWAY, 1000, why);
    old.close(1000, "Moving to a new connection");
    control.schedule(
        () -> {
          if (switchingFrom == old) {
            old.cancel();
            switchingFrom = null;
            scheduleAttempt("planned move: " + why, true);
          }
        },
        500,
        TimeUnit.MILLISECONDS);
  }

  private void startStallWatch() {
    long period = Math.max(50, Math.min(1_000, spec.stallTimeout().toMillis() / 4));
    stallWatch =
        control.scheduleWithFixedDelay(this::checkStall, period, period, TimeUnit.MILLISECONDS);
  }

  private void checkStall() {
    if ((!generating && !awaitingReply) || !toolsInFlight.isEmpty()) {
      // Nothing is expected from the service, or it is waiting for our tool response.
      return;
    }
    long silent = System.nanoTime() - Math.max(lastFrameNanos, askedNanos);
    if (silent > spec.stallTimeout().toNanos()) {
      Connection c;
      synchronized (lock) {
        c = current;
      }
      if (c != null) {
        log.warn(
            "{}: no frame for {} ms in the middle of a turn; taking connection {} for dead",
            name,
            silent / 1_000_000,
            c.ordinal());
        c.cancel();
        closed(c, 0, STALLED + "no frame for " + silent / 1_000_000 + " ms mid-turn", null);
      }
    }
  }

  private void cancelTimers() {
    if (goAwayTimer != null) {
      goAwayTimer.cancel(false);
      goAwayTimer = null;
    }
    if (stallWatch != null) {
      stallWatch.cancel(false);
      stallWatch = null;
    }
  }

  // ---------------------------------------------------------------- ending

  /** Ends the session: {@code failure} null for a normal close. Idempotent. */
  private void end(@Nullable LiveException failureCause) {
    Connection c;
    List<Outgoing> toFail = new ArrayList<>();
    synchronized (lock) {
      if (state.isTerminal()) {
        return;
      }
      state = failureCause == null ? SessionState.CLOSED : SessionState.FAILED;
      failure = failureCause;
      c = current;
      current = null;
      toFail.addAll(pending);
      pending.clear();
      unconfirmed.clear();
      bufferedBytes = 0;
    }
    LiveException closedEx = failureCause != null ? failureCause : closedException();
    for (Outgoing o : toFail) {
      o.future.completeExceptionally(closedEx);
    }
    if (c != null) {
      observer.connectionClosed(c.ordinal(), DisconnectCause.CLIENT_CLOSE, 1000, "Client closing");
      closeAndCancelLater(c);
    }
    Connection switching = switchingFrom;
    if (switching != null) {
      switching.cancel();
    }
    observer.sessionEnded(failureCause);
    if (failureCause != null) {
      if (opened.isDone()) {
        log.warn("{}: failed: {}", name, failureCause.getMessage());
      } else {
        // The first connect failed: the caller gets the exception, which is report enough.
        log.debug("{}: failed: {}", name, failureCause.getMessage());
      }
      opened.completeExceptionally(failureCause);
    } else {
      log.info("{}: closed", name);
      opened.completeExceptionally(closedException());
    }
    CompletableFuture<Connection> inFlight = connecting;
    if (inFlight != null && !inFlight.cancel(false)) {
      // Cancelling abandons a connect in flight (the connector releases its socket). One that
      // already completed is closed (installed() sees the end too, but it may never run once the
      // control thread is gone).
      inFlight.thenAccept(RealLiveSession::closeAndCancelLater);
    }
    runOnControl(
        () -> {
          cancelTimers();
          tools.close();
          postTerminal(failureCause);
          control.shutdown();
        },
        "the end of the session (already ended)");
  }

  /** Closes a connection gracefully, and at once if the close handshake has not ended in 1 s. */
  private static void closeAndCancelLater(Connection c) {
    c.close(1000, "Client closing");
    CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(c::cancel);
  }

  private boolean renewableTokens() {
    return spec.auth() instanceof LiveAuth.EphemeralToken t && t.renewable();
  }

  private boolean isTerminal() {
    synchronized (lock) {
      return state.isTerminal();
    }
  }

  private boolean currentIs(Connection c) {
    synchronized (lock) {
      return current == c;
    }
  }

  private LiveSessionClosedException closedException() {
    LiveException f;
    synchronized (lock) {
      f = failure;
    }
    return new LiveSessionClosedException(
        f == null ? "The session is closed." : "The session failed: " + f.getMessage());
  }

  // ---------------------------------------------------------------- listener dispatch

  private void post(Consumer<LiveListener> event) {
    if (events.pending() > MAX_PENDING_EVENTS) {
      end(
          new LiveException(
              "The listener is "
                  + MAX_PENDING_EVENTS
                  + " events behind; a listener must return quickly. The session was ended to"
                  + " bound memory."));
      return;
    }
    // False once the terminal event is queued: the session has ended, nothing more is delivered.
    events.post(() -> deliver(event));
  }

  private void deliver(Consumer<LiveListener> event) {
    try {
      event.accept(listener);
    } catch (Throwable t) {
      listenerErrors.incrementAndGet();
      log.error("{}: the listener threw; the session goes on", name, t);
    }
  }

  private void postTerminal(@Nullable LiveException failureCause) {
    events.postTerminal(
        () ->
            deliver(
                l -> {
                  if (failureCause == null) {
                    l.onClosed(this);
                  } else {
                    l.onFailure(this, failureCause);
                  }
                }),
        () -> {
          if (failureCause == null) {
            termination.complete(null);
          } else {
            termination.completeExceptionally(failureCause);
          }
        });
  }

  /**
   * Runs {@code r} on the control thread; once the session has ended (the executor is shut down)
   * runs {@code afterEnd} on the calling thread instead, so that nothing is dropped unnoticed.
   */
  private void runOnControl(Runnable r, Runnable afterEnd) {
    try {
      control.execute(r);
    } catch (RejectedExecutionException e) {
      afterEnd.run();
    }
  }

  private void runOnControl(Runnable r, String what) {
    runOnControl(r, () -> log.debug("{}: ended; {} not handled", name, what));
  }

  // ---------------------------------------------------------------- helpers

  private final class Handler implements Connection.Handler {
    @Override
    public void onReady(Connection connection) {
      runOnControl(
          () -> installed(connection),
          () -> {
            // Set up after the session ended (close() during the handshake): not used, closed.
            log.debug(
                "{}: connection {} set up after the end; closing it", name, connection.ordinal());
            closeAndCancelLater(connection);
          });
    }

    @Override
    public void onMessage(Connection connection, String json) {
      long watermark;
      if (json.contains("esumptionUpdate") || json.contains("esumption_update")) {
        // Under the send lock, so that a message whose send returned before this frame arrived
        // is counted even if its sender has not yet recorded it.
        synchronized (lock) {
          watermark = lastSentIndex;
        }
      } else {
        watermark = lastSentIndex;
      }
      lastFrameNanos = System.nanoTime();
      awaitingReply = false;
      runOnControl(() -> frame(connection, json, watermark), "a frame");
    }

    @Override
    public void onClosed(
        Connection connection, int code, String reason, @Nullable Throwable failure) {
      runOnControl(() -> closed(connection, code, reason, failure), "the end of a connection");
    }
  }

  private static @Nullable JsonNode field(JsonNode node, String camel, String snake) {
    JsonNode v = node.get(camel);
    if (v == null || v.isNull()) {
      v = node.get(snake);
    }
    return v == null || v.isNull() ? null : v;
  }

  /** Whether the service reported that the user stopped speaking (VAD signals, where sent). */
  private static boolean endOfSpeech(JsonNode root) {
    JsonNode activity = field(root, "voiceActivity", "voice_activity");
    if (activity != null && "ACTIVITY_END".equals(activity.path("type").asText())) {
      return true;
    }
    JsonNode signal =
        field(root, "voiceActivityDetectionSignal", "voice_activity_detection_signal");
    return signal != null
        && "VAD_SIGNAL_TYPE_EOS"
            .equals(signal.path("vadSignalType").asText(signal.path("vad_signal_type").asText()));
  }

  private static boolean bool(@Nullable JsonNode node) {
    return node != null && (node.asBoolean(false) || "true".equals(node.asText()));
  }

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

  /** A thread of this session: a daemon, with the session id in its MDC. */
  private static Thread daemon(Runnable r, String threadName, String sessionName) {
    Thread t = new Thread(SessionMdc.wrap(sessionName, r), threadName);
    t.setDaemon(true);
    return t;
  }

  @Override
  public String toString() {
    return name + "[" + state() + ", model=" + spec.model() + "]";
  }
}
