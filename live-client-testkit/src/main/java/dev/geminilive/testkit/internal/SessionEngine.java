package dev.geminilive.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminilive.testkit.FakeSession;
import dev.geminilive.testkit.HistoryEntry;
import dev.geminilive.testkit.UserTurn;
import dev.geminilive.testkit.internal.Generation.Action;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine of one fake conversation: history, setup in force, open tool calls, the reply being
 * played. {@link FakeSession} is its public handle. Owned by the server thread; the getters
 * synchronise and return snapshots.
 */
public final class SessionEngine {
  private static final Logger log = LoggerFactory.getLogger(SessionEngine.class);

  private final ServerEngine server;
  private final FakeSession handle;
  private final String id;
  private final String model;
  // All fields below are owned by the server's model thread; getters synchronise on this.
  private final List<HistoryEntry> history = new ArrayList<>();
  private final List<ConnectionEngine> connections = new ArrayList<>();
  private final Map<String, PendingCall> pendingTools = new LinkedHashMap<>();
  private final Deque<UserTurn> waitingTurns = new ArrayDeque<>();
  private volatile JsonNode effectiveSetup;
  private volatile @Nullable String latestHandle;
  private @Nullable ConnectionEngine current;
  private @Nullable Generation generation;
  private boolean seeding;
  private int turns;
  private int contextUpdates;
  private ModelBehaviour behaviour = ModelBehaviour.of("");
  private long audioInputMillis;

  SessionEngine(
      ServerEngine server, String id, String model, ConnectionEngine first, JsonNode setup) {
    this.server = server;
    this.id = id;
    this.model = model;
    this.effectiveSetup = setup;
    this.seeding = Json.bool(setup.path("historyConfig").path("initialHistoryInClientContent"));
    attach(first, setup, -1, null);
    this.handle = server.host().sessionHandle(this);
  }

  /** Returns the public handle of this session. */
  public FakeSession handle() {
    return handle;
  }

  /**
   * Returns the session id sent in {@code setupComplete.sessionId}.
   *
   * @return the session id
   */
  public String id() {
    return id;
  }

  /**
   * Returns the model id (without {@code models/}) the session was opened with.
   *
   * @return the model id
   */
  public String model() {
    return model;
  }

  /**
   * Returns the conversation so far, oldest first.
   *
   * @return a snapshot of the history
   */
  public synchronized List<HistoryEntry> history() {
    return List.copyOf(history);
  }

  /**
   * Returns the setup in force: the latest connection's {@code setup} (camelCase) with the fields
   * locked by an ephemeral token replaced by the token's values, and with the {@code
   * systemInstruction} and {@code tools} of every {@code contextUpdate} since applied.
   *
   * <p>On resumption the handle's snapshot fills in what the resuming {@code setup} leaves out: an
   * instruction or tools set by a {@code contextUpdate} before the handle was issued survive a
   * resume whose setup carries none; a resuming setup that carries them replaces them, as a setup
   * does.
   *
   * @return the effective setup
   */
  public JsonNode effectiveSetup() {
    return effectiveSetup;
  }

  /**
   * Returns the text of the system instruction in force (its parts' text, joined), after any {@code
   * contextUpdate}.
   *
   * @return the instruction text, or an empty string if the setup has none
   */
  public String systemInstruction() {
    return SetupInForce.instruction(effectiveSetup);
  }

  /**
   * Returns the names of the functions declared in the tools in force, in declaration order, after
   * any {@code contextUpdate}.
   *
   * @return the function names; empty if no function is declared
   */
  public List<String> toolNames() {
    return SetupInForce.functionNames(effectiveSetup);
  }

  /**
   * Returns how many {@code contextUpdate} messages this session applied, on all its connections.
   *
   * @return the number of context updates applied
   */
  public synchronized int contextUpdateCount() {
    return contextUpdates;
  }

  /**
   * Returns the ids of tool calls sent and not yet answered or cancelled.
   *
   * @return a snapshot of the pending ids; empty if none
   */
  public synchronized List<String> pendingToolCallIds() {
    return List.copyOf(pendingTools.keySet());
  }

