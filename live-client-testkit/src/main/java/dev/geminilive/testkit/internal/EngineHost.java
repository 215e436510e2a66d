package dev.geminilive.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.testkit.FakeConnection;
import dev.geminilive.testkit.FakeSession;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.UserTurn;
import java.time.Duration;
import java.util.List;

/**
 * What the protocol engine needs from the public side of the testkit: the script in force, the
 * recorder, and the public handles of the connections and sessions it creates. Called on the server
 * thread, except {@link #connectionHandle} (a Netty thread).
 */
public interface EngineHost {
  /** Returns the steps of the script's reply to {@code turn}; may throw (a failing script). */
  List<Step> replyTo(UserTurn turn);

  /** Returns the length of each audio chunk the fake model sends. */
  Duration audioChunk();

  /** Returns 0 for as fast as possible, else the pacing factor against real time. */
  double speed();

  /** Records one client message. */
  void record(int connection, MessageKind kind, String raw, JsonNode json);

  /** Returns the public handle of a connection just created. */
  FakeConnection connectionHandle(ConnectionEngine engine);

  /** Returns the public handle of a session just created. */
  FakeSession sessionHandle(SessionEngine engine);
}
