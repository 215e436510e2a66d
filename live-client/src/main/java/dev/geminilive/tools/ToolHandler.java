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
  /** Runs the tool. */
  @Nullable Object handle(JsonNode arguments, ToolContext context) throws Exception;
}
