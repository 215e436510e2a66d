package dev.geminilive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.genai.types.LiveClientContextUpdate;
import com.google.genai.types.LiveClientMessage;
import dev.geminilive.ContextUpdate;
import dev.geminilive.LiveConfigException;
import dev.geminilive.LiveSessionClosedException;
import dev.geminilive.ModelProfile;
import dev.geminilive.ReconnectPolicy;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionSpec;
import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolBehavior;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link SessionContext}: an update is checked, replaces the spec before the call returns, and goes
 * out as a {@code contextUpdate} on 3.8 or waits for a connection set up with it elsewhere.
 */
class SessionContextTest {
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

  /** What the context asked the session to do. */
  private final List<String> sent = new ArrayList<>();

  private final List<SessionSpec> toolSwitches = new ArrayList<>();
  private final AtomicInteger moves = new AtomicInteger();

  private static SessionSpec spec(String model) {
    return ResilientLiveSession.builder()
        .apiKey("k-123")
        .model(model)
        .persona("You are Laura, a career coach.")
        .tools(new CoachTools())
        .build();
  }

  private CompletableFuture<Void> update(SessionContext context, ContextUpdate u, boolean canMove) {
    return context.update(
        u,
        null,
        canMove,
        toolSwitches::add,
        json -> {
          sent.add(json);
          return CompletableFuture.completedFuture(null);
        },
        moves::incrementAndGet);
  }

  @Test
  void onThreeEightTheUpdateIsSentInPlaceAndTheSpecChangesAtOnce() throws Exception {
    SessionContext context = new SessionContext(spec(ModelProfile.GEMINI_3_8_LIVE));
    CompletableFuture<Void> done =
        update(
            context,
            ContextUpdate.builder()
                .systemInstruction("You are Laura, now collecting payment.")
                .tools(new BillingTools())
                .build(),
            true);

    assertThat(done).isCompleted();
    assertThat(context.spec().tools().names()).containsExactly("take_payment");
    assertThat(context.spec().systemInstruction()).startsWith("You are Laura, now collecting");
    assertThat(context.current().version()).isEqualTo(1);
    assertThat(toolSwitches).containsExactly(context.spec());
    assertThat(moves).hasValue(0);
    assertThat(sent).hasSize(1);
    JsonNode update = Frames.readTree(sent.get(0)).get("contextUpdate");
    assertThat(update.at("/systemInstruction/parts/0/text").asText())
        .startsWith("You are Laura, now collecting payment.");
    assertThat(update.at("/tools/tools/0/functionDeclarations/0/name").asText())
        .isEqualTo("take_payment");
    assertThat(update.at("/tools/tools/0/functionDeclarations/0/behavior").asText())
        .isEqualTo("NON_BLOCKING");
  }

  @Test
  void theFrameIsWhatTheSdkReadsAsAContextUpdate() throws Exception {
    SessionContext context = new SessionContext(spec(ModelProfile.GEMINI_3_8_LIVE));
    update(context, ContextUpdate.builder().tools(new BillingTools()).build(), true);

    LiveClientMessage message = LiveClientMessage.fromJson(sent.get(0));
    LiveClientContextUpdate read = message.contextUpdate().orElseThrow();
    assertThat(read.systemInstruction()).as("an update of the tools only").isEmpty();
    assertThat(read.tools().orElseThrow().tools().orElseThrow()).hasSize(1);
    assertThat(Frames.readTree(sent.get(0)))
        .isEqualTo(
            Frames.readTree(
                "{\"contextUpdate\":" + Frames.readTree(read.toJson()).toString() + "}"));
  }

