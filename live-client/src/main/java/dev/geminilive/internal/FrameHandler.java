package dev.geminilive.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.AudioChunk;
import dev.geminilive.CodeExecutionResult;
import dev.geminilive.ExecutableCode;
import dev.geminilive.GroundingMetadata;
import dev.geminilive.InteractionStatus;
import dev.geminilive.LiveListener;
import dev.geminilive.LiveProtocolException;
import dev.geminilive.SessionSpec;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.TurnComplete;
import dev.geminilive.UrlContextMetadata;
import dev.geminilive.Usage;
import dev.geminilive.VadSignal;
import dev.geminilive.VoiceActivity;
import dev.geminilive.internal.OutboundQueue.Marks;
import dev.geminilive.internal.tools.ToolCallKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies what one server message holds to the session: the listener's events (delivered at once,
 * on the session's queue), the observers' calls, the conversation log, the reply ledger and the
 * resumption state, and the model's tool calls.
 *
 * <p>Every method runs on the session's queue and every field is owned by it; tool handlers answer
 * on their own threads through {@link RealLiveSession#sendToolResponse}.
 */
final class FrameHandler implements ServerMessageReader.Callback {
  private static final Logger log = LoggerFactory.getLogger(FrameHandler.class);

  private final RealLiveSession session;
  private final SessionSpec spec;
  private final String name;
  private final SerialQueue queue;
  private final OutboundQueue outbound;
  private final ConversationLog conversation;
  private final SessionObserver observer;
  private final ListenerDispatcher events;
  private final SessionCounters counters;
  private final ResumptionState resumption;
  private final ReplyLedger ledger;
  private final SessionCore core;
  private final ToolLoop tools;
  private final boolean wantsRawMessages;

  // The message being read: its connection and the send counters when it arrived.
  private @Nullable Connection connection;
  private Marks marks = new Marks(-1, -1);
  // Whether the current model turn has shown content yet (for modelTurnStarted).
  private boolean modelTurnOpen;
  // The model's tool calls still running or waiting to be answered.
  private final Set<String> toolsInFlight = new HashSet<>();
  // The calls of the toolCall messages the tool loop has not settled yet (see answersMayCome), each
  // counted once per message that holds it.
  private final Map<String, Integer> unsettled = new HashMap<>();

  FrameHandler(
      RealLiveSession session,
      SessionSpec spec,
      SerialQueue queue,
      OutboundQueue outbound,
      ConversationLog conversation,
      SessionObserver observer,
      ListenerDispatcher events,
      SessionCounters counters,
      ResumptionState resumption,
      ReplyLedger ledger,
      SessionCore core,
      ToolLoop tools,
      boolean wantsRawMessages) {
    this.session = session;
    this.spec = spec;
    this.name = session.name();
    this.queue = queue;
    this.outbound = outbound;
    this.conversation = conversation;
    this.observer = observer;
    this.events = events;
    this.counters = counters;
    this.resumption = resumption;
    this.ledger = ledger;
    this.core = core;
    this.tools = tools;
    this.wantsRawMessages = wantsRawMessages;
  }

  /**
   * One frame of connection {@code c}: {@code message} is its JSON tree, or null when it could not
   * be parsed ({@code parseError} says why).
   */
  void frame(
      Connection c,
      String json,
      @Nullable JsonNode message,
      @Nullable Exception parseError,
      Marks arrivalMarks) {
    if (outbound.isTerminal() || !core.isCurrent(c)) {
      return;
    }
    counters.framesReceived.incrementAndGet();
    if (message == null) {
      counters.malformedFrames.incrementAndGet();
      LiveProtocolException ex =
          new LiveProtocolException(
              "Ignored a malformed frame from the service: "
                  + OkHttpConnector.abbreviate(json)
                  + " ("
                  + (parseError == null ? "not a JSON object" : parseError.getMessage())
                  + ")",
              parseError);
      log.warn("{}: {}", name, ex.getMessage());
      events.deliver(l -> l.onError(session, ex));
      return;
    }
    if (wantsRawMessages) {
      events.deliver(l -> l.onRawMessage(session, message));
    }
    connection = c;
    marks = arrivalMarks;
    try {
      ServerMessageReader.read(message, this);
    } catch (RuntimeException e) {
      counters.malformedFrames.incrementAndGet();
      LiveProtocolException ex =
          new LiveProtocolException(
              "Could not handle a frame from the service: " + OkHttpConnector.abbreviate(json), e);
      log.warn("{}: {}", name, ex.getMessage(), e);
      events.deliver(l -> l.onError(session, ex));
    } finally {
      connection = null;
    }
  }

  /** Whether {@code listener} overrides {@code onRawMessage} (frames are then passed on raw). */
  static boolean wantsRawMessages(LiveListener listener) {
    return ListenerDispatcher.overrides(listener, "onRawMessage", JsonNode.class);
  }

  /** A new connection is in use. */
  void connectionStarted() {
    modelTurnOpen = false;
  }

  /** The model's tool calls still running or waiting to be answered (owned by the queue). */
  Set<String> toolsInFlight() {
    return toolsInFlight;
  }

  /**
   * The calls whose answer may still reach the outbound queue, whose stale marks a new connection
   * keeps (owned by the queue). A call stays here from its {@code toolCall} until the tool loop has
   * settled its message: the answer has been through the outbound queue's stale check (dropped,
   * sent, or waiting there for the next connection, whose install checks it), or no answer will
   * come (every call of the message was cancelled before it answered). Leaving {@link
   * #toolsInFlight} does not end it: a call the service cancelled may have an answer on its way
   * already, claimed on the timer or handler thread just before the cancel, and that answer must
   * still find the cancel's mark after a reconnect.
   */
  Set<String> answersMayCome() {
    return unsettled.keySet();
  }

  /** The session has ended. */
  void close() {
    tools.close();
  }

  // ---------------------------------------------------------------- what a message holds

  private void output() {
    boolean wasIdle = ledger.modelIdle();
    ledger.output(marks);
    resumption.modelOutput();
    if (wasIdle) {
      core.watch().expecting();
    }
  }

  @Override
  public void onUsage(Usage usage) {
    observer.usage(usage);
    events.deliver(l -> l.onUsage(session, usage));
  }

  @Override
  public void onInputTranscript(String text) {
    conversation.heardText(text);
    events.deliver(l -> l.onInputTranscript(session, text));
  }

  @Override
  public void onModelTurn(boolean audio) {
    output();
    if (!modelTurnOpen) {
      modelTurnOpen = true;
      observer.modelTurnStarted(audio);
    }
  }

  @Override
  public void onAudio(AudioChunk chunk) {
    output();
    events.deliver(l -> l.onAudio(session, chunk));
  }

  @Override
  public void onText(String text) {
    output();
    if (!spec.outputTranscription()) {
      conversation.modelText(text);
    }
    events.deliver(l -> l.onText(session, text));
  }

  @Override
  public void onThought(String text) {
    output();
    events.deliver(l -> l.onThought(session, text));
  }

  @Override
  public void onOutputTranscript(String text) {
    output();
    conversation.modelText(text);
    events.deliver(l -> l.onOutputTranscript(session, text));
  }

  @Override
  public void onGenerationComplete() {
    output();
    events.deliver(l -> l.onGenerationComplete(session));
  }

  @Override
  public void onInterrupted() {
    ledger.interrupted(marks);
    modelTurnOpen = false;
    observer.interrupted();
    events.deliver(l -> l.onInterrupted(session));
  }

  @Override
  public void onTurnComplete(TurnComplete turn) {
    ledger.turnComplete(marks);
    if (turn.interactionStatus() != null) {
      // Before the pause is judged: IN_PROGRESS on the same message means the model works on.
      ledger.interactionStatus(turn.interactionStatus());
    }
    modelTurnOpen = false;
    conversation.endOfModelTurn();
    observer.turnComplete(turn.reasonName());
    events.deliver(l -> l.onTurnComplete(session, turn));
    core.watch().maybeMove();
  }

  @Override
  public void onInteractionStatus(InteractionStatus status) {
    ledger.interactionStatus(status);
    events.deliver(l -> l.onInteractionStatus(session, status));
    if (ledger.interactionInProgress()) {
      core.watch().expecting(); // the service owes at least the status that says it is done
    } else {
      core.watch().maybeMove();
    }
  }

  // The signals below only inform the listener: the session's own decisions (replies, handles,
  // moves) do not depend on them.

  @Override
  public void onInterimInputTranscript(String text) {
    events.deliver(l -> l.onInterimInputTranscript(session, text));
  }

  @Override
  public void onInputTranscriptFinished() {
    events.deliver(l -> l.onInputTranscriptFinished(session));
  }

  @Override
  public void onOutputTranscriptFinished() {
    events.deliver(l -> l.onOutputTranscriptFinished(session));
  }

  @Override
  public void onExecutableCode(ExecutableCode code) {
    output();
    events.deliver(l -> l.onExecutableCode(session, code));
  }

  @Override
  public void onCodeExecutionResult(CodeExecutionResult result) {
    output();
    events.deliver(l -> l.onCodeExecutionResult(session, result));
  }

  @Override
  public void onGroundingMetadata(GroundingMetadata grounding) {
    events.deliver(l -> l.onGroundingMetadata(session, grounding));
  }

  @Override
  public void onUrlContextMetadata(UrlContextMetadata urlContext) {
    events.deliver(l -> l.onUrlContextMetadata(session, urlContext));
  }

  @Override
  public void onVoiceActivity(VoiceActivity activity) {
    events.deliver(l -> l.onVoiceActivity(session, activity));
  }

  @Override
  public void onVadSignal(VadSignal signal) {
    events.deliver(l -> l.onVadSignal(session, signal));
  }

  @Override
  public void onToolCall(List<ToolCallEvent> calls) {
    boolean wasIdle = ledger.modelIdle();
    ledger.toolCall(marks);
    // The session keeps its calls by key, so calls the service sent without an id stay apart.
    List<ToolCallEvent> keyed = new ArrayList<>(calls.size());
    List<String> ids = new ArrayList<>();
    for (ToolCallEvent call : calls) {
      String key = ToolCallKeys.of(call.id());
      keyed.add(key.equals(call.id()) ? call : new ToolCallEvent(key, call.name(), call.args()));
      ids.add(key);
    }
    resumption.toolCalls(ids);
    toolsInFlight.addAll(ids);
    for (ToolCallEvent call : calls) {
      events.deliver(l -> l.onToolCall(session, call));
    }
    if (wasIdle) {
      core.watch().expecting();
    }
    Set<String> idSet = Set.copyOf(ids);
    ids.forEach(id -> unsettled.merge(id, 1, Integer::sum));
    tools
        .dispatch(
            keyed,
            json ->
                session
                    .sendToolResponse(json, idSet)
                    .whenComplete((v, e) -> queue.execute(() -> toolResponded(idSet))))
        .whenComplete((v, e) -> queue.execute(() -> settled(ids)));
  }

  /** The tool loop settled a message of these calls: no answer of it can reach the queue now. */
  private void settled(List<String> ids) {
    for (String id : ids) {
      unsettled.computeIfPresent(id, (k, n) -> n == 1 ? null : n - 1);
    }
  }

  /**
   * A tool response was handed to the socket, dropped as stale, or failed with the session. Its
   * stale marks are not touched here: this runs after the hand-over, and a drop in between marks a
   * response already sent for a service that will not know the call; the replay must leave it out.
   */
  private void toolResponded(Set<String> ids) {
    toolsInFlight.removeAll(ids);
    core.watch().expecting();
    core.watch().maybeMove();
  }

  @Override
  public void onToolCallCancellation(List<String> ids) {
    tools.cancel(ids);
    toolsInFlight.removeAll(ids);
    resumption.cancelled(ids);
    // An answer that finished just before the cancel, not yet handed over, is dropped: the service
    // has closed these calls. The marks stay until the tool loop settles the calls' messages
    // (answersMayCome), across reconnects too, since such an answer may be on its way still.
    outbound.markStale(ids);
    events.deliver(l -> l.onToolCallCancelled(session, ids));
    core.watch().maybeMove();
  }

  @Override
  public void onResumptionUpdate(@Nullable String newHandle, @Nullable Long lastConsumedIndex) {
    if (newHandle == null) {
      return;
    }
    long covered;
    if (lastConsumedIndex != null) {
      // Transparent resumption: the service says exactly which messages its state holds.
      covered = Math.max(resumption.coveredThrough(), outbound.coverPositions(lastConsumedIndex));
    } else {
      // What the replies answered, but never a message the socket refused (see OutboundQueue).
      covered = outbound.coverThrough(ledger.answered());
    }
    resumption.received(
        newHandle, covered, conversation.nextSeq(), ledger.modelIdle(), queue.nanoTime());
    events.deliver(l -> l.onResumptionHandle(session, newHandle));
    core.watch().maybeMove();
  }

  @Override
  public void onEndOfSpeech() {
    observer.replyRequested();
  }

  @Override
  public void onGoAway(Duration timeLeft) {
    Connection c = connection;
    if (c != null) {
      core.watch().goAway(c, timeLeft);
    }
  }
}
