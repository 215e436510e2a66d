package dev.geminilive.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code sessionResumptionUpdate} messages of one {@link SessionEngine}: a new resumable
 * handle, registered with the server with what it covers, or {@code resumable: false} while a reply
 * or a call is under way. Nothing is sent on a connection whose setup asked for no resumption.
 * Called with the session's lock held; {@link #latest()} from any thread.
 */
final class HandleUpdates {
  private final ServerEngine server;
  private volatile @Nullable String latest;

  HandleUpdates(ServerEngine server) {
    this.server = server;
  }

  /** The newest resumable handle sent, if any. */
  Optional<String> latest() {
    return Optional.ofNullable(latest);
  }

  /** Tells {@code conn}'s client that the session cannot be resumed from here. */
  void notResumable(ConnectionEngine conn) {
    if (conn.resumption()) {
      ObjectNode msg = Json.object();
      msg.putObject("sessionResumptionUpdate").put("resumable", false);
      conn.send(msg);
    }
  }

  /**
   * Sends {@code conn}'s client a new handle that resumes {@code session} with its first {@code
   * historySize} history entries and {@code setup} in force.
   */
  void issue(ConnectionEngine conn, SessionEngine session, int historySize, JsonNode setup) {
    if (!conn.resumption()) {
      return;
    }
    String handle = server.issueHandle(session, historySize, setup);
    latest = handle;
    ObjectNode msg = Json.object();
    ObjectNode update = msg.putObject("sessionResumptionUpdate");
    update.put("newHandle", handle);
    update.put("resumable", true);
    if (conn.transparent() && conn.lastConsumedIndex() >= 0) {
      update.put("lastConsumedClientMessageIndex", Long.toString(conn.lastConsumedIndex()));
    }
    conn.send(msg);
  }
}
