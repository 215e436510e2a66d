package dev.geminilive.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.testkit.internal.ConnectionEngine;
import dev.geminilive.testkit.internal.SessionEngine;
import java.util.List;
import java.util.Optional;

/**
 * One fake conversation: created by a fresh {@code setup}, carried over to later connections by
 * session resumption.
 *
 * <p>Get one from {@link FakeConnection#session()} or {@link FakeLiveServer#sessions()}. It holds
 * the history (user, model and tool turns as text), the effective setup (after ephemeral-token
 * locks), open tool calls and the latest resumption handle. Thread-safe to read: the server thread
 * owns and mutates it; getters return snapshots. Lives until its server closes.
 *
 * <pre>{@code
 * FakeSession s = server.connections().get(1).session().orElseThrow();
 * assertThat(s.history()).extracting(HistoryEntry::text).contains("hello");
 * }</pre>
 *
 * @since 0.1.0
 */
public final class FakeSession {
  private final SessionEngine engine;

  FakeSession(SessionEngine engine) {
    this.engine = engine;
  }

  /**
   * Returns the session id sent in {@code setupComplete.sessionId}.
   *
   * @return the session id
   */
  public String id() {
    return engine.id();
  }

  /**
   * Returns the model id (without {@code models/}) the session was opened with.
   *
   * @return the model id
   */
  public String model() {
    return engine.model();
  }

  /**
   * Returns the conversation so far, oldest first.
   *
   * @return a snapshot of the history
   */
  public List<HistoryEntry> history() {
    return engine.history();
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
    return engine.effectiveSetup();
  }

  /**
   * Returns the text of the system instruction in force (its parts' text, joined), after any {@code
   * contextUpdate}.
   *
   * @return the instruction text, or an empty string if the setup has none
   */
  public String systemInstruction() {
    return engine.systemInstruction();
  }

  /**
   * Returns the names of the functions declared in the tools in force, in declaration order, after
   * any {@code contextUpdate}.
   *
   * @return the function names; empty if no function is declared
   */
  public List<String> toolNames() {
    return engine.toolNames();
  }

  /**
   * Returns how many {@code contextUpdate} messages this session applied, on all its connections.
   *
   * @return the number of context updates applied
   */
  public int contextUpdateCount() {
    return engine.contextUpdateCount();
  }

  /**
   * Returns the ids of tool calls sent and not yet answered or cancelled.
   *
   * @return a snapshot of the pending ids; empty if none
   */
  public List<String> pendingToolCallIds() {
    return engine.pendingToolCallIds();
  }

  /**
   * Returns the newest resumable handle sent, if any.
   *
   * @return the latest handle, or empty if none was sent
   */
  public Optional<String> latestHandle() {
    return engine.latestHandle();
  }

  /**
   * Returns the connections that served this session, oldest first.
   *
   * @return a snapshot of the connections
   */
  public List<FakeConnection> connections() {
    return engine.connections().stream().map(ConnectionEngine::handle).toList();
  }

  /**
   * Returns how many model turns completed (interrupted ones included).
   *
   * @return the number of completed model turns
   */
  public int turnCount() {
    return engine.turnCount();
  }

  @Override
  public String toString() {
    return "FakeSession[" + engine.id() + ", " + engine.model() + "]";
  }
}
