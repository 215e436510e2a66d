package dev.geminilive.instruction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.geminilive.LiveConfigException;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.tools.LiveTool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What the instruction lint takes for a tool reference, how often it warns, and how to quiet it.
 */
class InstructionLintTest {
  private static final String PERSONA =
      "You are Robin, the receptionist of a small dental practice, answering the phone. You help"
          + " callers book, move or cancel an appointment and answer simple questions about"
          + " opening hours, always in short and friendly sentences.";

  private static SystemInstruction withRule(String rule) {
    return SystemInstruction.builder().persona(PERSONA).rule(rule).build();
  }

  @Test
  void aBacktickedWordThatIsNotToolShapedIsNoToolReference() {
    SystemInstruction si =
        withRule("Never read out `markdown`, `json` or `HTML`; say `okay` instead of `OK`.");

    assertThat(si.lint(Set.of())).isEmpty();
    assertThat(si.referencedToolNames()).isEmpty();
  }

  @Test
  void snakeCaseCamelCaseAndCalledWordsAreToolReferences() {
    SystemInstruction si =
        withRule(
            "Call `lookup` first, then `book_slot`; `getWeather` if asked, and use the `notes`"
                + " tool for the rest.");

    assertThat(si.referencedToolNames())
        .containsExactly("lookup", "book_slot", "getWeather", "notes");
    assertThatThrownBy(() -> si.lint(Set.of("book_slot")))
        .isInstanceOf(LiveConfigException.class)
        .hasMessageContaining("'getWeather', 'lookup', 'notes'")
        .hasMessageContaining("InstructionCheck.UNDECLARED_TOOL");
  }

  @Test
  void aPlainWordThatIsADeclaredToolCountsAsAMention() {
    SystemInstruction si = withRule("When asked about the weather, use `weather`.");

    assertThat(si.lint(Set.of("weather"))).isEmpty();
    assertThat(si.lint(Set.of("weather", "forecast")))
        .singleElement()
        .asString()
        .contains("'forecast'", "never mentions");
  }

  @Test
  void eachCheckCanBeTurnedOff() {
    SystemInstruction shortPersona =
        SystemInstruction.builder().persona("You are Robin.").rule("Call `lookup`.").build();

    assertThat(
            shortPersona.lint(
                Set.of("unused_tool"),
                Set.of(InstructionCheck.UNDECLARED_TOOL, InstructionCheck.PERSONA_LENGTH)))
        .singleElement()
        .asString()
        .contains("'unused_tool'");
    assertThat(shortPersona.lint(Set.of("lookup"), Set.of(InstructionCheck.PERSONA_LENGTH)))
        .isEmpty();
    assertThat(
            shortPersona.lint(
                Set.of("lookup", "unused_tool"),
                Set.of(InstructionCheck.UNMENTIONED_TOOL, InstructionCheck.PERSONA_LENGTH)))
        .isEmpty();
  }

  @Test
  void theBuilderCanTurnACheckOff() {
    LiveSessionBuilder builder =
        ResilientLiveSession.builder().apiKey("k").persona(PERSONA).rule("Call `send_summary`.");

    assertThatThrownBy(builder::build).isInstanceOf(LiveConfigException.class);
    assertThat(
            builder
                .ignoreInstructionChecks(InstructionCheck.UNDECLARED_TOOL)
                .build()
                .systemInstruction())
        .contains("`send_summary`");
  }

  /** A tool no rule of {@link #agent} mentions. */
  static final class Forgotten {
    @LiveTool(name = "forgotten_tool", description = "Never mentioned.")
    String forgotten() {
      return "";
    }
  }

  @Test
  void theSameSpecBuiltAgainDoesNotWarnAgain() {
    // A phone bridge builds one spec per call: the warnings are logged the first time only.
    String persona = "You are agent " + UUID.randomUUID() + ".";
    Supplier<LiveSessionBuilder> agent =
        () -> ResilientLiveSession.builder().apiKey("k").persona(persona).tools(new Forgotten());

    String log =
        stderrOf(
            () -> {
              agent.get().build();
              agent.get().build();
              agent.get().build();
            });

    assertThat(log).as(log).containsOnlyOnce("'forgotten_tool' is declared but");
    assertThat(log).containsOnlyOnce("The persona has 4 words");
    String other = stderrOf(() -> agent.get().persona(persona + " Another one.").build());
    assertThat(other).as("another instruction warns on its own").contains("forgotten_tool");
  }

  /** What {@code task} printed to stderr, where the test binding (slf4j-simple) logs. */
  private static String stderrOf(Runnable task) {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      task.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
