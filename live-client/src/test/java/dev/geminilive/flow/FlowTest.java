package dev.geminilive.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.geminilive.tools.ToolDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Flow}: how stages, transitions and the shared instruction are declared and checked. */
class FlowTest {
  static Flow desk() {
    return Flow.builder()
        .persona("You are Sam, the help desk of Acme.")
        .guardrail("Never promise a refund.")
        .tools(new DeskTools())
        .stage(
            Stage.named("intake")
                .rule("Intake", "Ask for the caller's name, then call `open_ticket`.")
                .tools("open_ticket")
                .transition(
                    Transition.to("triage")
                        .afterTool("open_ticket")
                        .carrying(
                            CarryOver.toolResult("open_ticket", "ticket_id"),
                            CarryOver.fields("caller_name"))))
        .stage(
            Stage.named("triage")
                .rule("Triage", "Find out what is wrong. Do not fix it yourself.")
                .transition(
                    Transition.to("callback")
                        .onNextStep("the caller has described the problem")
                        .carrying(CarryOver.summary()))
                .transition(Transition.to("goodbye").onRequest()))
        .stage(
            Stage.named("callback")
                .rule("Callback", "Call `find_slots`, offer them, then `book_callback`.")
                .tools("find_slots", "book_callback")
                .transition(Transition.to("goodbye").afterTool("book_callback")))
        .stage(Stage.named("goodbye").rule("Goodbye", "Say goodbye."))
        .build();
  }

  @Test
  void opensInTheFirstStageAndKnowsWhichStagesHaveATool() {
    Flow flow = desk();
    assertThat(flow.start().name()).isEqualTo("intake");
    assertThat(flow.stages())
        .extracting(Stage::name)
        .containsExactly("intake", "triage", "callback", "goodbye");
    assertThat(flow.stagesOf("book_callback")).containsExactly("callback");
    assertThat(flow.stagesOf(Flow.NEXT_STEP_TOOL)).containsExactly("triage");
    assertThat(flow.stagesOf("no_such_tool")).isEmpty();
  }

  @Test
  void aStageInstructionSharesThePersonaAndGuardrailsAndCarriesWhatWasGathered() {
    Map<String, String> carried = new LinkedHashMap<>();
    carried.put("ticket_id", "T-1");
    carried.put(Flow.SUMMARY, "The printer on floor 3 jams.");
    String text = desk().instruction("callback", carried).render();
    assertThat(text)
        .contains("You are Sam, the help desk of Acme.")
        .contains("ticket_id: T-1")
        .contains("**So far in this conversation:** The printer on floor 3 jams.")
        .contains("Call `find_slots`, offer them, then `book_callback`.")
        .contains("Never promise a refund.")
        .doesNotContain("open_ticket")
        .doesNotContain(Flow.NEXT_STEP_TOOL);
    assertThat(text.indexOf("So far")).isLessThan(text.indexOf("**Callback:**"));
  }

  @Test
  void aStageWithANextStepTellsTheModelWhenToCallIt() {
    String text = desk().instruction("triage", Map.of()).render();
    assertThat(text)
        .contains(
            "**Next step:** When the caller has described the problem, call `next_step` with a"
                + " short summary of this step. Do not move on before.");
  }

  @Test
  void aStageDeclaresOnlyItsToolsWithoutTheirRequiresAndTheNextStepTool() throws Exception {
    Flow flow = desk();
    assertThat(flow.toolsOf("callback"))
        .extracting(ToolDefinition::name)
        .containsExactly("find_slots", "book_callback");
    assertThat(flow.toolsOf("callback").get(1).requires()).isEmpty();
    assertThat(flow.tools().find("book_callback").orElseThrow().requires())
        .containsExactly("find_slots", "open_ticket");
    ToolDefinition next = flow.toolsOf("triage").get(0);
    assertThat(next.name()).isEqualTo(Flow.NEXT_STEP_TOOL);
    assertThat(next.fullDescription())
        .contains("Invoke this tool *only when* the caller has described the problem.");
    String schema = next.declaration().parameters().orElseThrow().toJson();
    assertThat(schema).contains("summary").doesNotContain("\"stage\"");
    assertThat(flow.toolsOf("goodbye")).isEmpty();
  }

