package dev.geminilive.it;

import dev.geminilive.flow.CarryOver;
import dev.geminilive.flow.Flow;
import dev.geminilive.flow.Stage;
import dev.geminilive.flow.Transition;
import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolParam;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A help desk as a flow, for the flow tests: intake (open a ticket) → triage (the model moves on
 * with {@code next_step} and a summary) → callback (find slots, then book; booking requires a
 * ticket from intake and the slots) → goodbye. The tools count their runs.
 */
final class HelpDeskFlow {
  private HelpDeskFlow() {}

  /** The tools; thread-safe counters. */
  static final class DeskTools {
    final AtomicInteger tickets = new AtomicInteger();
    final AtomicInteger slotLookups = new AtomicInteger();
    final AtomicInteger bookings = new AtomicInteger();

    @LiveTool(name = "open_ticket", description = "Opens a ticket for the caller. Returns its id.")
    String openTicket(
        @ToolParam(name = "caller_name", description = "The caller's name.") String name) {
      return "T-" + tickets.incrementAndGet();
    }

    @LiveTool(name = "find_slots", description = "Lists open callback slots.")
    List<String> findSlots() {
      slotLookups.incrementAndGet();
      return List.of("09:00", "14:00");
    }

    @LiveTool(
        name = "book_callback",
        description = "Books a callback slot.",
        requires = {"open_ticket", "find_slots"})
    String bookCallback(@ToolParam(name = "slot", description = "The slot.") String slot) {
      bookings.incrementAndGet();
      return "booked " + slot;
    }
  }

  static Flow flow(DeskTools tools) {
    return Flow.builder()
        .persona("You are Sam, the help desk of Acme. You are calm and brief.")
        .guardrail("Never promise a refund.")
        .tools(tools)
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
                .rule("Callback", "Call `find_slots`, offer the slots, then call `book_callback`.")
                .tools("find_slots", "book_callback")
                .transition(Transition.to("goodbye").afterTool("book_callback")))
        .stage(Stage.named("goodbye").rule("Goodbye", "Thank the caller and say goodbye."))
        .build();
  }
}
