package dev.geminilive.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.genai.types.FunctionDeclaration;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDateTime;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The career-coach tools declared as one annotated class produce the declarations of the Live API
 * guide ({@code golden/career-coach-tools.json}).
 *
 * <p>Normalisation before comparing JSON trees: type names are lower-cased (the guide writes {@code
 * "object"}, genai writes {@code "OBJECT"}), and the one intended difference is removed: our date
 * and date-time parameters also carry a {@code format} ({@code "date"} for {@code date_of_birth},
 * {@code "date-time"} for {@code appointment_datetime}), which the guide leaves to the description.
 * That difference is asserted explicitly.
 */
class CareerCoachDeclarationsGoldenTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ToolRegistry registry =
      ToolRegistry.of(new CareerCoachTools(List.of(LocalDateTime.of(2025, 10, 30, 14, 30))));

  @Test
  void declarationsMatchTheGuideExceptForDateFormats() throws IOException {
    Map<String, JsonNode> expected = byName(golden());
    Map<String, JsonNode> actual = new TreeMap<>();
    for (FunctionDeclaration d : registry.declarations()) {
      actual.put(d.name().orElseThrow(), JSON.readTree(d.toJson()));
    }

    JsonNode dob = actual.get("create_client_profile").at("/parameters/properties/date_of_birth");
    JsonNode slot =
        actual.get("schedule_appointment").at("/parameters/properties/appointment_datetime");
    assertThat(dob.get("format").asText()).isEqualTo("date");
    assertThat(slot.get("format").asText()).isEqualTo("date-time");
    ((ObjectNode) dob).remove("format");
    ((ObjectNode) slot).remove("format");
    actual.values().forEach(CareerCoachDeclarationsGoldenTest::lowerCaseTypes);

    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    for (String name : expected.keySet()) {
      assertThat(actual.get(name)).as(name).isEqualTo(expected.get(name));
    }
  }

  @Test
  void descriptionCarriesTheInvocationConditionInTheGuidesForm() {
    ToolDefinition create = registry.find("create_client_profile").orElseThrow();

    assertThat(create.declaration().description().orElseThrow())
        .startsWith(
            "Creates a new client profile with their personal details. Returns a unique client ID. \n**Invocation Condition:** Invoke this tool *only after*");
  }

  @Test
  void toolWithoutArgumentsHasAnEmptyObjectSchema() throws IOException {
    FunctionDeclaration d = registry.find("get_available_appointments").orElseThrow().declaration();

    assertThat(JSON.readTree(d.parameters().orElseThrow().toJson()))
        .isEqualTo(JSON.readTree("{\"type\":\"OBJECT\",\"properties\":{}}"));
  }

  @Test
  void requiresIsEnforcedInCodeNotDeclared() throws IOException {
    ToolDefinition schedule = registry.find("schedule_appointment").orElseThrow();

    assertThat(schedule.requires()).containsExactly("get_available_appointments");
    assertThat(schedule.declaration().toJson()).doesNotContain("requires");
  }

  private static JsonNode golden() throws IOException {
    try (InputStream in =
        CareerCoachDeclarationsGoldenTest.class.getResourceAsStream(
            "/golden/career-coach-tools.json")) {
      return JSON.readTree(in);
    }
  }

  private static Map<String, JsonNode> byName(JsonNode array) {
    Map<String, JsonNode> m = new TreeMap<>();
    array.forEach(n -> m.put(n.get("name").asText(), n));
    return m;
  }

  private static void lowerCaseTypes(JsonNode node) {
    if (node.isObject()) {
      ObjectNode o = (ObjectNode) node;
      if (o.has("type") && o.get("type").isTextual()) {
        o.put("type", o.get("type").asText().toLowerCase(Locale.ROOT));
      }
      for (Iterator<JsonNode> it = o.elements(); it.hasNext(); ) {
        lowerCaseTypes(it.next());
      }
    } else if (node.isArray()) {
      node.forEach(CareerCoachDeclarationsGoldenTest::lowerCaseTypes);
    }
  }
}
