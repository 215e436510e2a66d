package dev.geminilive.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.tools.ToolRegistry;
import org.junit.jupiter.api.Test;

/** The README's quick start registers as written (its session needs the real service). */
class QuickStartTest {
  @Test
  void theQuickStartsToolsRegisterWithTheirParameterNames() {
    ToolRegistry tools = ToolRegistry.of(new QuickStart.CoachTools());

    assertThat(tools.names())
        .containsExactlyInAnyOrder("get_available_appointments", "schedule_appointment");
    assertThat(tools.declarations())
        .filteredOn(d -> d.name().orElseThrow().equals("schedule_appointment"))
        .singleElement()
        .satisfies(d -> assertThat(d.toJson()).contains("\"slot\""));
  }
}
