package dev.geminilive.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SchemaDerivationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  enum Priority {
    LOW,
    HIGH
  }

  record Address(
      @ToolParam(description = "City name") String city,
      @Nullable String zip,
      Optional<String> country) {}

  static final class Person {
    private String name = "";
    private int age;

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    @JsonProperty(required = true)
    public int getAge() {
      return age;
    }

    public void setAge(int age) {
      this.age = age;
    }
  }

  static final class AllTypes {
    @LiveTool(description = "Takes every supported type.", behavior = ToolBehavior.NON_BLOCKING)
    void everything(
        String text,
        int anInt,
        long aLong,
        short aShort,
        byte aByte,
        Integer boxed,
        float aFloat,
        double aDouble,
        BigDecimal amount,
        boolean flag,
        Priority priority,
        List<String> tags,
        Set<Integer> ids,
        String[] names,
        Optional<String> nickname,
        @Nullable String note,
        @ToolParam(required = false) Integer limit,
        Address address,
        Person person,
        LocalDate day,
        LocalDateTime at,
        Instant instant,
        OffsetDateTime offsetAt,
        Map<String, Object> extra,
        List<Address> addresses,
        @ToolParam(format = "email", description = "Where to write") String email,
        ToolContext context) {}
  }

  private static JsonNode params;
  private static JsonNode declaration;

  @BeforeAll
  static void derive() throws IOException {
    ToolDefinition d = ToolRegistry.of(new AllTypes()).find("everything").orElseThrow();
    declaration = JSON.readTree(d.declaration().toJson());
    params = declaration.get("parameters");
  }

  private static JsonNode prop(String name) {
    return params.get("properties").get(name);
  }

  private static JsonNode json(String s) throws IOException {
    return JSON.readTree(s.replace('\'', '"'));
  }

  @Test
  void nameDefaultsToTheMethodNameAndBehaviorIsDeclared() {
    assertThat(declaration.get("name").asText()).isEqualTo("everything");
    assertThat(declaration.get("behavior").asText()).isEqualTo("NON_BLOCKING");
    assertThat(params.get("type").asText()).isEqualTo("OBJECT");
  }

  @Test
  void mapsStringsIntegersNumbersAndBooleans() throws IOException {
    assertThat(prop("text")).isEqualTo(json("{'type':'STRING'}"));
    for (String p : List.of("anInt", "aLong", "aShort", "aByte", "boxed")) {
      assertThat(prop(p)).as(p).isEqualTo(json("{'type':'INTEGER'}"));
    }
    for (String p : List.of("aFloat", "aDouble", "amount")) {
      assertThat(prop(p)).as(p).isEqualTo(json("{'type':'NUMBER'}"));
    }
    assertThat(prop("flag")).isEqualTo(json("{'type':'BOOLEAN'}"));
  }

  @Test
  void mapsEnumsToStringsWithTheirConstants() throws IOException {
    assertThat(prop("priority")).isEqualTo(json("{'type':'STRING','enum':['LOW','HIGH']}"));
  }

  @Test
  void mapsListsSetsAndArraysToArraysWithItems() throws IOException {
    assertThat(prop("tags")).isEqualTo(json("{'type':'ARRAY','items':{'type':'STRING'}}"));
    assertThat(prop("ids")).isEqualTo(json("{'type':'ARRAY','items':{'type':'INTEGER'}}"));
    assertThat(prop("names")).isEqualTo(json("{'type':'ARRAY','items':{'type':'STRING'}}"));
  }

  @Test
  void mapsDatesAndTimesToStringsWithFormats() throws IOException {
    assertThat(prop("day")).isEqualTo(json("{'type':'STRING','format':'date'}"));
    for (String p : List.of("at", "instant", "offsetAt")) {
      assertThat(prop(p)).as(p).isEqualTo(json("{'type':'STRING','format':'date-time'}"));
    }
    assertThat(prop("email"))
        .isEqualTo(json("{'type':'STRING','format':'email','description':'Where to write'}"));
  }

  @Test
  void mapsRecordsAndPojosToNestedObjects() throws IOException {
    assertThat(prop("address"))
        .isEqualTo(
            json(
                "{'type':'OBJECT','properties':{'city':{'type':'STRING','description':'City name'},"
                    + "'zip':{'type':'STRING'},'country':{'type':'STRING'}},'required':['city']}"));
    assertThat(prop("person"))
        .isEqualTo(
            json(
                "{'type':'OBJECT','properties':{'name':{'type':'STRING'},'age':{'type':'INTEGER'}},"
                    + "'required':['age']}"));
    assertThat(prop("addresses").get("items")).isEqualTo(prop("address"));
  }

  @Test
  void mapsStringKeyedMapsToOpenObjects() throws IOException {
    assertThat(prop("extra")).isEqualTo(json("{'type':'OBJECT','properties':{}}"));
  }

  @Test
  void optionalNullableAndNotRequiredArgumentsAreNotRequired() {
    List<String> required = JSON.convertValue(params.get("required"), List.class);

    assertThat(required).doesNotContain("nickname", "note", "limit").contains("text", "address");
    assertThat(prop("nickname").get("type").asText()).isEqualTo("STRING");
  }

  @Test
  void toolContextIsInjectedNotDeclared() {
    assertThat(params.get("properties").has("context")).isFalse();
    assertThat(params.get("properties").size()).isEqualTo(26);
  }

  @Test
  void programmaticToolsAcceptALowerCaseJsonSchema() throws IOException {
    ToolDefinition lookup =
        ToolDefinition.builder("lookup_order")
            .description("Finds an order.")
            .invocationCondition("Only after the user read out the order number.")
            .parameters(
                Map.of(
                    "type", "object",
                    "properties",
                        Map.of(
                            "order_number", Map.of("type", "string", "description", "The number")),
                    "required", List.of("order_number")))
            .handler((args, ctx) -> Map.of("status", "shipped"))
            .build();

    JsonNode d = JSON.readTree(lookup.declaration().toJson());

    assertThat(d.get("description").asText())
        .isEqualTo(
            "Finds an order. \n**Invocation Condition:** Only after the user read out the order number.");
    assertThat(d.get("parameters"))
        .isEqualTo(
            json(
                "{'type':'OBJECT','properties':{'order_number':{'type':'STRING','description':'The number'}},"
                    + "'required':['order_number']}"));
  }
}