  /**
   * Returns the newest resumable handle sent, if any.
   *
   * @return the latest handle, or empty if none was sent
   */
  public Optional<String> latestHandle() {
    return Optional.ofNullable(latestHandle);
  }

  /**
   * Returns the connections that served this session, oldest first.
   *
   * @return a snapshot of the connections
   */
  public synchronized List<ConnectionEngine> connections() {
    return List.copyOf(connections);
  }

  /**
   * Returns how many model turns completed (interrupted ones included).
   *
   * @return the number of completed model turns
   */
  public synchronized int turnCount() {
    return turns;
  }

  @Override
  public String toString() {
    return "SessionEngine[" + id + ", " + model + "]";
  }

  // ---------------------------------------------------------------- server thread only

  /** How the model of the current connection behaves. */
  ModelBehaviour behaviourNow() {
    return behaviour;
  }

  /** How long each audio message of a reply lasts. */
  Duration audioChunk() {
    return server.host().audioChunk();
  }

  synchronized @Nullable ConnectionEngine current() {
    return current;
  }

  synchronized int historySize() {
    return history.size();
  }

  /**
   * Binds {@code conn}; on resumption the history is cut back to the handle's snapshot and the
   * handle's instruction and tools fill in what {@code setup} leaves out.
   */
  synchronized void attach(
      ConnectionEngine conn, JsonNode setup, int historySize, @Nullable JsonNode handleSetup) {
    if (historySize >= 0 && historySize < history.size()) {
      history.subList(historySize, history.size()).clear();
    }
    current = conn;
    connections.add(conn);
    behaviour = conn.behaviour();
    effectiveSetup = SetupInForce.resumed(setup, handleSetup);
  }

  /**
   * Applies a {@code contextUpdate}: its instruction and tools replace the setup's for the rest of
   * the conversation, in order with the other input (a generation under way keeps going).
   */
  synchronized void contextUpdate(JsonNode update) {
    effectiveSetup = SetupInForce.updated(effectiveSetup, update);
    contextUpdates++;
    log.debug("Session {} context updated: instruction and tools {}", id, toolNames());
  }

  synchronized void detach(ConnectionEngine conn) {
    if (current != conn) {
      return;
    }
    if (generation != null) {
      generation.cancel();
      addModelHistory(generation, " [cut off]");
      generation = null;
    }
    pendingTools.clear();
    waitingTurns.clear();
    current = null;
  }

  /** Called when the user starts speaking (VAD or activityStart): barge-in unless disabled. */
  synchronized void speechStarted(ConnectionEngine conn) {
    if (!conn.noInterruption()) {
      bargeIn(conn);
    }
  }

  synchronized void userTurn(
      ConnectionEngine conn,
      UserTurn.Kind kind,
      String text,
      byte[] audio,
      Duration audioDuration) {
    seeding = false;
    audioInputMillis += audioDuration.toMillis();
    UserTurn turn = turn(kind, text, audio, audioDuration, null, List.of());
    if (generation != null) {
      if (conn.noInterruption()) {
        waitingTurns.add(turn);
        return;
      }
      bargeIn(conn);
      turn = turn(kind, text, audio, audioDuration, null, List.of());
    }
    start(conn, turn);
  }

