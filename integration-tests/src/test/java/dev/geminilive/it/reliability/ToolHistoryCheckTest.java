package dev.geminilive.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.testkit.HistoryEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The soak's tool check, on conversations written out by hand. */
class ToolHistoryCheckTest {
  private static HistoryEntry call(String tool) {
    return new HistoryEntry("tool", tool + "{\"label\":\"x\"}");
  }

  private static HistoryEntry answer(String tool) {
    return new HistoryEntry("tool", tool + " -> {\"status\":\"ok\"}");
  }

  private static HistoryEntry user(String text) {
    return new HistoryEntry("user", text);
  }

  @Test
  void overlappingCallsAnsweredInEitherOrderPassAndAreCounted() {
    List<HistoryEntry> history =
        List.of(
            user("hang a"),
            call("hang"),
            user("lookup b"),
            call("lookup"),
            answer("lookup"),
            answer("hang"));
    assertThat(ToolHistoryCheck.responsesWithoutOpenCall(history)).isEmpty();
    assertThat(ToolHistoryCheck.overlapping(history)).isEqualTo(2);
    List<HistoryEntry> inTurn = List.of(user("hang a"), call("hang"), answer("hang"));
    assertThat(ToolHistoryCheck.overlapping(inTurn)).isZero();
  }

  @Test
  void anAnswerTwiceAnAnswerWithoutItsCallAndAnAnswerOfAnotherToolAreEachFound() {
    assertThat(
            ToolHistoryCheck.responsesWithoutOpenCall(
                List.of(call("hang"), answer("hang"), answer("hang"))))
        .extracting(ToolHistoryCheck.Stray::index)
        .containsExactly(2);
    assertThat(ToolHistoryCheck.responsesWithoutOpenCall(List.of(user("a"), answer("hang"))))
        .extracting(ToolHistoryCheck.Stray::toString)
        .containsExactly("entry 1 of 2: hang -> {\"status\":\"ok\"}");
    assertThat(
            ToolHistoryCheck.responsesWithoutOpenCall(
                List.of(call("hang"), call("lookup"), answer("lookup"), answer("lookup"))))
        .extracting(ToolHistoryCheck.Stray::index)
        .containsExactly(3);
  }
}
