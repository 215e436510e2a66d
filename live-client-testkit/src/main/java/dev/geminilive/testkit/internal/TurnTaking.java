package dev.geminilive.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminilive.testkit.HistoryEntry;
import dev.geminilive.testkit.UserTurn;
import dev.geminilive.testkit.internal.Generation.Action;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fake model's turn-taking in one {@link SessionEngine}: the user's turns (barge-in, or queued
 * under {@code NO_INTERRUPTION}), the reply being played ({@link Generation}), the tool calls it
 * opens ({@link OpenCalls}) and the responses that resume or schedule a reply, the handle updates
 * after each turn ({@link HandleUpdates}), and what it all leaves in the {@link Conversation}.
 *
 * <p>Guarded by the session's lock: the session calls in with it held, and a reply's timer takes it
 * before playing on. Not thread-safe by itself.
 */
final class TurnTaking {
  private static final Logger log = LoggerFactory.getLogger(TurnTaking.class);

  private final ServerEngine server;
  private final SessionEngine session;
  private final HandleUpdates handles;
  private final Conversation conversation = new Conversation();
  private final OpenCalls calls = new OpenCalls();
  private final Deque<UserTurn> waitingTurns = new ArrayDeque<>();
  private @Nullable Generation generation;
  private boolean seeding;
  private ModelBehaviour behaviour = ModelBehaviour.of("");

  TurnTaking(ServerEngine server, SessionEngine session, HandleUpdates handles, boolean seeding) {
    this.server = server;
    this.session = session;
    this.handles = handles;
    this.seeding = seeding;
  }

  /** A snapshot of the conversation so far, oldest first. */
  List<HistoryEntry> history() {
    return conversation.snapshot();
  }

  int historySize() {
    return conversation.size();
  }

  /** How many model turns completed (interrupted ones included). */
  int turnCount() {
    return conversation.turnCount();
  }

  /** The ids of the open tool calls, oldest first. */
  List<String> openCallIds() {
    return calls.ids();
  }

  /** How the model of the current connection behaves. */
  ModelBehaviour behaviourNow() {
    return behaviour;
  }

  /** How long each audio message of a reply lasts. */
  Duration audioChunk() {
    return server.host().audioChunk();
  }

  /**
   * A connection took the session on: the model behaves as its setup says, and on resumption the
   * history is cut back to the handle's {@code historySize} entries (negative: kept whole).
   */
  void connected(ConnectionEngine conn, int historySize) {
    conversation.cutTo(historySize);
    behaviour = conn.behaviour();
  }

  /**
   * The session's connection is gone: the reply is cut off, open calls and queued turns dropped.
   */
  void connectionLost() {
    if (generation != null) {
      generation.cancel();
      conversation.addModel(generation, " [cut off]");
      generation = null;
    }
    calls.clear();
    waitingTurns.clear();
  }

  /** Called when the user starts speaking (VAD or activityStart): barge-in unless disabled. */
  void speechStarted(ConnectionEngine conn) {
    if (!conn.noInterruption()) {
      endInterrupted(conn);
    }
  }

  void userTurn(
      ConnectionEngine conn,
      UserTurn.Kind kind,
      String text,
      byte[] audio,
      Duration audioDuration) {
    seeding = false;
    conversation.heard(audioDuration);
    UserTurn turn = turn(kind, text, audio, audioDuration, null, List.of());
    if (generation != null) {
      if (conn.noInterruption()) {
        waitingTurns.add(turn);
        return;
      }
      endInterrupted(conn);
      turn = turn(kind, text, audio, audioDuration, null, List.of());
    }
    start(conn, turn);
  }

  void clientContent(ConnectionEngine conn, JsonNode content) {
    boolean complete = Json.bool(content.path("turnComplete"));
    // On 3.8 client content without turnComplete is kept and the model waits for more; with it,
    // it interrupts. Earlier models interrupt on any client content.
    boolean anytime = behaviour.clientContentAnytime();
    if (!seeding && !conn.noInterruption() && (complete || !anytime)) {
      endInterrupted(conn);
    }
    String lastUserText = conversation.addContent(content);
    if (!complete) {
      if (anytime && !seeding) {
        conn.send(TurnMessages.serverContentFlag("waitingForInput"));
      }
      return;
    }
    if (seeding) {
      // historyConfig.initialHistoryInClientContent: the seed is consumed without generation.
      seeding = false;
      return;
    }
    UserTurn turn =
        turn(
            UserTurn.Kind.CLIENT_CONTENT,
            lastUserText,
            new byte[0],
            Duration.ZERO,
            null,
            List.of());
    if (generation != null) {
      waitingTurns.add(turn);
      return;
    }
    start(conn, turn);
  }

