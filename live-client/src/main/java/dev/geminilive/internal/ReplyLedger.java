package dev.geminilive.internal;

import dev.geminilive.InteractionStatus;
import dev.geminilive.internal.OutboundQueue.Marks;

/**
 * Which client input the service has answered, read from what it sends back on one connection: the
 * basis of the replay rule (docs/resilience.md, "What a handle covers").
 *
 * <p>The service issues a resumable handle only when no generation and no tool call is in progress,
 * and processes input in order. Input that asks for a reply and was in the service's state when it
 * issued a handle has therefore been answered before that handle: its reply began and ended, and
 * its frames arrived first. So a handle covers the input up to {@link #answered()}: everything sent
 * before a reply began (that reply proves the input before it was taken in), and nothing the model
 * has not yet answered. An interruption that no later input explains may have been caused by the
 * newest request sent before the reply began (a request that crossed the start of an unrelated
 * reply): that request goes back to unanswered.
 *
 * <p>The model's side is tracked as idle, generating, or waiting for a tool response (a reply
 * begins again with the first output after a request sent since the tool call), and apart from
 * that, whether the service says it is still working ({@code interactionStatus} {@code
 * IN_PROGRESS}, which the 3.8 models send with {@code turnComplete} while they reason or run tools
 * in the background): {@code turnComplete} then ends the generation but not the interaction, and
 * the model is idle only once the service says {@code IDLE}. Where the service sends no status, a
 * {@code turnComplete} is the end, as before.
 *
 * <p>Not thread-safe: owned by the session's queue. Indexes are the session's message indexes;
 * {@link Marks} are the send counters when a frame arrived.
 */
final class ReplyLedger {
  private enum Model {
    IDLE,
    GENERATING,
    WAITING_FOR_TOOL
  }

  private Model model = Model.IDLE;
  // The newest index the service is known to have taken in and answered.
  private long answered = -1;
  // The current reply: answered before it began, and the send counters when it began.
  private boolean replyBegun;
  private long answeredBeforeReply = -1;
  private long replySent = -1;
  private long replyRequest = -1;
  // Whether input was sent after the current reply began (it may explain an interruption).
  private boolean inputDuringReply;
  // Whether an interruption was reported since the last turnComplete.
  private boolean interrupted;
  // The newest request sent when the model called a tool: a request after it resumes the reply.
  private long requestAtToolCall = -1;
  // The service said IN_PROGRESS and has not said IDLE since: it is still working.
  private boolean interactionInProgress;

  /**
   * A new connection: the service holds what the handle it resumed covers, through {@code index}.
   */
  void reset(long index) {
    model = Model.IDLE;
    answered = index;
    replyBegun = false;
    inputDuringReply = false;
    interrupted = false;
    requestAtToolCall = -1;
    interactionInProgress = false;
  }

  /** Model output arrived (audio, text, a thought, a transcript, {@code generationComplete}). */
  void output(Marks m) {
    switch (model) {
      case IDLE -> replyBegins(m);
      case WAITING_FOR_TOOL -> {
        if (m.sentRequest() > requestAtToolCall) {
          replyBegins(m); // the reply to the tool response
        } else {
          noteInput(m); // a non-blocking call: the model goes on talking
        }
      }
      case GENERATING -> noteInput(m);
    }
    model = Model.GENERATING;
  }

  /** The model called a tool: output, after which it waits for the response. */
  void toolCall(Marks m) {
    output(m);
    model = Model.WAITING_FOR_TOOL;
    requestAtToolCall = m.sentRequest();
  }

  /** {@code interrupted} arrived. */
  void interrupted(Marks m) {
    noteInput(m);
    interrupted = true;
  }

  /** {@code turnComplete} arrived: the generation is over. */
  void turnComplete(Marks m) {
    if (!replyBegun) {
      replyBegins(m); // a reply without output
    }
    noteInput(m);
    if (interrupted && !inputDuringReply && replyRequest > answeredBeforeReply) {
      // Nothing sent during the reply explains the interruption: the newest request sent before
      // it began may have caused it, arriving after an unrelated reply had begun.
      answered = Math.max(answeredBeforeReply, Math.min(answered, replyRequest - 1));
    }
    model = Model.IDLE;
    replyBegun = false;
    inputDuringReply = false;
    interrupted = false;
  }

  /**
   * The service's {@code interactionStatus}: IN_PROGRESS keeps the interaction open after {@code
   * turnComplete}; IDLE (or its deprecated name) ends it; UNSPECIFIED changes nothing.
   */
  void interactionStatus(InteractionStatus status) {
    if (status == InteractionStatus.IN_PROGRESS) {
      interactionInProgress = true;
    } else if (status.isIdle()) {
      interactionInProgress = false;
    }
  }

  /** Whether the service has said the interaction is in progress, and not yet that it is idle. */
  boolean interactionInProgress() {
    return interactionInProgress;
  }

  /** The newest index known answered: what a handle arriving now covers. */
  long answered() {
    return answered;
  }

  /**
   * Whether no generation is open (the model neither speaks nor waits for a tool response). The
   * interaction may still be in progress ({@link #interactionInProgress()}); a natural pause needs
   * both to be over.
   */
  boolean modelIdle() {
    return model == Model.IDLE;
  }

  /**
   * Whether the service owes output: a generation is open and not waiting for a tool, a request
   * sent through {@code lastSentRequest} is still unanswered, or the service said it is still
   * working (it owes at least the status that says it is done).
   */
  boolean expectsOutput(long lastSentRequest) {
    return model == Model.GENERATING || lastSentRequest > answered || interactionInProgress;
  }

  private void replyBegins(Marks m) {
    replyBegun = true;
    answeredBeforeReply = answered;
    replySent = m.sent();
    replyRequest = m.sentRequest();
    answered = Math.max(answered, m.sent());
    inputDuringReply = false;
  }

  private void noteInput(Marks m) {
    if (replyBegun && m.sent() > replySent) {
      inputDuringReply = true;
    }
  }
}
