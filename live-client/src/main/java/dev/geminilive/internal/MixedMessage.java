package dev.geminilive.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code toolCall} message in flight with calls a {@link FlowRunner} refused and calls it passed
 * on to the tool loop. Its one answer carries the refusals beside the tool loop's answer; when the
 * service cancels every passed call (so the tool loop answers nothing), it carries the refusals
 * alone. A refused call the service cancels is left out, so every call gets exactly one answer or
 * is cancelled by the service.
 *
 * <p>Not thread-safe: guarded by the flow runner's lock, as is the map of messages by call id it
 * enters itself in.
 */
final class MixedMessage {
  private static final Logger log = LoggerFactory.getLogger(MixedMessage.class);

  private final Set<String> running;
  private final Map<String, ObjectNode> refused;
  private final Consumer<String> respond;
  private final Map<String, MixedMessage> byCall;
  private boolean answered;

  /**
   * Enters the message in {@code byCall} under each of its calls' ids.
   *
   * @param passed the ids of the calls passed on to the tool loop
   * @param refused the refusals' function responses, by call id, in the message's order
   * @param respond sends the message's {@code toolResponse}
   * @param byCall the runner's messages in flight, by call id
   */
  MixedMessage(
      List<String> passed,
      Map<String, ObjectNode> refused,
      Consumer<String> respond,
      Map<String, MixedMessage> byCall) {
    this.running = new HashSet<>(passed);
    this.refused = refused;
    this.respond = respond;
    this.byCall = byCall;
    running.forEach(id -> byCall.put(id, this));
    refused.keySet().forEach(id -> byCall.put(id, this));
  }

  /** {@return whether the message was still to be answered}, and marks it answered. */
  boolean claim() {
    if (answered) {
      return false;
    }
    answered = true;
    running.forEach(id -> byCall.remove(id, this));
    refused.keySet().forEach(id -> byCall.remove(id, this));
    return true;
  }

  /** {@return the function responses of the refused calls not cancelled} */
  List<ObjectNode> refusals() {
    return List.copyOf(refused.values());
  }

  /**
   * The service cancelled call {@code id} of this message: a refusal is dropped; once every passed
   * call is cancelled, the refusals left are sent alone.
   */
  void cancelled(String id, String sessionName) {
    refused.remove(id);
    if (!running.remove(id) || !running.isEmpty() || !claim()) {
      return;
    }
    if (!refused.isEmpty()) {
      log.debug(
          "Session {}: the service cancelled every passed call of a message; its refusals go alone",
          sessionName);
      respond.accept(FlowRefusals.toolResponse(refusals()));
    }
  }
}