  @Test
  void severalNextStepsLetTheModelNameTheStage() throws Exception {
    Flow flow =
        Flow.builder()
            .stage(
                Stage.named("menu")
                    .rule("Ask what the caller wants.")
                    .transition(Transition.to("sales").onNextStep("they want to buy"))
                    .transition(Transition.to("support").onNextStep("something is broken")))
            .stage(Stage.named("sales").rule("Sell."))
            .stage(Stage.named("support").rule("Help."))
            .build();
    ToolDefinition next = flow.toolsOf("menu").get(0);
    assertThat(next.fullDescription())
        .contains("they want to buy (stage sales), or when something is broken (stage support)");
    assertThat(next.declaration().parameters().orElseThrow().toJson())
        .contains("sales")
        .contains("support");
    ObjectMapper json = new ObjectMapper();
    assertThat(next.handler().handle(json.readTree("{\"stage\":\"support\"}"), null))
        .isEqualTo(Map.of("moved_to", "support"));
    assertThat(next.handler().handle(json.readTree("{\"stage\":\"billing\"}"), null).toString())
        .contains("invalid_argument")
        .contains("sales");
    assertThat(flow.instruction("menu", Map.of()).render())
        .contains(
            "When they want to buy, call `next_step` with stage sales; when something is broken,"
                + " call `next_step` with stage support.");
  }

  @Test
  void refusesAStageThatNamesAToolTheFlowDoesNotHave() {
    assertThatThrownBy(
            () ->
                Flow.builder()
                    .tools(new DeskTools())
                    .stage(Stage.named("a").rule("x").tools("open_ticket", "find_slot"))
                    .stage(Stage.named("b").rule("y").tools("find_slots", "book_callback"))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("stage a names tool find_slot, which the flow does not have");
  }

  @Test
  void refusesATransitionToNowhereAndAToolInNoStage() {
    assertThatThrownBy(
            () ->
                Flow.builder()
                    .stage(Stage.named("a").rule("x").transition(Transition.to("b")))
                    .build())
        .hasMessageContaining("transition to b, which is no stage of the flow");
    assertThatThrownBy(
            () ->
                Flow.builder()
                    .tools(new DeskTools())
                    .stage(Stage.named("a").rule("x").tools("open_ticket"))
                    .build())
        .hasMessageContaining("[book_callback, find_slots] are in no stage");
  }

  @Test
  void refusesARuleThatNamesAnotherStagesTool() {
    assertThatThrownBy(
            () ->
                Flow.builder()
                    .tools(new DeskTools())
                    .stage(Stage.named("a").rule("Call `find_slots` now.").tools("open_ticket"))
                    .stage(Stage.named("b").rule("y").tools("find_slots", "book_callback"))
                    .build())
        .hasMessageContaining("stage a's rules name `find_slots`, a tool of stage b");
  }

  @Test
  void refusesAToolTriggerForAToolTheStageLacks() {
    assertThatThrownBy(
            () ->
                Stage.named("a")
                    .rule("x")
                    .transition(Transition.to("b").afterTool("open_ticket"))
                    .build())
        .hasMessageContaining("waits for tool open_ticket, which the stage does not have");
  }

  @Test
  void stageNamesAreCheckedWhereTheyAreWritten() {
    assertThatThrownBy(() -> Stage.named("action items"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("such as 'intake'");
    assertThatThrownBy(() -> Stage.named("a").transition(Transition.to("a")))
        .hasMessageContaining("cannot have a transition to itself");
    assertThatThrownBy(() -> Stage.named("a").tools(Flow.NEXT_STEP_TOOL))
        .hasMessageContaining("declared by the flow itself");
  }

  @Test
  void aTransitionIsAValue() {
    Transition t = Transition.to("b").afterTool("x").carrying(CarryOver.summary());
    assertThat(t).isEqualTo(Transition.to("b").afterTool("x").carrying(CarryOver.summary()));
    assertThat(t.trigger()).isEqualTo(Trigger.toolSucceeded("x"));
    assertThat(t.carriesSummary()).isTrue();
    assertThat(Transition.to("b").onRequest().trigger()).isEqualTo(Trigger.requested());
    assertThat(List.of(t.carried())).hasSize(1);
  }

  @Test
  void startsWhereTheBuilderSays() {
    Flow flow = desk();
    assertThat(
            Flow.builder()
                .tools(new DeskTools())
                .stage(flow.stage("intake").orElseThrow())
                .stage(flow.stage("triage").orElseThrow())
                .stage(flow.stage("callback").orElseThrow())
                .stage(flow.stage("goodbye").orElseThrow())
                .start("callback")
                .build()
                .start()
                .name())
        .isEqualTo("callback");
  }
}
