package dev.geminilive.internal.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminilive.tools.ToolBehavior;
import dev.geminilive.tools.ToolDefinition;
import dev.geminilive.tools.ToolResult;
import dev.geminilive.tools.ToolScheduling;
import dev.geminilive.tools.ToolStatus;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * The answers a {@link ToolCall} gives the model, as values: the output a handler's result becomes,
 * the scheduling a non-blocking answer asks for, and the timeout's status. Stateless.
 */
final class ToolAnswers {
  private ToolAnswers() {}

  /**
   * {@return the function response to the call {@code id} of {@code name} with {@code body} under
   * {@code response}: the object the SDK's {@code FunctionResponse} writes, without the SDK}
   */
  static ObjectNode response(String name, @Nullable String id, JsonNode body) {
    ObjectNode r = ToolJson.object();
    if (id != null) {
      r.put("id", id);
    }
    r.put("name", name);
    r.set("response", withoutNullFields(body));
    return r;
  }

  /**
   * Removes the fields whose value is JSON null from every object in {@code node}, in place, and
   * returns it: what the SDK's serialisation of a response map did (it drops null map values,
   * nested ones too, and keeps nulls in arrays), so the model sees the same answer.
   */
  static JsonNode withoutNullFields(JsonNode node) {
    if (node.isObject()) {
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        JsonNode v = it.next();
        if (v.isNull()) {
          it.remove();
        } else {
          withoutNullFields(v);
        }
      }
    } else if (node.isArray()) {
      for (JsonNode v : node) {
        withoutNullFields(v);
      }
    }
    return node;
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
   * {@return the answer to the call {@code id} of {@code name}, which succeeded with {@code
   * output}; a non-blocking tool's answer carries the scheduling when one was asked for}
   */
  static ObjectNode success(
      String name,
      @Nullable String id,
      JsonNode output,
      @Nullable ToolDefinition definition,
      ToolScheduling scheduling) {
    ObjectNode body = ToolJson.object();
    body.set("output", output.deepCopy());
    ObjectNode r = response(name, id, body);
    if (definition != null
        && definition.behavior() == ToolBehavior.NON_BLOCKING
        && scheduling != ToolScheduling.UNSPECIFIED) {
      r.put("scheduling", scheduling.name());
    }
    return r;
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
