package dev.geminilive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.InteractionStatus;
import dev.geminilive.internal.OutboundQueue.Marks;
import org.junit.jupiter.api.Test;

/**
 * The replay rule's bookkeeping, scenario by scenario. Indexes are the session's message indexes;
 * {@code at(sent, request)} are the send counters when a frame arrived (the newest message and the
 * newest request handed to the socket by then).
 */
class ReplyLedgerTest {
  private final ReplyLedger ledger = new ReplyLedger();

  private static Marks at(long sent, long request) {
    return new Marks(sent, request);
  }

  @Test
  void aRequestIsAnsweredOnceItsReplyBegins() {
    ledger.reset(-1);
    // 0: text "hi"; the reply begins after it was sent.
    assertThat(ledger.answered()).isEqualTo(-1);
    ledger.output(at(0, 0));
    assertThat(ledger.answered()).isZero();
    assertThat(ledger.modelIdle()).isFalse();
    ledger.turnComplete(at(0, 0));
    assertThat(ledger.answered()).isZero();
    assertThat(ledger.modelIdle()).isTrue();
  }

  @Test
  void aRequestSentAfterTheTurnEndedIsNotAnsweredByTheHandleThatFollows() {
    ledger.reset(-1);
    ledger.output(at(0, 0));
    ledger.turnComplete(at(0, 0));
    // 1: text sent after turnComplete arrived, before the handle frame: still unanswered.
    assertThat(ledger.answered()).isZero();
    assertThat(ledger.expectsOutput(1)).isTrue();
  }

  @Test
  void aBargeInDuringAReplyIsNotAnsweredByTheInterruptedTurn() {
    ledger.reset(-1);
    ledger.output(at(0, 0)); // the reply to 0 begins
    // 1: the user's text cuts in; the rest of the old reply, interrupted and turnComplete follow.
    ledger.output(at(1, 1));
    ledger.interrupted(at(1, 1));
    ledger.turnComplete(at(1, 1));
    assertThat(ledger.answered()).isZero();
    // The reply to 1 begins: now it is answered too.
    ledger.output(at(1, 1));
    assertThat(ledger.answered()).isEqualTo(1);
  }

  @Test
  void aRequestThatCrossedTheStartOfAnUnrelatedReplyAndInterruptedItStaysUnanswered() {
    ledger.reset(4);
    // 5: text sent while a reply the client had not seen yet (to speech) was starting.
    ledger.output(at(5, 5));
    ledger.interrupted(at(5, 5));
    ledger.turnComplete(at(5, 5));
    assertThat(ledger.answered()).isEqualTo(4);
    ledger.output(at(5, 5)); // the reply to 5
    ledger.turnComplete(at(5, 5));
    assertThat(ledger.answered()).isEqualTo(5);
  }

  @Test
  void speechThatInterruptsAReplyLeavesTheRequestBeforeItAnswered() {
    ledger.reset(-1);
    ledger.output(at(0, 0)); // reply to text 0
    ledger.output(at(3, 0)); // audio 1..3 streamed meanwhile
    ledger.interrupted(at(3, 0));
    ledger.turnComplete(at(3, 0));
    assertThat(ledger.answered()).isZero();
  }

  @Test
  void audioEndedByTheServicesVoiceDetectionIsAnsweredWithItsReply() {
    ledger.reset(9);
    // 10..40: an audio turn; the reply begins after the last chunk was sent.
    ledger.output(at(40, 9));
    ledger.turnComplete(at(40, 9));
    assertThat(ledger.answered()).isEqualTo(40);
  }

  @Test
  void aToolResponseIsAnsweredOnlyWhenTheReplyToItBegins() {
    ledger.reset(-1);
    ledger.toolCall(at(0, 0)); // text 0 answered by a tool call
    assertThat(ledger.answered()).isZero();
    // 1: the tool response. Until the model speaks, it is unanswered and expected.
    assertThat(ledger.expectsOutput(1)).isTrue();
    assertThat(ledger.modelIdle()).isFalse();
    ledger.output(at(2, 1)); // 2: audio sent meanwhile
    assertThat(ledger.answered()).isEqualTo(2);
    ledger.turnComplete(at(2, 1));
    assertThat(ledger.modelIdle()).isTrue();
    assertThat(ledger.expectsOutput(1)).isFalse();
  }

  @Test
  void outputWhileAToolRunsWithoutAResponseIsNotAReplyToAnything() {
    ledger.reset(-1);
    ledger.toolCall(at(0, 0));
    ledger.output(at(3, 0)); // a non-blocking call: the model talks on
    assertThat(ledger.answered()).isZero();
  }

  @Test
  void anEmptyReplyAnswersTheRequestItFollows() {
    ledger.reset(-1);
    ledger.turnComplete(at(0, 0));
    assertThat(ledger.answered()).isZero();
  }

  @Test
  void anInterruptedEmptyReplyLeavesTheNewestRequestUnanswered() {
    ledger.reset(2);
    ledger.interrupted(at(3, 3));
    ledger.turnComplete(at(3, 3));
    assertThat(ledger.answered()).isEqualTo(2);
  }

  @Test
  void aNewConnectionStartsFromWhatTheHandleCovered() {
    ledger.reset(-1);
    ledger.output(at(5, 5));
    ledger.reset(3);
    assertThat(ledger.answered()).isEqualTo(3);
    assertThat(ledger.modelIdle()).isTrue();
    assertThat(ledger.expectsOutput(5)).isTrue();
  }

  @Test
  void aTurnCompleteWhileTheInteractionIsInProgressIsNoEndUntilTheServiceSaysIdle() {
    ledger.reset(-1);
    ledger.output(at(0, 0));
    ledger.turnComplete(at(0, 0));
    ledger.interactionStatus(InteractionStatus.IN_PROGRESS);
    // The generation is over, the interaction is not: the service still owes output.
    assertThat(ledger.modelIdle()).isTrue();
    assertThat(ledger.interactionInProgress()).isTrue();
    assertThat(ledger.expectsOutput(0)).isTrue();
    // Background output (filler, a result) and another turnComplete, still in progress.
    ledger.output(at(0, 0));
    ledger.turnComplete(at(0, 0));
    assertThat(ledger.interactionInProgress()).isTrue();
    ledger.interactionStatus(InteractionStatus.IDLE);
    assertThat(ledger.interactionInProgress()).isFalse();
    assertThat(ledger.expectsOutput(0)).isFalse();
    assertThat(ledger.answered()).isZero();
  }

  @Test
  void theDeprecatedRequiresActionEndsTheInteractionAndUnspecifiedChangesNothing() {
    ledger.reset(-1);
    ledger.interactionStatus(InteractionStatus.IN_PROGRESS);
    ledger.interactionStatus(InteractionStatus.UNSPECIFIED);
    assertThat(ledger.interactionInProgress()).isTrue();
    ledger.interactionStatus(InteractionStatus.REQUIRES_ACTION);
    assertThat(ledger.interactionInProgress()).isFalse();
  }

  @Test
  void aNewConnectionStartsWithNoInteractionInProgress() {
    ledger.reset(-1);
    ledger.interactionStatus(InteractionStatus.IN_PROGRESS);
    ledger.reset(3);
    assertThat(ledger.interactionInProgress()).isFalse();
    assertThat(ledger.expectsOutput(3)).isFalse();
  }
}
