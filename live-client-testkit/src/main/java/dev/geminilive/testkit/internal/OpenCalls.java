package dev.geminilive.testkit.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The tool calls of one {@link SessionEngine} sent and not yet answered or cancelled, in the order
 * they were sent, with the {@code toolCall} and {@code toolCallCancellation} messages that open and
 * cancel them. Guarded by the session's lock; not thread-safe.
 */
final class OpenCalls {
  private final Map<String, Call> calls = new LinkedHashMap<>();

  /** Opens call {@code callId} and returns the {@code toolCall} message that asks for it. */
  ObjectNode open(String callId, String name, Map<String, ?> args, boolean blocking) {
    ObjectNode msg = Json.object();
    ObjectNode fc = msg.putObject("toolCall").putArray("functionCalls").addObject();
    fc.put("id", callId);
    fc.put("name", name);
    fc.set("args", Json.tree(args));
    calls.put(callId, new Call(name, blocking));
    return msg;
  }

  /** Closes call {@code callId}, answered; returns it, or null if it is not open. */
  @Nullable Call answer(String callId) {
    return calls.remove(callId);
  }

  /**
   * Cancels the BLOCKING calls (new input cancels them; NON_BLOCKING ones keep running) and returns
   * the {@code toolCallCancellation} message naming them, or null if none was open.
   */
  @Nullable ObjectNode cancelBlocking() {
    List<String> cancelled =
        calls.entrySet().stream()
            .filter(e -> e.getValue().blocking())
            .map(Map.Entry::getKey)
            .toList();
    if (cancelled.isEmpty()) {
      return null;
    }
    ObjectNode msg = Json.object();
    ArrayNode ids = msg.putObject("toolCallCancellation").putArray("ids");
    cancelled.forEach(ids::add);
    cancelled.forEach(calls::remove);
    return msg;
  }

  boolean isEmpty() {
    return calls.isEmpty();
  }

  boolean anyBlocking() {
    return calls.values().stream().anyMatch(Call::blocking);
  }

  /** Whether any of {@code callIds} is still open. */
  boolean anyOpen(Collection<String> callIds) {
    return callIds.stream().anyMatch(calls::containsKey);
  }

  /** The ids of the open calls, oldest first. */
  List<String> ids() {
    return List.copyOf(calls.keySet());
  }

  /** Forgets every open call (the connection that carried them is gone). */
  void clear() {
    calls.clear();
  }

  /** A tool call sent and not yet answered or cancelled. */
  record Call(String name, boolean blocking) {}
}