  @Test
  void removingEveryToolSendsAnEmptyListAndAnInstructionOnlyUpdateNoTools() throws Exception {
    SessionContext context =
        new SessionContext(
            ResilientLiveSession.builder()
                .apiKey("k-123")
                .model(ModelProfile.GEMINI_3_8_LIVE)
                .persona("You are Laura.")
                .tools(new BillingTools())
                .build());
    update(context, ContextUpdate.builder().tools().build(), true);
    update(
        context, ContextUpdate.builder().systemInstruction("You are Laura, again.").build(), true);

    JsonNode removeAll = Frames.readTree(sent.get(0)).get("contextUpdate");
    assertThat(removeAll.has("systemInstruction")).isFalse();
    assertThat(removeAll.at("/tools/tools").isArray()).isTrue();
    assertThat(removeAll.at("/tools/tools")).isEmpty();
    JsonNode instructionOnly = Frames.readTree(sent.get(1)).get("contextUpdate");
    assertThat(instructionOnly.has("tools")).isFalse();
    assertThat(context.current().version()).isEqualTo(2);
  }

  @Test
  void anInvalidUpdateFailsItsFutureAndChangesNothing() {
    SessionSpec extended =
        ResilientLiveSession.builder()
            .apiKey("k-123")
            .model(ModelProfile.GEMINI_3_8_LIVE_EXTENDED_THINKING)
            .build();
    SessionContext context = new SessionContext(extended);
    CompletableFuture<Void> done =
        update(context, ContextUpdate.builder().tools(new BlockingBilling()).build(), true);

    assertThat(done)
        .failsWithin(java.time.Duration.ZERO)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(
            LiveConfigException.class, e -> assertThat(e.field()).isEqualTo("tools"));
    assertThat(context.spec()).isSameAs(extended);
    assertThat(context.current().version()).isZero();
    assertThat(sent).isEmpty();
    assertThat(toolSwitches).isEmpty();
  }

  @Test
  void withoutContextUpdatesTheUpdateWaitsForAConnectionSetUpWithIt() {
    SessionContext context = new SessionContext(spec(ModelProfile.GEMINI_3_1_FLASH_LIVE));
    CompletableFuture<Void> first =
        update(context, ContextUpdate.builder().tools(new BillingTools()).build(), true);
    CompletableFuture<Void> second =
        update(context, ContextUpdate.builder().tools(new CoachTools()).build(), true);

    assertThat(sent).isEmpty();
    assertThat(moves).hasValue(2);
    assertThat(context.needsMove(0)).isTrue();
    assertThat(context.needsMove(2)).isFalse();
    assertThat(context.spec().tools().names()).containsExactly("create_client_profile");

    context.connectionInUse(1);
    assertThat(first).isCompleted();
    assertThat(second).isNotDone();
    assertThat(context.needsMove(1)).isTrue();
    context.connectionInUse(2);
    assertThat(second).isCompleted();
  }

  @Test
  void withoutContextUpdatesASessionThatCannotMoveRefusesTheUpdate() {
    SessionSpec spec = spec(ModelProfile.GEMINI_3_1_FLASH_LIVE);
    SessionContext context = new SessionContext(spec);
    CompletableFuture<Void> done =
        update(context, ContextUpdate.builder().tools(new BillingTools()).build(), false);

    assertThat(done).isCompletedExceptionally();
    assertThat(done.handle((v, e) -> e).join())
        .isInstanceOf(LiveConfigException.class)
        .hasMessageContaining("reconnect policy is none()")
        .hasMessageContaining("gemini-3.8-live");
    assertThat(context.spec()).isSameAs(spec);
    assertThat(moves).hasValue(0);
    assertThat(ReconnectPolicy.none().enabled()).isFalse();
  }

  @Test
  void theEndFailsTheUpdatesStillWaitingAndRefusesLaterOnes() {
    SessionContext context = new SessionContext(spec(ModelProfile.GEMINI_3_1_FLASH_LIVE));
    CompletableFuture<Void> waiting =
        update(context, ContextUpdate.builder().tools(new BillingTools()).build(), true);
    LiveSessionClosedException closed = new LiveSessionClosedException("The session is closed.");
    context.ended(closed);

    assertThat(waiting.handle((v, e) -> e).join()).isSameAs(closed);
    CompletableFuture<Void> later =
        update(context, ContextUpdate.builder().tools(new CoachTools()).build(), true);
    assertThat(later.handle((v, e) -> e).join()).isSameAs(closed);
    assertThat(moves).hasValue(1);
  }
}
