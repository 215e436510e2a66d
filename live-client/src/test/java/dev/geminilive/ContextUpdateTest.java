package dev.geminilive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.geminilive.instruction.SystemInstruction;
import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolBehavior;
import org.junit.jupiter.api.Test;

/** {@link SessionSpec#withContext}: a mid-session update, checked as {@code build()} checks. */
class ContextUpdateTest {
  static class CoachTools {
    @LiveTool(name = "create_client_profile", description = "Creates a client profile.")
    public String create(String name) {
      return name;
    }
  }

  static class BillingTools {
    @LiveTool(name = "take_payment", description = "Takes a payment.")
    public String pay(String amount) {
      return amount;
    }
  }

  static class BlockingBilling {
    @LiveTool(
        name = "take_payment",
        description = "Takes a payment.",
        behavior = ToolBehavior.BLOCKING)
    public String pay(String amount) {
      return amount;
    }
  }

  private static SessionSpec coach() {
    return ResilientLiveSession.builder()
        .apiKey("k-123")
        .language("en-US")
        .persona("You are Laura, a career coach.")
        .rule("Intake: call `create_client_profile` once you have the details.")
        .tools(new CoachTools())
        .build();
  }

  @Test
  void newToolsReplaceTheOldAndKeepTheInstruction() {
    SessionSpec spec = coach();
    SessionSpec next =
        spec.withContext(
            ContextUpdate.builder().tools(new CoachTools(), new BillingTools()).build());
    assertThat(next.tools().names()).containsExactly("create_client_profile", "take_payment");
    assertThat(next.systemInstruction()).isEqualTo(spec.systemInstruction());
    assertThat(next.tools().find("take_payment").orElseThrow().behavior())
        .isEqualTo(ToolBehavior.NON_BLOCKING);
    assertThat(spec.tools().names()).containsExactly("create_client_profile");
  }

  @Test
  void aNewInstructionIsRenderedWithTheSessionsLanguageAndStaysStructured() {
    SystemInstruction billing =
        SystemInstruction.builder()
            .persona("You are Laura, now collecting payment.")
            .rule("Call `create_client_profile` first if the client is new.")
            .build();
    SessionSpec next =
        coach().withContext(ContextUpdate.builder().systemInstruction(billing).build());
    assertThat(next.systemInstruction()).contains("now collecting payment");
    assertThat(next.systemInstruction()).contains("RESPOND IN ENGLISH");
    assertThat(next.structuredInstruction()).isPresent();
    assertThat(next.toBuilder().build()).isEqualTo(next);
  }

  @Test
  void anUpdateIsLintedAgainstTheToolsItLeaves() {
    // The instruction still names create_client_profile, which the update removes.
    assertThatThrownBy(
            () -> coach().withContext(ContextUpdate.builder().tools(new BillingTools()).build()))
        .isInstanceOf(LiveConfigException.class)
        .hasMessageContaining("create_client_profile");
  }

  @Test
  void anUpdateIsCheckedAgainstTheModelsProfile() {
    SessionSpec extended =
        ResilientLiveSession.builder()
            .apiKey("k-123")
            .model(ModelProfile.GEMINI_3_8_LIVE_EXTENDED_THINKING)
            .build();
    assertThatThrownBy(
            () ->
                extended.withContext(ContextUpdate.builder().tools(new BlockingBilling()).build()))
        .isInstanceOfSatisfying(
            LiveConfigException.class, e -> assertThat(e.field()).isEqualTo("tools"))
        .hasMessageContaining("asynchronously only");
  }

  @Test
  void aPlainTextInstructionReplacesAStructuredOne() {
    SessionSpec next =
        coach()
            .withContext(
                ContextUpdate.builder()
                    .systemInstruction("You are Laura. Call `create_client_profile` when asked.")
                    .build());
    assertThat(next.structuredInstruction()).isEmpty();
    assertThat(next.systemInstruction()).startsWith("You are Laura.");
  }

  @Test
  void anEmptyUpdateSaysWhatItNeeds() {
    assertThatThrownBy(() -> ContextUpdate.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("systemInstruction(...) or tools(...)");
  }

  @Test
  void theUpdateKeepsTheSessionsCredentials() {
    SessionSpec spec = coach();
    assertThat(spec.withContext(ContextUpdate.builder().tools(new CoachTools()).build()).auth())
        .isEqualTo(spec.auth());
  }
}
