package dev.geminilive.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.geminilive.LiveConfigException;
import dev.geminilive.ModelProfile;
import dev.geminilive.ReconnectPolicy;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A flow given to the session builder: the spec opens in the first stage; every stage is checked.
 */
class FlowSpecTest {
  @Test
  void theSpecOpensWithTheFirstStagesInstructionAndTools() {
    Flow flow = FlowTest.desk();
    SessionSpec spec =
        ResilientLiveSession.builder().apiKey("k-1").language("en-US").flow(flow).build();
    assertThat(spec.flow()).contains(flow);
    assertThat(spec.tools().names()).containsExactly("open_ticket");
    assertThat(spec.systemInstruction())
        .contains("You are Sam")
        .contains("call `open_ticket`")
        .contains("RESPOND IN ENGLISH")
        .doesNotContain("find_slots");
  }

  @Test
  void aContextUpdateOfTheFlowGivesTheNextStagesSpec() {
    Flow flow = FlowTest.desk();
    SessionSpec spec = ResilientLiveSession.builder().apiKey("k-1").flow(flow).build();
    SessionSpec callback = spec.withContext(flow.contextOf("callback", Map.of("ticket_id", "T-1")));
    assertThat(callback.tools().names()).containsExactly("find_slots", "book_callback");
    assertThat(callback.systemInstruction()).contains("ticket_id: T-1").contains("`book_callback`");
    assertThat(callback.flow()).contains(flow);
  }

  @Test
  void aBuilderFromAFlowSpecStartsTheFlowOver() {
    Flow flow = FlowTest.desk();
    SessionSpec spec = ResilientLiveSession.builder().apiKey("k-1").flow(flow).build();
    SessionSpec later = spec.withContext(flow.contextOf("callback", Map.of()));
    assertThat(later.toBuilder().build()).isEqualTo(spec);
  }

  @Test
  void theFlowExcludesTheBuildersOwnInstructionAndTools() {
    assertThatThrownBy(
            () ->
                ResilientLiveSession.builder()
                    .apiKey("k-1")
                    .persona("You are Sam.")
                    .flow(FlowTest.desk())
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("give the persona, shared rules, guidelines, guardrails and tools")
        .hasMessageContaining("Flow.builder()");
  }

  @Test
  void aStageTheModelCannotRunFailsTheBuildNamingTheStage() {
    Flow flow =
        Flow.builder()
            .persona("You are Sam.")
            .stage(Stage.named("intake").rule("Ask the caller's name."))
            .stage(Stage.named("orders").rule("Call `lookup_order` with the order number."))
            .build();
    assertThatThrownBy(() -> ResilientLiveSession.builder().apiKey("k-1").flow(flow).build())
        .isInstanceOf(LiveConfigException.class)
        .hasMessageContaining("Stage 'orders' of the flow")
        .hasMessageContaining("lookup_order");
  }

  @Test
  void aFlowOnEphemeralTokensIsRefusedSinceTheTokenLocksEveryStagesContext() {
    assertThatThrownBy(
            () ->
                ResilientLiveSession.builder()
                    .ephemeralToken("auth_tokens/t-1")
                    .flow(FlowTest.desk())
                    .build())
        .isInstanceOf(LiveConfigException.class)
        .hasMessageContaining("ephemeral token")
        .hasMessageContaining("could never leave its first stage");
  }

  @Test
  void aFlowThatCouldNeverMoveIsRefused() {
    assertThatThrownBy(
            () ->
                ResilientLiveSession.builder()
                    .apiKey("k-1")
                    .model(ModelProfile.GEMINI_3_1_FLASH_LIVE)
                    .reconnectPolicy(ReconnectPolicy.none())
                    .flow(FlowTest.desk())
                    .build())
        .isInstanceOf(LiveConfigException.class)
        .hasMessageContaining("could never leave its first stage")
        .hasMessageContaining("gemini-3.8-live");
    assertThat(
            ResilientLiveSession.builder()
                .apiKey("k-1")
                .reconnectPolicy(ReconnectPolicy.none())
                .flow(FlowTest.desk())
                .build()
                .flow())
        .isPresent();
  }
}
