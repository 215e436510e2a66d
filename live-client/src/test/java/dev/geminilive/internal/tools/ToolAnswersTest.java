package dev.geminilive.internal.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.genai.types.FunctionResponse;
import com.google.genai.types.FunctionResponseScheduling;
import com.google.genai.types.LiveClientToolResponse;
import dev.geminilive.tools.ToolBehavior;
import dev.geminilive.tools.ToolDefinition;
import dev.geminilive.tools.ToolScheduling;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The answers are written as JSON directly; they must read as the SDK's {@code FunctionResponse}
 * wrote them, which is what the service received before.
 */
class ToolAnswersTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ToolDefinition tool(ToolBehavior behavior) {
    return ToolDefinition.builder("lookup")
        .description("Looks up.")
        .parameters(Map.of("type", "object"))
        .behavior(behavior)
        .handler((args, ctx) -> null)
        .build();
  }

  /** The function response as the SDK writes it, from the same values. */
  private static JsonNode viaSdk(
      String name, String id, Object output, FunctionResponseScheduling.Known scheduling)
      throws Exception {
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("output", output);
    FunctionResponse.Builder b = FunctionResponse.builder().name(name).id(id).response(response);
    if (scheduling != null) {
      b.scheduling(scheduling);
    }
    LiveClientToolResponse message =
        LiveClientToolResponse.builder().functionResponses(List.of(b.build())).build();
    return JSON.readTree(message.toJson()).get("functionResponses").get(0);
  }

  @Test
  void aSuccessReadsAsTheSdksFunctionResponseNullFieldsDroppedAndNullsInArraysKept()
      throws Exception {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("gone", null);
    nested.put("kept", Arrays.asList(null, 1, "two"));
    nested.put("objects", List.of(Collections.singletonMap("alsoGone", null)));
    nested.put("text", "é\u2028\"quoted\"");
    nested.put("number", 1.5e300);
    JsonNode output = ToolJson.valueToTree(nested);

    JsonNode direct =
        ToolAnswers.success(
            "lookup", "c-1", output, tool(ToolBehavior.BLOCKING), ToolScheduling.UNSPECIFIED);

    assertThat(direct).isEqualTo(viaSdk("lookup", "c-1", nested, null));
    assertThat(direct.path("response").path("output").has("gone")).isFalse();
    // The handler's own result, which the listener sees, keeps its null field.
    assertThat(output.has("gone")).isTrue();
  }

  @Test
  void aNonBlockingAnswerCarriesItsSchedulingAsTheSdkWritesIt() throws Exception {
    JsonNode output = ToolJson.valueToTree(Map.of("ok", true));

    JsonNode direct =
        ToolAnswers.success(
            "lookup", "c-2", output, tool(ToolBehavior.NON_BLOCKING), ToolScheduling.SILENT);

    assertThat(direct)
        .isEqualTo(
            viaSdk("lookup", "c-2", Map.of("ok", true), FunctionResponseScheduling.Known.SILENT));
    assertThat(
            ToolAnswers.success(
                "lookup", "c-3", output, tool(ToolBehavior.BLOCKING), ToolScheduling.SILENT))
        .as("a blocking tool's answer has no scheduling")
        .isEqualTo(viaSdk("lookup", "c-3", Map.of("ok", true), null));
  }

  @Test
  void aCallWithoutAnIdIsAnsweredWithoutOne() {
    JsonNode direct =
        ToolAnswers.response("lookup", null, ToolJson.valueToTree(Map.of("error", "no")));

    assertThat(direct.has("id")).isFalse();
    assertThat(direct.path("name").asText()).isEqualTo("lookup");
    assertThat(direct.path("response").path("error").asText()).isEqualTo("no");
  }
}
