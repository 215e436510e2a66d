package dev.geminilive.internal.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.google.genai.types.FunctionResponse;
import com.google.genai.types.FunctionResponseScheduling;
import dev.geminilive.tools.ToolBehavior;
import dev.geminilive.tools.ToolDefinition;
import dev.geminilive.tools.ToolResult;
import dev.geminilive.tools.ToolScheduling;
import dev.geminilive.tools.ToolStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * The answers a {@link ToolCall} gives the model, as values: the output a handler's result becomes,
 * the scheduling a non-blocking answer asks for, and the timeout's status. Stateless.
 */
final class ToolAnswers {
  private ToolAnswers() {}

  /** {@return the function response to the call {@code id} of {@code name}, without a body yet} */
  static FunctionResponse.Builder base(String name, @Nullable String id) {
    FunctionResponse.Builder b = FunctionResponse.builder().name(name);
    if (id != null) {
      b.id(id);
    }
    return b;
  }

  /**
   * {@return the scheduling a handler's result asks for: the result's own ({@link ToolResult}), or
   * else the definition's}
   */
  static ToolScheduling scheduling(@Nullable ToolDefinition definition, @Nullable Object value) {
    ToolScheduling scheduling =
        definition == null ? ToolScheduling.UNSPECIFIED : definition.scheduling();
    if (value instanceof ToolResult tr && tr.scheduling() != ToolScheduling.UNSPECIFIED) {
      scheduling = tr.scheduling();
    }
    return scheduling;
  }

  /**
   * {@return a handler's result as the {@code output} to send: a {@link ToolResult}'s value, and an
   * empty object for no result}
   *
   * @throws IllegalArgumentException when the value cannot be converted to JSON
   */
  static JsonNode output(@Nullable Object value) {
    Object v = value instanceof ToolResult tr ? tr.value() : value;
    JsonNode tree = v == null ? NullNode.getInstance() : ToolJson.valueToTree(v);
    // The SDK drops null map values when it serialises, so {"output": null} would reach the
    // model as {}; send an explicit empty object instead ("no result").
    return tree.isNull() ? ToolJson.object() : tree;
  }

  /**
   * {@return the answer of a call that succeeded with {@code output}; a non-blocking tool's answer
   * carries the scheduling when one was asked for}
   */
  static FunctionResponse success(
      FunctionResponse.Builder base,
      JsonNode output,
      @Nullable ToolDefinition definition,
      ToolScheduling scheduling) {
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("output", ToolJson.convertValue(output, Object.class));
    FunctionResponse.Builder b = base.response(response);
    if (definition != null
        && definition.behavior() == ToolBehavior.NON_BLOCKING
        && scheduling != ToolScheduling.UNSPECIFIED) {
      b.scheduling(FunctionResponseScheduling.Known.valueOf(scheduling.name()));
    }
    return b.build();
  }

  /** {@return the status a call that ran out of {@code timeout} answers with} */
  static ToolStatus timedOut(Duration timeout) {
    return new ToolStatus(
        ToolStatus.TIMEOUT,
        false,
        null,
        List.of(),
        "The tool did not finish within "
            + describe(timeout)
            + " and was stopped. Tell the user it is taking too long, and do not call it"
            + " again unless the user asks.");
  }

  /** {@return the cause of a failed future} */
  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String describe(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
  }
}
