package dev.geminilive.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.SessionSpec;
import dev.geminilive.ToolCallEvent;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** Runs a session's tool calls. Implementations are thread-safe. */
interface ToolLoop extends AutoCloseable {
  /**
   * Runs the calls of one {@code toolCall} message off the caller's thread and hands the single
   * {@code toolResponse} frame (JSON) to {@code respond}, unless every call was cancelled.
   *
   * @param calls the message's function calls, in order
   * @return completes, never exceptionally, once the message is settled: {@code respond} has
   *     returned, or it will not be called (every call was cancelled first, or none was run)
   */
  CompletionStage<Void> dispatch(List<ToolCallEvent> calls, Consumer<String> respond);

  /** Cancels running calls: no response is sent for them. */
  void cancel(List<String> ids);

  /**
   * Later calls run {@code spec}'s tools (a context update); calls already running go on. Any
   * thread.
   */
  default void useTools(SessionSpec spec) {}

  @Override
  void close();

  /** Receives each finished call's response body, for the listener. */
  interface ToolResults {
    /** A call finished; {@code response} is {@code {"output": ...}} or {@code {"error": ...}}. */
    void onResult(String id, String name, JsonNode args, JsonNode response);
  }
}
