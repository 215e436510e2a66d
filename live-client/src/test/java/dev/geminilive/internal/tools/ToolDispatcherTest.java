package dev.geminilive.internal.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.FunctionResponse;
import com.google.genai.types.LiveClientToolResponse;
import com.google.genai.types.LiveServerToolCall;
import dev.geminilive.tools.CareerCoachTools;
import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolBehavior;
import dev.geminilive.tools.ToolContext;
import dev.geminilive.tools.ToolDefinition;
import dev.geminilive.tools.ToolException;
import dev.geminilive.tools.ToolRegistry;
import dev.geminilive.tools.ToolResult;
import dev.geminilive.tools.ToolScheduling;
import dev.geminilive.tools.ToolStatus;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ToolDispatcherTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long WAIT_SECONDS = 5;

  enum Priority {
    LOW,
    HIGH
  }

  record Address(String city, java.util.Optional<String> zip) {}

  /** Handlers whose progress the tests control with latches. */
  static final class TestTools {
    final CyclicBarrier bothRunning = new CyclicBarrier(2);
    final CountDownLatch slowStarted = new CountDownLatch(1);
    final CountDownLatch slowStopped = new CountDownLatch(1);
    final AtomicBoolean slowSawInterrupt = new AtomicBoolean();
    final AtomicBoolean slowSawCancelled = new AtomicBoolean();
    final CountDownLatch cancellationStageCompleted = new CountDownLatch(1);
    final CompletableFuture<String> asyncResult = new CompletableFuture<>();
    final CountDownLatch laterCalled = new CountDownLatch(1);
    final AtomicInteger runs = new AtomicInteger();
    volatile @Nullable Priority priority;

    @LiveTool(description = "Echoes.")
    String echo(String text) {
      runs.incrementAndGet();
      return text;
    }

    @LiveTool(description = "Adds.")
    int add(int a, int b) {
      return a + b;
    }

    @LiveTool(description = "Waits for a second call to run at the same time.")
    String together(String who) throws Exception {
      bothRunning.await(WAIT_SECONDS, TimeUnit.SECONDS);
      return who;
    }

    @LiveTool(description = "Sets the priority.")
    void prioritise(Priority priority) {
      this.priority = priority;
    }

    @LiveTool(description = "Fails with a secret in its message.")
    String boom() {
      throw new IllegalStateException("jdbc password=hunter2");
    }

    @LiveTool(description = "Refuses politely.")
    String refuse() {
      throw new ToolException("Slots are full; offer the waiting list.");
    }

    @LiveTool(description = "Blocks until cancelled.")
    String slow(ToolContext context) {
      context.cancellation().thenRun(cancellationStageCompleted::countDown);
      slowStarted.countDown();
      try {
        new CountDownLatch(1).await(WAIT_SECONDS * 2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        slowSawInterrupt.set(true);
      }
      slowSawCancelled.set(context.isCancelled());
      slowStopped.countDown();
      return "finished anyway";
    }

    @LiveTool(description = "Blocks past its time limit.", timeoutMillis = 100)
    String sluggish(ToolContext context) {
      return slow(context);
    }

    @LiveTool(description = "Completes when the test says so.")
    CompletableFuture<String> later() {
      laterCalled.countDown();
      return asyncResult;
    }

    @LiveTool(description = "Fails asynchronously.")
    CompletableFuture<String> laterFails() {
      return CompletableFuture.failedFuture(new ToolException("Calendar is offline."));
    }

    @LiveTool(description = "Describes its own call.")
    Map<String, Object> whoAmI(ToolContext context) {
      return Map.of(
          "session", context.sessionName(),
          "call", context.callId(),
          "tool", context.toolName(),
          "succeeded", new java.util.TreeSet<>(context.succeededTools()),
          "cancelled", context.isCancelled());
    }

    @LiveTool(description = "Ships to an address.")
    String ship(
        Address address,
        java.util.Optional<String> note,
        @dev.geminilive.tools.ToolParam(required = false) int count,
        List<Priority> priorities) {
      return address.city()
          + "/"
          + address.zip().orElse("-")
          + "/"
          + note.orElse("-")
          + "/"
          + count
          + "/"
          + priorities;
    }

    @LiveTool(description = "Does nothing.")
    void nothing() {}

    @LiveTool(description = "Finds nothing.")
    @Nullable String nothingFound() {
      return null;
    }

    @LiveTool(
        description = "Notifies in the background.",
        behavior = ToolBehavior.NON_BLOCKING,
        scheduling = ToolScheduling.WHEN_IDLE)
    String notifyLater() {
      return "sent";
    }

    @LiveTool(description = "Interrupts with news.", behavior = ToolBehavior.NON_BLOCKING)
    ToolResult urgent() {
      return ToolResult.of(Map.of("news", "fire")).scheduling(ToolScheduling.INTERRUPT);
    }
  }

  /** Records observer events as strings, in order. */
  static final class RecordingObserver implements ToolObserver {
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    final List<Throwable> causes = new ArrayList<>();

    @Override
    public void onToolStarted(String name, String callId, JsonNode arguments) {
      events.add("started " + name + " " + callId + " " + arguments);
    }

    @Override
    public void onToolCompleted(String name, String callId, JsonNode result, Duration elapsed) {
      events.add("completed " + name + " " + callId + " " + result);
    }

    @Override
    public synchronized void onToolFailed(
        String name, String callId, ToolStatus answer, @Nullable Throwable cause) {
      events.add("failed " + name + " " + callId);
      if (cause != null) {
        causes.add(cause);
      }
    }

    @Override
    public void onToolCancelled(String name, String callId) {
      events.add("cancelled " + name + " " + callId);
    }
  }

  private final TestTools tools = new TestTools();
  private final RecordingObserver observer = new RecordingObserver();
  private final BlockingQueue<LiveClientToolResponse> responses = new LinkedBlockingQueue<>();
  private @Nullable ToolDispatcher dispatcher;

  private ToolDispatcher dispatcher(Object... handlers) {
    dispatcher =
        new ToolDispatcher(
            ToolRegistry.of(handlers), null, Duration.ofSeconds(WAIT_SECONDS), observer, "s-1");
    return dispatcher;
  }

  @AfterEach
  void closeDispatcher() {
    if (dispatcher != null) {
      dispatcher.close();
    }
  }

  private static FunctionCall call(String id, String name, Object... keyValues) {
    Map<String, Object> args = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      args.put((String) keyValues[i], keyValues[i + 1]);
    }
    return FunctionCall.builder().id(id).name(name).args(args).build();
  }

  private static LiveServerToolCall toolCall(FunctionCall... calls) {
    return LiveServerToolCall.builder().functionCalls(calls).build();
  }

  private List<FunctionResponse> awaitResponse() throws InterruptedException {
    LiveClientToolResponse r = responses.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    if (r == null) {
      fail("no toolResponse within " + WAIT_SECONDS + " s");
    }
    return r.functionResponses().orElseThrow();
  }

  private FunctionResponse awaitSingle() throws InterruptedException {
    List<FunctionResponse> rs = awaitResponse();
    assertThat(rs).hasSize(1);
    return rs.get(0);
  }

  private static JsonNode body(FunctionResponse r) {
    return JSON.valueToTree(r.response().orElseThrow());
  }

  private static String error(FunctionResponse r) {
    JsonNode body = body(r);
    assertThat(body.has("output")).as("unexpected output: %s", body).isFalse();
    return body.get("error").asText();
  }

  /** The informative fields next to the error text: status, retryable, hint, options. */
  private static JsonNode informative(FunctionResponse r) {
    com.fasterxml.jackson.databind.node.ObjectNode b = body(r).deepCopy();
    b.remove("error");
    return b;
  }

  private FunctionResponse callOne(ToolDispatcher d, FunctionCall c) throws InterruptedException {
    d.dispatch(toolCall(c), responses::add);
    return awaitSingle();
  }

  @Test
  void answersAResultUnderOutputWithTheCallsIdAndName() throws Exception {
    FunctionResponse r = callOne(dispatcher(tools), call("c1", "add", "a", 2, "b", 3));

    assertThat(r.id()).contains("c1");
    assertThat(r.name()).contains("add");
    assertThat(body(r)).isEqualTo(JSON.readTree("{\"output\":5}"));
    assertThat(r.scheduling()).isEmpty();
  }

  @Test
  void runsParallelCallsOfOneMessageTogetherAndAnswersThemInOneResponse() throws Exception {
    ToolDispatcher d = dispatcher(tools);

    d.dispatch(
        toolCall(call("c1", "together", "who", "first"), call("c2", "together", "who", "second")),
        responses::add);

    List<FunctionResponse> rs = awaitResponse();
    assertThat(rs).extracting(r -> r.id().orElseThrow()).containsExactly("c1", "c2");
    assertThat(rs).extracting(r -> r.name().orElseThrow()).containsExactly("together", "together");
    assertThat(rs)
        .extracting(r -> body(r).get("output").asText())
        .containsExactly("first", "second");
    assertThat(responses).isEmpty();
  }

  @Test
  void aMissingRequiredArgumentIsAnErrorNamingIt() throws Exception {
    FunctionResponse r = callOne(dispatcher(tools), call("c1", "add", "a", 2));

    assertThat(error(r))
        .isEqualTo(
            "Invalid arguments for tool 'add': missing required argument 'b' (expected an"
                + " integer). Fix the arguments and call the tool again.");
  }

  @Test
  void aWrongTypeIsAnErrorSayingWhatWasExpected() throws Exception {
    FunctionResponse r = callOne(dispatcher(tools), call("c1", "add", "a", "two", "b", 3));

    assertThat(error(r)).contains("argument 'a' must be an integer, got \"two\"");
    assertThat(informative(r))
        .isEqualTo(
            JSON.readTree(
                "{\"status\":\"invalid_argument\",\"retryable\":true,"
                    + "\"retry_hint\":\"Fix the arguments and call the tool again.\"}"));
  }

  @Test
  void anUnknownEnumValueIsAnErrorListingTheValues() throws Exception {
    FunctionResponse r = callOne(dispatcher(tools), call("c1", "prioritise", "priority", "URGENT"));

    assertThat(error(r))
        .contains("unknown value \"URGENT\" for argument 'priority'; expected one of: LOW, HIGH");
    assertThat(tools.priority).isNull();
    assertThat(informative(r))
        .isEqualTo(
            JSON.readTree(
                "{\"status\":\"invalid_argument\",\"retryable\":true,"
                    + "\"retry_hint\":\"Call again with a value from valid_options.\","
                    + "\"valid_options\":[\"LOW\",\"HIGH\"]}"));
  }

  @Test
  void anUnknownArgumentIsAnError() throws Exception {
    FunctionResponse r = callOne(dispatcher(tools), call("c1", "echo", "text", "hi", "txt", "x"));

    assertThat(error(r)).contains("unknown argument 'txt'; expected only: text");
    assertThat(tools.runs).hasValue(0);
  }

  @Test
  void convertsEnumArgumentsAndAcknowledgesVoidTools() throws Exception {
    FunctionResponse r = callOne(dispatcher(tools), call("c1", "prioritise", "priority", "HIGH"));

    assertThat(body(r)).isEqualTo(JSON.readTree("{\"output\":{\"status\":\"ok\"}}"));
    assertThat(tools.priority).isEqualTo(Priority.HIGH);
  }

  @Test
  void aNullResultIsSentAsAnEmptyOutputObject() throws Exception {
    FunctionResponse r = callOne(dispatcher(tools), call("c1", "nothingFound"));

    assertThat(r.toJson()).contains("\"response\":{\"output\":{}}");
  }

  @Test
  void convertsNestedRecordsOptionalsAndListsAndDefaultsMissingOptionalArguments()
      throws Exception {
    ToolDispatcher d = dispatcher(tools);

    FunctionResponse full =
        callOne(
            d,
            call(
                "c1",
                "ship",
                "address",
                Map.of("city", "Brooklyn", "zip", "11201"),
                "note",
                "fragile",
                "count",
                2,
                "priorities",
                List.of("HIGH", "LOW")));
    FunctionResponse minimal =
        callOne(
            d, call("c2", "ship", "address", Map.of("city", "Albany"), "priorities", List.of()));

    assertThat(body(full).get("output").asText()).isEqualTo("Brooklyn/11201/fragile/2/[HIGH, LOW]");
    assertThat(body(minimal).get("output").asText()).isEqualTo("Albany/-/-/0/[]");
  }

  @Test
  void nestedProblemsNameTheirPath() throws Exception {
    FunctionResponse r =
        callOne(
            dispatcher(tools),
            call(
                "c1",
                "ship",
                "address",
                Map.of("zip", 11201),
                "priorities",
                List.of("HIGH", "SOON")));

    assertThat(error(r))
        .contains("missing required argument 'address.city' (expected a string)")
        .contains("argument 'address.zip' must be a string, got 11201")
        .contains(
            "unknown value \"SOON\" for argument 'priorities[1]'; expected one of: LOW, HIGH");
  }

  @Test
  void aHandlerExceptionSendsAGenericMessageWithoutItsText() throws Exception {
    FunctionResponse r = callOne(dispatcher(tools), call("c1", "boom"));

    assertThat(error(r)).isEqualTo(ToolDispatcher.GENERIC_FAILURE).doesNotContain("hunter2");
    assertThat(r.toJson()).doesNotContain("hunter2").doesNotContain("IllegalStateException");
    assertThat(observer.events).contains("failed boom c1");
    assertThat(observer.causes).singleElement().isInstanceOf(IllegalStateException.class);
    assertThat(informative(r))
        .isEqualTo(JSON.readTree("{\"status\":\"error\",\"retryable\":false}"));
  }

  @Test
  void aToolExceptionMessageReachesTheModel() throws Exception {
    FunctionResponse r = callOne(dispatcher(tools), call("c1", "refuse"));

    assertThat(error(r)).isEqualTo("Slots are full; offer the waiting list.");
  }

  @Test
  void anUnknownToolIsAnErrorListingTheTools() throws Exception {
    FunctionResponse r = callOne(dispatcher(new CareerCoachTools(List.of())), call("c1", "fly"));

    assertThat(r.name()).contains("fly");
    assertThat(error(r))
        .startsWith("Unknown tool 'fly'. Available tools: add_action_items_to_profile, ");
    JsonNode shape = informative(r);
    assertThat(shape.get("status").asText()).isEqualTo("unknown_tool");
    assertThat(shape.get("retryable").asBoolean()).isTrue();
    assertThat(shape.get("retry_hint").asText())
        .isEqualTo("Call one of the tools in valid_options instead.");
    assertThat(shape.get("valid_options"))
        .extracting(JsonNode::asText)
        .contains("add_action_items_to_profile", "schedule_appointment")
        .doesNotContain("fly");
  }

  @Test
  void aTimedOutCallIsAnsweredWithAnErrorAndTheHandlerIsStopped() throws Exception {
    FunctionResponse r = callOne(dispatcher(tools), call("c1", "sluggish"));

    assertThat(error(r)).startsWith("The tool did not finish within 100 ms and was stopped.");
    assertThat(informative(r))
        .isEqualTo(JSON.readTree("{\"status\":\"timeout\",\"retryable\":false}"));
    assertThat(tools.slowStopped.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(tools.slowSawInterrupt).isTrue();
    assertThat(tools.slowSawCancelled).isTrue();
  }

  @Test
  void aCallCancelledMidRunSeesTheCancellationAndGetsNoResponse() throws Exception {
    ToolDispatcher d = dispatcher(tools);
    d.dispatch(toolCall(call("c1", "slow")), responses::add);
    assertThat(tools.slowStarted.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(d.hasCallsInFlight()).isTrue();

    d.cancel(List.of("c1"));

    assertThat(tools.slowStopped.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(tools.cancellationStageCompleted.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(tools.slowSawInterrupt).isTrue();
    assertThat(tools.slowSawCancelled).isTrue();
    assertThat(d.hasCallsInFlight()).isFalse();
    assertThat(responses).isEmpty();
    assertThat(observer.events)
        .contains("cancelled slow c1")
        .noneMatch(e -> e.startsWith("completed"));
  }

  @Test
  void aCancelledCallIsLeftOutOfItsMessagesResponse() throws Exception {
    ToolDispatcher d = dispatcher(tools);
    d.dispatch(toolCall(call("c1", "slow"), call("c2", "later")), responses::add);
    assertThat(tools.slowStarted.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

    d.cancel(List.of("c1", "no-such-id"));
    tools.asyncResult.complete("done");

    FunctionResponse r = awaitSingle();
    assertThat(r.id()).contains("c2");
    assertThat(body(r).get("output").asText()).isEqualTo("done");
  }

  @Test
  void asyncHandlersAreAnsweredWhenTheirFutureCompletes() throws Exception {
    ToolDispatcher d = dispatcher(tools);
    d.dispatch(toolCall(call("c1", "later")), responses::add);

    assertThat(responses.poll()).isNull();
    assertThat(d.hasCallsInFlight()).isTrue();
    tools.asyncResult.complete("booked");

    assertThat(body(awaitSingle()).get("output").asText()).isEqualTo("booked");
  }

  @Test
  void aFailedFutureIsAnsweredLikeAThrownException() throws Exception {
    FunctionResponse r = callOne(dispatcher(tools), call("c1", "laterFails"));

    assertThat(error(r)).isEqualTo("Calendar is offline.");
  }

  @Test
  void cancellingAnAsyncCallCancelsItsFuture() throws Exception {
    ToolDispatcher d = dispatcher(tools);
    d.dispatch(toolCall(call("c1", "later")), responses::add);
    CompletableFuture<Void> cancelled = new CompletableFuture<>();
    tools.asyncResult.whenComplete((v, e) -> cancelled.complete(null));
    assertThat(tools.laterCalled.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

    d.cancel(List.of("c1"));

    cancelled.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(tools.asyncResult).isCancelled();
    assertThat(responses).isEmpty();
  }

  @Test
  void aRepeatedCallIdIsNeverAnsweredTwice() throws Exception {
    ToolDispatcher d = dispatcher(tools);
    d.dispatch(toolCall(call("c1", "echo", "text", "one")), responses::add);
    awaitSingle();

    d.dispatch(
        toolCall(call("c1", "echo", "text", "again"), call("c2", "echo", "text", "two")),
        responses::add);

    FunctionResponse r = awaitSingle();
    assertThat(r.id()).contains("c2");
    assertThat(tools.runs).hasValue(2);
  }

  @Test
  void nonBlockingToolsCarryTheirScheduling() throws Exception {
    ToolDispatcher d = dispatcher(tools);

    FunctionResponse declared = callOne(d, call("c1", "notifyLater"));
    FunctionResponse overridden = callOne(d, call("c2", "urgent"));
    FunctionResponse blocking = callOne(d, call("c3", "echo", "text", "x"));

    assertThat(declared.scheduling().orElseThrow().toString()).isEqualTo("WHEN_IDLE");
    assertThat(overridden.scheduling().orElseThrow().toString()).isEqualTo("INTERRUPT");
    assertThat(body(overridden)).isEqualTo(JSON.readTree("{\"output\":{\"news\":\"fire\"}}"));
    assertThat(blocking.scheduling()).isEmpty();
  }

  @Test
  void programmaticToolsAreValidatedAndRun() throws Exception {
    ToolDefinition lookup =
        ToolDefinition.builder("lookup_order")
            .description("Finds an order.")
            .parameters(
                Map.of(
                    "type", "object",
                    "properties", Map.of("order_number", Map.of("type", "string")),
                    "required", List.of("order_number")))
            .handler(
                (args, ctx) ->
                    Map.of("order", args.get("order_number").asText(), "call", ctx.callId()))
            .build();
    ToolDispatcher d = dispatcher(lookup);

    FunctionResponse ok = callOne(d, call("c1", "lookup_order", "order_number", "A-7"));
    FunctionResponse bad = callOne(d, call("c2", "lookup_order"));

    assertThat(body(ok))
        .isEqualTo(JSON.readTree("{\"output\":{\"order\":\"A-7\",\"call\":\"c1\"}}"));
    assertThat(error(bad)).contains("missing required argument 'order_number'");
  }

  @Test
  void observerSeesStartAndCompletionWithArguments() throws Exception {
    callOne(dispatcher(tools), call("c1", "add", "a", 1, "b", 1));

    assertThat(observer.events)
        .containsExactly("started add c1 {\"a\":1,\"b\":1}", "completed add c1 2");
  }

  @Test
  void theContextDescribesTheCallAndTheToolsThatSucceededSoFar() throws Exception {
    ToolDispatcher d = dispatcher(tools);
    callOne(d, call("c1", "echo", "text", "hi"));
    callOne(d, call("c2", "boom"));

    FunctionResponse r = callOne(d, call("c3", "whoAmI"));

    assertThat(body(r).get("output"))
        .isEqualTo(
            JSON.readTree(
                "{\"session\":\"s-1\",\"call\":\"c3\",\"tool\":\"whoAmI\","
                    + "\"succeeded\":[\"echo\"],\"cancelled\":false}"));
  }

  @Test
  void anObserverThatThrowsDoesNotChangeTheAnswer() throws Exception {
    ToolObserver throwing =
        new ToolObserver() {
          @Override
          public void onToolCompleted(
              String name, String callId, JsonNode result, Duration elapsed) {
            throw new IllegalStateException("observer bug");
          }
        };
    dispatcher =
        new ToolDispatcher(
            ToolRegistry.of(tools), null, Duration.ofSeconds(WAIT_SECONDS), throwing, "s-1");

    FunctionResponse r = callOne(dispatcher, call("c1", "echo", "text", "hi"));

    assertThat(body(r)).isEqualTo(JSON.readTree("{\"output\":\"hi\"}"));
  }

  @Test
  void closeCancelsRunningCallsAndIgnoresLaterDispatches() throws Exception {
    ToolDispatcher d = dispatcher(tools);
    d.dispatch(toolCall(call("c1", "slow")), responses::add);
    assertThat(tools.slowStarted.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

    d.close();
    d.dispatch(toolCall(call("c2", "echo", "text", "late")), responses::add);

    assertThat(tools.slowStopped.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(d.hasCallsInFlight()).isFalse();
    assertThat(responses).isEmpty();
    assertThat(tools.runs).hasValue(0);
  }

  @Test
  void aToolWhoseRequirementHasNotSucceededIsRefusedWithoutRunning() throws Exception {
    CareerCoachTools coach = new CareerCoachTools(List.of(LocalDateTime.of(2025, 10, 30, 14, 30)));
    ToolDispatcher d = dispatcher(coach);
    String id =
        body(callOne(
                d,
                call(
                    "c1",
                    "create_client_profile",
                    "full_name",
                    "Ada Lovelace",
                    "date_of_birth",
                    "1815-12-10",
                    "state",
                    "NY")))
            .get("output")
            .asText();

    FunctionResponse r =
        callOne(
            d,
            call(
                "c2",
                "schedule_appointment",
                "client_id",
                id,
                "appointment_datetime",
                "2025-10-30T14:30:00"));

    assertThat(error(r))
        .isEqualTo(
            "Tool 'schedule_appointment' cannot run yet: it needs 'get_available_appointments' to"
                + " have succeeded earlier in this conversation. Call 'get_available_appointments'"
                + " first, then call 'schedule_appointment' again.");
    assertThat(informative(r))
        .isEqualTo(
            JSON.readTree(
                "{\"status\":\"precondition_failed\",\"retryable\":true,\"retry_hint\":"
                    + "\"Call 'get_available_appointments' first, then call"
                    + " 'schedule_appointment' again.\"}"));
    assertThat(coach.appointment(id)).isEmpty();
    assertThat(coach.openings()).hasSize(1);
  }

  @Test
  void careerCoachFlowRunsInOrderAndLeavesTheRightState() throws Exception {
    LocalDateTime slot = LocalDateTime.of(2025, 10, 30, 14, 30);
    CareerCoachTools coach =
        new CareerCoachTools(List.of(slot, LocalDateTime.of(2025, 10, 31, 9, 0)));
    ToolDispatcher d = dispatcher(coach);

    FunctionResponse badDate =
        callOne(
            d,
            call(
                "c0",
                "create_client_profile",
                "full_name",
                "Ada",
                "date_of_birth",
                "10/12/1815",
                "state",
                "NY"));
    assertThat(error(badDate))
        .contains(
            "argument 'date_of_birth' must be a date string (YYYY-MM-DD), got \"10/12/1815\"");

    String id =
        body(callOne(
                d,
                call(
                    "c1",
                    "create_client_profile",
                    "full_name",
                    "Ada Lovelace",
                    "date_of_birth",
                    "1815-12-10",
                    "state",
                    "NY")))
            .get("output")
            .asText();
    assertThat(
            body(
                callOne(
                    d,
                    call(
                        "c2",
                        "add_action_items_to_profile",
                        "client_id",
                        id,
                        "action_items",
                        List.of("Update resume", "Research three companies")))))
        .isEqualTo(JSON.readTree("{\"output\":{\"status\":\"ok\"}}"));
    assertThat(body(callOne(d, call("c3", "get_next_appointment", "client_id", id))))
        .isEqualTo(JSON.readTree("{\"output\":{}}"));
    assertThat(body(callOne(d, call("c4", "get_available_appointments"))))
        .isEqualTo(JSON.readTree("{\"output\":[\"2025-10-30T14:30:00\",\"2025-10-31T09:00:00\"]}"));
    FunctionResponse booked =
        callOne(
            d,
            call(
                "c5",
                "schedule_appointment",
                "client_id",
                id,
                "appointment_datetime",
                "2025-10-30T14:30:00"));
    FunctionResponse next = callOne(d, call("c6", "get_next_appointment", "client_id", id));

    JsonNode expectedAppointment =
        JSON.readTree(
            "{\"clientId\":\"" + id + "\",\"appointmentDatetime\":\"2025-10-30T14:30:00\"}");
    assertThat(body(booked).get("output")).isEqualTo(expectedAppointment);
    assertThat(body(next).get("output")).isEqualTo(expectedAppointment);
    CareerCoachTools.Client client = coach.client(id).orElseThrow();
    assertThat(client.fullName()).isEqualTo("Ada Lovelace");
    assertThat(client.dateOfBirth()).isEqualTo(LocalDate.of(1815, 12, 10));
    assertThat(client.state()).isEqualTo("NY");
    assertThat(client.actionItems()).containsExactly("Update resume", "Research three companies");
    assertThat(coach.appointment(id))
        .map(CareerCoachTools.Appointment::appointmentDatetime)
        .contains(slot);
    assertThat(coach.openings()).containsExactly(LocalDateTime.of(2025, 10, 31, 9, 0));
  }
}