  void toolResponse(ConnectionEngine conn, List<JsonNode> responses) {
    String firstName = null;
    List<JsonNode> blocking = new ArrayList<>();
    for (JsonNode r : responses) {
      String callId = r.path("id").asText("");
      OpenCalls.Call call = calls.answer(callId);
      String name = call != null ? call.name() : r.path("name").asText("");
      conversation.add("tool", name + " -> " + Json.write(r.path("response")));
      if (call != null && !call.blocking()) {
        scheduled(conn, name, r);
        continue;
      }
      blocking.add(r);
      if (firstName == null) {
        firstName = name;
      }
    }
    Generation g = generation;
    if (blocking.isEmpty() || g == null || !g.waitingForTool || calls.anyBlocking()) {
      return;
    }
    g.waitingForTool = false;
    // No handle here: the response starts the reply, and the service issues a resumable handle
    // only when no generation and no tool call is in progress (docs/resilience.md, "What a handle
    // covers"). The next handle comes after the reply's turnComplete.
    UserTurn turn =
        turn(UserTurn.Kind.TOOL_RESPONSE, "", new byte[0], Duration.ZERO, firstName, blocking);
    List<Step> steps = replyTo(conn, turn);
    if (steps == null) {
      return;
    }
    g.addSteps(conn, steps, this);
    handles.notResumable(conn);
    pump(g);
  }

  /**
   * The response to a NON_BLOCKING call, scheduled as it asks (default WHEN_IDLE): SILENT only adds
   * it to the history; WHEN_IDLE replies once the current turn is over; INTERRUPT interrupts the
   * current turn and replies at once.
   */
  private void scheduled(ConnectionEngine conn, String name, JsonNode response) {
    String scheduling = response.path("scheduling").asText("WHEN_IDLE");
    Generation g = generation;
    boolean held = g != null && g.awaitingAsync;
    if (scheduling.equals("SILENT")) {
      if (held && !holdsTurn(g)) {
        g.awaitingAsync = false;
        pump(g);
      } else {
        settle(conn, true);
      }
      return;
    }
    UserTurn turn =
        turn(UserTurn.Kind.TOOL_RESPONSE, "", new byte[0], Duration.ZERO, name, List.of(response));
    if (held) {
      // The turn that waited for this result goes on with the reply to it.
      List<Step> steps = replyTo(conn, turn);
      if (steps == null) {
        return;
      }
      g.awaitingAsync = false;
      g.addSteps(conn, steps, this);
      pump(g);
      return;
    }
    if (generation != null) {
      if (!scheduling.equals("INTERRUPT")) {
        waitingTurns.add(turn);
        return;
      }
      endInterrupted(conn);
    }
    start(conn, turn);
  }

  /**
   * When nothing is left to do (no reply, no turn waiting, no call running) after background work
   * that ended without output: the idle status, and a handle that covers what was added.
   */
  private void settle(ConnectionEngine conn, boolean handle) {
    if (generation != null || !waitingTurns.isEmpty() || !calls.isEmpty()) {
      return;
    }
    if (behaviour.interactionStatus()) {
      conn.send(ServerMessages.interactionStatus("IDLE"));
    }
    if (handle) {
      handles.issue(conn, session, conversation.size(), session.effectiveSetup());
    }
  }

  private boolean holdsTurn(Generation g) {
    return !behaviour.extendedThinking() && calls.anyOpen(g.asyncCalls);
  }

  /** Whether the model calls {@code tool} BLOCKING with the tools in force now. */
  boolean blocks(String tool) {
    return SetupInForce.blocking(session.effectiveSetup(), tool, behaviour);
  }

  /** A turn with the history, instruction and tools in force now. */
  private UserTurn turn(
      UserTurn.Kind kind,
      String text,
      byte[] audio,
      Duration audioDuration,
      @Nullable String toolName,
      List<JsonNode> responses) {
    return new UserTurn(
        kind,
        text,
        audio,
        audioDuration,
        toolName,
        responses,
        conversation.snapshot(),
        session.systemInstruction(),
        session.toolNames());
  }

  private @Nullable List<Step> replyTo(ConnectionEngine conn, UserTurn turn) {
    try {
      return server.host().replyTo(turn);
    } catch (RuntimeException e) {
      log.error(
          "Script failed on {} turn; closing connection {} with 1011",
          turn.kind(),
          conn.index(),
          e);
      conn.closeWith(1011, "Internal error encountered.", false);
      return null;
    }
  }

