package dev.geminilive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.Turn;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationLogTest {
  private final ConversationLog log = new ConversationLog(List.of(), 200);

  @Test
  void turnsAreLoggedInOrderWithUserTextsBetweenTwoModelTurnsJoined() {
    log.userText("hello");
    log.modelText("Hi,");
    log.modelText("there.");
    log.endOfModelTurn();
    log.userText("book");
    log.userText("Friday");
    assertThat(log.snapshot())
        .containsExactly(Turn.user("hello"), Turn.model("Hi, there."), Turn.user("book Friday"));
  }

  @Test
  void speechIsLoggedWhereItWasSpokenNotWhereItsTranscriptArrived() {
    log.userText("one");
    log.modelText("re one");
    log.endOfModelTurn();
    long audio = log.speech();
    assertThat(log.speech()).isEqualTo(audio); // every chunk of one speech
    long text = log.userText("two"); // sent after the audio, before its transcript came
    log.heardText("audio 900 ms");
    assertThat(text).isGreaterThan(audio);
    assertThat(log.snapshot())
        .containsExactly(Turn.user("one"), Turn.model("re one"), Turn.user("audio 900 ms two"));
  }

  @Test
  void speechAfterTheModelSpokeIsANewSpeech() {
    long first = log.speech();
    log.heardText("first");
    log.modelText("answer");
    log.endOfModelTurn();
    long second = log.speech();
    assertThat(second).isGreaterThan(first);
    log.heardText("second");
    assertThat(log.snapshot())
        .containsExactly(Turn.user("first"), Turn.model("answer"), Turn.user("second"));
  }

  @Test
  void aSnapshotEndsBeforeTheFirstMessageToBeReplayed() {
    log.userText("kept");
    log.modelText("answer");
    log.endOfModelTurn();
    long replayed = log.userText("replayed");
    assertThat(log.snapshot(replayed)).containsExactly(Turn.user("kept"), Turn.model("answer"));
  }

  @Test
  void forgettingTheServicesWordsKeepsWhatWasSent() {
    log.userText("one");
    long resumedAt = log.nextSeq();
    log.modelText("lost reply");
    log.endOfModelTurn();
    log.userText("two");
    log.forgetServiceWordsFrom(resumedAt);
    assertThat(log.snapshot()).containsExactly(Turn.user("one"), Turn.user("two"));
    assertThat(log.isEmpty()).isFalse();
  }

  @Test
  void replayedSpeechIsHeardAgainSoItsEarlierTranscriptIsForgottenAndTheSpeechLoggedOnce() {
    log.userText("one");
    log.modelText("reply");
    log.endOfModelTurn();
    long speech = log.speech();
    log.heardText("audio 760 ms"); // heard on the connection that then dropped
    log.forgetHeardFrom(speech); // the speech is replayed on the next one
    log.heardText("audio 760 ms"); // and heard again there
    assertThat(log.snapshot())
        .containsExactly(Turn.user("one"), Turn.model("reply"), Turn.user("audio 760 ms"));
  }

  @Test
  void theSeedComesFirstAndTheOldestTurnsGoPastTheBound() {
    ConversationLog small =
        new ConversationLog(List.of(Turn.user("seeded"), Turn.model("seed reply")), 3);
    assertThat(small.snapshot()).containsExactly(Turn.user("seeded"), Turn.model("seed reply"));
    small.userText("u1");
    small.modelText("m1");
    small.endOfModelTurn();
    assertThat(small.snapshot())
        .containsExactly(Turn.model("seed reply"), Turn.user("u1"), Turn.model("m1"));
  }

  @Test
  void speechWithoutATranscriptLeavesNothing() {
    log.speech();
    log.modelText("answer");
    log.endOfModelTurn();
    assertThat(log.snapshot()).containsExactly(Turn.model("answer"));
    assertThat(new ConversationLog(List.of(), 10).isEmpty()).isTrue();
  }
}
