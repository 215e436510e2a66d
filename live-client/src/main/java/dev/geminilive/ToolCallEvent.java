package dev.geminilive;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A function call the model made, as observed by the listener. The session runs registered tools
 * itself; this event is for logging and UI.
 *
 * @param id the call id the response must carry
 * @param name the tool name
 * @param args the arguments as sent by the model (an object node, possibly empty)
 * @since 0.1
 */
public record ToolCallEvent(String id, String name, JsonNode args) {
  /**
   * Checks the arguments.
   *
   * @param id the call id the response must carry
   * @param name the tool name
   * @param args the arguments as sent by the model (an object node, possibly empty)
   */
  public ToolCallEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(args, "args");
  }
}