  private void start(ConnectionEngine conn, UserTurn turn) {
    List<Step> steps = replyTo(conn, turn);
    if (steps == null) {
      return;
    }
    if (turn.kind() == UserTurn.Kind.TEXT) {
      conversation.add("user", turn.text());
    } else if (turn.kind() == UserTurn.Kind.AUDIO) {
      String heard =
          steps.stream()
              .filter(s -> s instanceof Step.InputTranscript)
              .map(s -> ((Step.InputTranscript) s).text())
              .findFirst()
              .orElse("[audio " + turn.audioDuration().toMillis() + " ms]");
      conversation.add("user", heard);
    }
    Generation g = new Generation(server, conn);
    generation = g;
    g.addSteps(conn, steps, this);
    handles.notResumable(conn);
    if (conn.multiPart()) {
      conn.send(TurnMessages.usageBeforeReply(usage(0, 0)));
    }
    pump(g);
  }

  /** Plays {@code g} on from a timer: takes the session's lock, as input does. */
  private void resume(Generation g) {
    synchronized (session) {
      pump(g);
    }
  }

  private void pump(Generation g) {
    if (generation != g || g.cancelled) {
      return;
    }
    ConnectionEngine conn = g.conn;
    double speed = server.host().speed();
    while (!g.actions.isEmpty()) {
      Action a = g.actions.poll();
      if (a instanceof Action.Send send) {
        conn.send(send.message());
        if (speed > 0 && !send.after().isZero()) {
          g.schedule(() -> resume(g), (long) (send.after().toNanos() / speed));
          return;
        }
      } else if (a instanceof Action.Pause pause) {
        g.schedule(() -> resume(g), (long) (pause.duration().toNanos() / (speed > 0 ? speed : 1)));
        return;
      } else if (a instanceof Action.Hold hold) {
        // Goes on, on the server thread, once released; a cut in the meantime cancels g.
        hold.release().whenComplete((v, e) -> server.run(() -> resume(g)));
        return;
      } else if (a instanceof Action.CallTool call) {
        String callId = "fc-" + server.nextId();
        ObjectNode msg = calls.open(callId, call.name(), call.args(), call.blocking());
        conversation.add(
            "tool", call.name() + Json.write(msg.at("/toolCall/functionCalls/0/args")));
        conn.send(msg);
        if (call.blocking()) {
          g.waitingForTool = true;
          handles.notResumable(conn);
          return;
        }
        // NON_BLOCKING: the reply goes on while the tool runs.
        g.asyncCalls.add(callId);
      } else if (a instanceof Action.GoAway goAway) {
        conn.goAwayNow(goAway.timeLeft());
      } else if (a instanceof Action.Interrupt) {
        endInterrupted(conn);
        return;
      }
    }
    if (holdsTurn(g)) {
      // 3.8-live with nothing left to say while its own NON_BLOCKING call runs: the turn stays
      // open for the result (extended thinking ends the turn IN_PROGRESS instead).
      g.awaitingAsync = true;
      return;
    }
    conn.send(TurnMessages.serverContentFlag("generationComplete"));
    // The fake's own status, unless the script said how the turn ends or sent a status itself.
    boolean own = behaviour.interactionStatus() && g.end == null && !g.scriptedStatus;
    boolean working = own && (!calls.isEmpty() || behaviour.extendedThinking());
    String status = own ? (working ? "IN_PROGRESS" : "IDLE") : null;
    conn.send(TurnMessages.turnComplete(g.end, status, usage(0, g.responseTokens())));
    conversation.addModel(g, "");
    generation = null;
    conversation.turnEnded();
    handleOrNot(conn);
    UserTurn next = waitingTurns.poll();
    if (next != null) {
      start(conn, next);
    } else if (working && calls.isEmpty()) {
      // Extended thinking: the background work after turnComplete ends (the handle went out).
      settle(conn, false);
    }
  }

  /** Ends the current generation, if any, as interrupted (barge-in, INTERRUPT, the script). */
  private void endInterrupted(ConnectionEngine conn) {
    Generation g = generation;
    if (g == null) {
      return;
    }
    g.cancel();
    generation = null;
    conn.send(TurnMessages.serverContentFlag("interrupted"));
    String status = behaviour.interactionStatus() ? "IN_PROGRESS" : null;
    conn.send(TurnMessages.turnComplete(null, status, null));
    // New input cancels the BLOCKING calls; NON_BLOCKING ones keep running.
    ObjectNode cancellation = calls.cancelBlocking();
    if (cancellation != null) {
      conn.send(cancellation);
    }
    conversation.addModel(g, " [interrupted]");
    conversation.turnEnded();
    handleOrNot(conn);
  }

  ObjectNode usage(int prompt, int response) {
    return conversation.usage(prompt, response, behaviour);
  }

  /** A resumable handle, unless a call is still running (then {@code resumable: false}). */
  private void handleOrNot(ConnectionEngine conn) {
    if (calls.isEmpty()) {
      handles.issue(conn, session, conversation.size(), session.effectiveSetup());
    } else {
      handles.notResumable(conn);
    }
  }
}
