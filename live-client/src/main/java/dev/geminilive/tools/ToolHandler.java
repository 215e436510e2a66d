package dev.geminilive.tools;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * The code behind a programmatic {@link ToolDefinition}.
 *
 * <p>Receives the validated arguments as a JSON object and returns the result: any value Jackson
 * can serialise, {@code null}, a {@link ToolResult}, or a {@code CompletionStage} of one of them.
 * Throw {@link ToolException} to answer the model with a message of your own.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ToolHandler {
  /**
   * Runs the tool.
   *
   * @param arguments the arguments the model sent, as a JSON object (empty if none)
   * @param context the call's id, session and cancellation
   * @return the result, converted to JSON for the model; null is sent as an empty object
   * @throws java.lang.Exception if the tool fails; the model receives an error response (the {@link
   *     ToolException} message, or a generic one)
   */
  @Nullable Object handle(JsonNode arguments, ToolContext context) throws Exception;
}
