package dev.geminilive.flow;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where one session is in its {@link Flow}: the current stage, the stages it went through, what was
 * carried along, and a way for the application to move on. Get it from {@link
 * dev.geminilive.ResilientLiveSession#flow()}.
 *
 * <pre>{@code
 * FlowPosition position = session.flow().orElseThrow();
 * if (position.stage().name().equals("discussion") && userClickedBook) {
 *   position.moveTo("scheduling");
 * }
 * }</pre>
 *
 * <p>The position is part of the conversation: it changes in order with the session's input (a
 * stage is entered with a context update sent after everything sent before it), a resumed session
 * is in the same stage, and a session rebuilt from history opens in the current stage with what was
 * carried. Thread-safe; the values it returns are snapshots.
 *
 * @since 0.1
 */
public interface FlowPosition {
  /** {@return the flow this position is in} */
  Flow flow();

  /** {@return the current stage} */
  Stage stage();

  /** {@return the stage changes so far, oldest first; empty while in the first stage} */
  List<StageChange> history();

  /**
   * {@return everything carried so far, by name, in order: what every stage's instruction from now
   * on holds}
   */
  Map<String, String> carried();

  /**
   * {@return a future that completes when the current stage's context is in force: at once in the
   * first stage; after a change, as the session's {@code updateContext} completes (handed to the
   * socket on models that take a context update, the connection with the new setup in use on the
   * others, where the move waits for a pause in the conversation)}
   *
   * <p>On models without context updates an application can wait for it before it sends the next
   * input, so that the input is answered in the new stage.
   */
  CompletableFuture<Void> entered();

  /**
   * Moves the conversation to {@code stage} by the current stage's transition to it, whatever that
   * transition's trigger, carrying what it carries.
   *
   * @param stage the name of the stage to enter
   * @return completes as the session's {@code updateContext} does: when the new context was handed
   *     to the socket (or, on models that take no context update, when the connection with the new
   *     setup is active)
   * @throws IllegalArgumentException when the current stage has no transition to {@code stage}
   */
  CompletableFuture<Void> moveTo(String stage);
}