  synchronized void clientContent(ConnectionEngine conn, JsonNode content) {
    boolean complete = Json.bool(content.path("turnComplete"));
    // On 3.8 client content without turnComplete is kept and the model waits for more; with it,
    // it interrupts. Earlier models interrupt on any client content.
    boolean anytime = behaviour.clientContentAnytime();
    if (!seeding && !conn.noInterruption() && (complete || !anytime)) {
      bargeIn(conn);
    }
    String lastUserText = "";
    for (JsonNode turn : content.path("turns")) {
      StringBuilder sb = new StringBuilder();
      turn.path("parts").forEach(p -> sb.append(p.path("text").asText("")));
      String role = turn.path("role").asText("user");
      history.add(new HistoryEntry(role, sb.toString()));
      if (role.equals("user")) {
        lastUserText = sb.toString();
      }
    }
    if (!complete) {
      if (anytime && !seeding) {
        ObjectNode waiting = Json.object();
        waiting.putObject("serverContent").put("waitingForInput", true);
        conn.send(waiting);
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

  synchronized void toolResponse(ConnectionEngine conn, List<JsonNode> responses) {
    String firstName = null;
    List<JsonNode> blocking = new ArrayList<>();
    for (JsonNode r : responses) {
      String callId = r.path("id").asText("");
      PendingCall call = pendingTools.remove(callId);
      String name = call != null ? call.name() : r.path("name").asText("");
      history.add(new HistoryEntry("tool", name + " -> " + Json.write(r.path("response"))));
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
    if (blocking.isEmpty() || g == null || !g.waitingForTool || hasBlockingCall()) {
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
    sendNotResumable(conn);
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
    if (generation != null || !waitingTurns.isEmpty() || !pendingTools.isEmpty()) {
      return;
    }
    if (behaviour.interactionStatus()) {
      conn.send(ServerMessages.interactionStatus("IDLE"));
    }
    if (handle) {
      sendHandleUpdate(conn);
    }
  }

  private boolean holdsTurn(Generation g) {
    return !behaviour.extendedThinking()
        && g.asyncCalls.stream().anyMatch(pendingTools::containsKey);
  }

  private boolean hasBlockingCall() {
    return pendingTools.values().stream().anyMatch(PendingCall::blocking);
  }

  /**
   * Whether the model calls {@code tool} BLOCKING: never on extended thinking; on 3.8 only when
   * declared BLOCKING; before 3.8 unless declared NON_BLOCKING (which the 2.5 models take and 3.1
   * does not).
   */
  boolean blocks(String tool) {
    if (behaviour.asyncOnly()) {
      return false;
    }
    String declared = SetupInForce.declaredBehaviour(effectiveSetup, tool);
    return behaviour.asyncTools() ? declared.equals("BLOCKING") : !declared.equals("NON_BLOCKING");
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
        List.copyOf(history),
        systemInstruction(),
        toolNames());
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
      history.add(new HistoryEntry("user", turn.text()));
    } else if (turn.kind() == UserTurn.Kind.AUDIO) {
      String heard =
          steps.stream()
              .filter(s -> s instanceof Step.InputTranscript)
              .map(s -> ((Step.InputTranscript) s).text())
              .findFirst()
              .orElse("[audio " + turn.audioDuration().toMillis() + " ms]");
      history.add(new HistoryEntry("user", heard));
    }
    Generation g = new Generation(server, conn);
    generation = g;
    g.addSteps(conn, steps, this);
    sendNotResumable(conn);
    if (conn.multiPart()) {
      ObjectNode early = Json.object();
      early.set("serverContent", Json.object());
      early.set("usageMetadata", usage(0, 0));
      conn.send(early);
    }
    pump(g);
  }

  private synchronized void pump(Generation g) {
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
          g.schedule(() -> pump(g), (long) (send.after().toNanos() / speed));
          return;
        }
      } else if (a instanceof Action.Pause pause) {
        g.schedule(() -> pump(g), (long) (pause.duration().toNanos() / (speed > 0 ? speed : 1)));
        return;
      } else if (a instanceof Action.Hold hold) {
        // Goes on, on the server thread, once released; a cut in the meantime cancels g.
        hold.release().whenComplete((v, e) -> server.run(() -> pump(g)));
        return;
      } else if (a instanceof Action.CallTool call) {
        String callId = "fc-" + server.nextId();
        ObjectNode msg = Json.object();
        ObjectNode fc = msg.putObject("toolCall").putArray("functionCalls").addObject();
        fc.put("id", callId);
        fc.put("name", call.name());
        fc.set("args", Json.tree(call.args()));
        pendingTools.put(callId, new PendingCall(call.name(), call.blocking()));
        history.add(new HistoryEntry("tool", call.name() + Json.write(fc.path("args"))));
        conn.send(msg);
        if (call.blocking()) {
          g.waitingForTool = true;
          sendNotResumable(conn);
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
    ObjectNode done = TurnMessages.serverContentFlag("turnComplete");
    ObjectNode content = (ObjectNode) done.path("serverContent");
    TurnMessages.endFields(content, g.end);
    // The fake's own status, unless the script said how the turn ends or sent a status itself.
    boolean own = behaviour.interactionStatus() && g.end == null && !g.scriptedStatus;
    boolean working = own && (!pendingTools.isEmpty() || behaviour.extendedThinking());
    if (own) {
      content.put("interactionStatus", working ? "IN_PROGRESS" : "IDLE");
    }
    done.set("usageMetadata", usage(g));
    conn.send(done);
    addModelHistory(g, "");
    generation = null;
    turns++;
    handleOrNot(conn);
    UserTurn next = waitingTurns.poll();
    if (next != null) {
      start(conn, next);
    } else if (working && pendingTools.isEmpty()) {
      // Extended thinking: the background work after turnComplete ends (the handle went out).
      settle(conn, false);
    }
  }

  /** Interrupts the current generation (barge-in). */
  private void bargeIn(ConnectionEngine conn) {
    if (generation == null) {
      return;
    }
    endInterrupted(conn);
  }

  private void endInterrupted(ConnectionEngine conn) {
    Generation g = generation;
    if (g == null) {
      return;
    }
    g.cancel();
    generation = null;
    conn.send(TurnMessages.serverContentFlag("interrupted"));
    ObjectNode done = TurnMessages.serverContentFlag("turnComplete");
    if (behaviour.interactionStatus()) {
      ((ObjectNode) done.path("serverContent")).put("interactionStatus", "IN_PROGRESS");
    }
    conn.send(done);
    // New input cancels the BLOCKING calls; NON_BLOCKING ones keep running.
    List<String> cancelled = new ArrayList<>();
    pendingTools.forEach(
        (id, call) -> {
          if (call.blocking()) {
            cancelled.add(id);
          }
        });
    if (!cancelled.isEmpty()) {
      ObjectNode msg = Json.object();
      ArrayNode ids = msg.putObject("toolCallCancellation").putArray("ids");
      cancelled.forEach(ids::add);
      cancelled.forEach(pendingTools::remove);
      conn.send(msg);
    }
    addModelHistory(g, " [interrupted]");
    turns++;
    handleOrNot(conn);
  }

  private void addModelHistory(Generation g, String suffix) {
    String said = g.transcript.length() > 0 ? g.transcript.toString() : g.text.toString();
    if (!said.isEmpty() || !suffix.isEmpty()) {
      history.add(new HistoryEntry("model", said + suffix));
    }
  }

  private ObjectNode usage(Generation g) {
    return usage(0, (int) (g.audioMillis / 40 + g.textChars / 4));
  }

  ObjectNode usage(int prompt, int response) {
    return TurnMessages.usage(prompt, response, history, audioInputMillis, behaviour);
  }

  /** A resumable handle, unless a call is still running (then {@code resumable: false}). */
  private void handleOrNot(ConnectionEngine conn) {
    if (pendingTools.isEmpty()) {
      sendHandleUpdate(conn);
    } else {
      sendNotResumable(conn);
    }
  }

  private void sendNotResumable(ConnectionEngine conn) {
    if (conn.resumption()) {
      ObjectNode msg = Json.object();
      msg.putObject("sessionResumptionUpdate").put("resumable", false);
      conn.send(msg);
    }
  }

  private void sendHandleUpdate(ConnectionEngine conn) {
    if (!conn.resumption()) {
      return;
    }
    String handle = server.issueHandle(this, history.size(), effectiveSetup);
    latestHandle = handle;
    ObjectNode msg = Json.object();
    ObjectNode update = msg.putObject("sessionResumptionUpdate");
    update.put("newHandle", handle);
    update.put("resumable", true);
    if (conn.transparent() && conn.lastConsumedIndex() >= 0) {
      update.put("lastConsumedClientMessageIndex", Long.toString(conn.lastConsumedIndex()));
    }
    conn.send(msg);
  }

  /** A tool call sent and not yet answered or cancelled. */
  private record PendingCall(String name, boolean blocking) {}
}
