package dev.geminilive.examples.tokenserver;

import dev.geminilive.tools.ToolDefinition;
import dev.geminilive.tools.ToolException;
import java.util.List;
import java.util.Map;

/**
 * The tools of the support agent: declared on the server (so the token locks them), executed by the
 * browser that holds the session.
 */
final class OrderTools {
  /** Looks up an order; the browser runs it and sends the tool response itself. */
  static final ToolDefinition LOOKUP_ORDER =
      ToolDefinition.builder("lookup_order")
          .description("Finds an order by its number and returns its status and delivery date.")
          .invocationCondition("Invoke only after the customer read out the order number.")
          .parameters(
              Map.of(
                  "type", "object",
                  "properties",
                      Map.of(
                          "order_number",
                          Map.of("type", "string", "description", "The order number, e.g. A-1042")),
                  "required", List.of("order_number")))
          .handler(
              (args, ctx) -> {
                // Only reached if a Java session uses this spec: in the browser-direct design the
                // page that holds the session executes the tool.
                throw new ToolException("Order lookup is not available here.");
              })
          .build();

  private OrderTools() {}
}
