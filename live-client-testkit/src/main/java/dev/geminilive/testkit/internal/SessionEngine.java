package dev.geminilive.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.testkit.FakeSession;
import dev.geminilive.testkit.HistoryEntry;
import dev.geminilive.testkit.UserTurn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine of one fake conversation: the connections that served it, the setup in force and what
 * a test reads; the model's turn-taking (user turns, the reply being played, tool calls, history,
 * handle updates) is in {@link TurnTaking}. {@link FakeSession} is its public handle and documents
 * the getters.
 *
 * <p>One lock, this object's: the server thread changes the session and its turn-taking with it
 * held (input from a connection, a reply's timer); the getters take it and return snapshots.
 */
public final class SessionEngine {
  private static final Logger log = LoggerFactory.getLogger(SessionEngine.class);

  private final ServerEngine server;
  private final FakeSession handle;
  private final String id;
  private final String model;
  private final HandleUpdates handles;
  // Guarded by this; changed on the server thread only.
  private final TurnTaking turnTaking;
  private final List<ConnectionEngine> connections = new ArrayList<>();
  private volatile JsonNode effectiveSetup;
  private @Nullable ConnectionEngine current;
  private int contextUpdates;

  SessionEngine(
      ServerEngine server, String id, String model, ConnectionEngine first, JsonNode setup) {
    this.server = server;
    this.id = id;
    this.model = model;
    this.handles = new HandleUpdates(server);
    this.effectiveSetup = setup;
    boolean seeding = Json.bool(setup.path("historyConfig").path("initialHistoryInClientContent"));
    this.turnTaking = new TurnTaking(server, this, handles, seeding);
    attach(first, setup, -1, null);
    this.handle = server.host().sessionHandle(this);
  }

  /** The public handle of this session. */
  public FakeSession handle() {
    return handle;
  }

  /** The session id sent in {@code setupComplete.sessionId}. */
  public String id() {
    return id;
  }

  /** The model id (without {@code models/}) the session was opened with. */
  public String model() {
    return model;
  }

  /** A snapshot of the conversation so far, oldest first. */
  public synchronized List<HistoryEntry> history() {
    return turnTaking.history();
  }

  /** The setup in force: {@link FakeSession#effectiveSetup()} says what fills it in. */
  public JsonNode effectiveSetup() {
    return effectiveSetup;
  }

  /** The text of the system instruction in force, or "". */
  public String systemInstruction() {
    return SetupInForce.instruction(effectiveSetup);
  }

  /** The names of the functions declared in the tools in force, in declaration order. */
  public List<String> toolNames() {
    return SetupInForce.functionNames(effectiveSetup);
  }

  /** How many {@code contextUpdate} messages this session applied, on all its connections. */
  public synchronized int contextUpdateCount() {
    return contextUpdates;
  }

  /** The ids of tool calls sent and not yet answered or cancelled, oldest first. */
  public synchronized List<String> pendingToolCallIds() {
    return turnTaking.openCallIds();
  }

  /** The newest resumable handle sent, if any. */
  public Optional<String> latestHandle() {
    return handles.latest();
  }

  /** A snapshot of the connections that served this session, oldest first. */
  public synchronized List<ConnectionEngine> connections() {
    return List.copyOf(connections);
  }

  /** How many model turns completed (interrupted ones included). */
  public synchronized int turnCount() {
    return turnTaking.turnCount();
  }

  @Override
  public String toString() {
    return "SessionEngine[" + id + ", " + model + "]";
  }

  // ---------------------------------------------------------------- server thread only

  synchronized @Nullable ConnectionEngine current() {
    return current;
  }

  synchronized int historySize() {
    return turnTaking.historySize();
  }

  /**
   * Binds {@code conn}; on resumption the history is cut back to the handle's snapshot and the
   * handle's instruction and tools fill in what {@code setup} leaves out.
   */
  synchronized void attach(
      ConnectionEngine conn, JsonNode setup, int historySize, @Nullable JsonNode handleSetup) {
    turnTaking.connected(conn, historySize);
    current = conn;
    connections.add(conn);
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
    turnTaking.connectionLost();
    current = null;
  }

  /** Called when the user starts speaking (VAD or activityStart): barge-in unless disabled. */
  synchronized void speechStarted(ConnectionEngine conn) {
    turnTaking.speechStarted(conn);
  }

  /** A user turn in {@code realtimeInput}: text, or audio that ended. */
  synchronized void userTurn(
      ConnectionEngine conn,
      UserTurn.Kind kind,
      String text,
      byte[] audio,
      Duration audioDuration) {
    turnTaking.userTurn(conn, kind, text, audio, audioDuration);
  }

  synchronized void clientContent(ConnectionEngine conn, JsonNode content) {
    turnTaking.clientContent(conn, content);
  }

  synchronized void toolResponse(ConnectionEngine conn, List<JsonNode> responses) {
    turnTaking.toolResponse(conn, responses);
  }
}
