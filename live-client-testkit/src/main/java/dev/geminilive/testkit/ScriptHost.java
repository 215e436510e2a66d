package dev.geminilive.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.testkit.internal.ConnectionEngine;
import dev.geminilive.testkit.internal.EngineHost;
import dev.geminilive.testkit.internal.SessionEngine;
import dev.geminilive.testkit.internal.Step;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's view of a {@link FakeLiveServer}: the script in force, the recorder of client
 * messages, and the public handles of what the engine creates. Thread-safe: the script may be
 * replaced from any thread while the server thread reads it.
 */
final class ScriptHost implements EngineHost {
  private final Recorder recorder = new Recorder();
  private final AtomicLong sequence = new AtomicLong();
  private volatile Script script = Script.echo();

  Script script() {
    return script;
  }

  void script(Script script) {
    this.script = Objects.requireNonNull(script, "script");
  }

  Recorder recorder() {
    return recorder;
  }

  @Override
  public List<Step> replyTo(UserTurn turn) {
    return script.replyTo(turn);
  }

  @Override
  public Duration audioChunk() {
    return script.audioChunk();
  }

  @Override
  public double speed() {
    return script.speed();
  }

  @Override
  public void record(int connection, MessageKind kind, String raw, JsonNode json) {
    recorder.add(new RecordedMessage(connection, sequence.getAndIncrement(), kind, raw, json));
  }

  @Override
  public FakeConnection connectionHandle(ConnectionEngine connection) {
    return new FakeConnection(connection);
  }

  @Override
  public FakeSession sessionHandle(SessionEngine session) {
    return new FakeSession(session);
  }
}
