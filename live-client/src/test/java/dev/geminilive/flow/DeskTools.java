package dev.geminilive.flow;

import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolParam;
import java.util.List;

/** A help desk's tools for the flow tests: one per step, and one that requires another. */
final class DeskTools {
  @LiveTool(name = "open_ticket", description = "Opens a ticket for the caller. Returns its id.")
  String openTicket(@ToolParam(name = "caller_name", description = "The caller's name.") String n) {
    return "T-1";
  }

  @LiveTool(name = "find_slots", description = "Lists open callback slots.")
  List<String> findSlots() {
    return List.of("09:00", "14:00");
  }

  @LiveTool(
      name = "book_callback",
      description = "Books a callback slot.",
      requires = {"find_slots", "open_ticket"})
  String bookCallback(@ToolParam(name = "slot", description = "The slot.") String slot) {
    return "booked " + slot;
  }
}
