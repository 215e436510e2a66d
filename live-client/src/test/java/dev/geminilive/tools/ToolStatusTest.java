package dev.geminilive.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The informative answer shape and its JSON form. */
class ToolStatusTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void noResultsTellsTheModelNotToSweep() {
    assertThat(ToolStatus.noResults("No client named Maya Chen.").toJson())
        .containsExactly(
            java.util.Map.entry("status", "no_results"),
            java.util.Map.entry("retryable", false),
            java.util.Map.entry("message", "No client named Maya Chen."));
  }

  @Test
  void invalidArgumentListsTheValidOptions() {
    ToolStatus s = ToolStatus.invalidArgument("state", List.of("NY", "NJ"));
    assertThat(s.status()).isEqualTo(ToolStatus.INVALID_ARGUMENT);
    assertThat(s.retryable()).isTrue();
    assertThat(s.toJson()).containsEntry("valid_options", List.of("NY", "NJ"));
    assertThat((String) s.toJson().get("retry_hint")).contains("valid_options");
  }

  @Test
  void noResultsInRangeCarriesTheHintToWidenIt() {
    assertThat(ToolStatus.noResultsInRange("Try the next seven days.").toJson())
        .containsEntry("status", "no_results_in_range")
        .containsEntry("retryable", true)
        .containsEntry("retry_hint", "Try the next seven days.");
  }

  @Test
  void aReturnedStatusSerialisesToTheSameJsonForm() {
    for (ToolStatus s :
        List.of(
            ToolStatus.noResults(null),
            ToolStatus.invalidArgument("day", List.of("MONDAY")),
            ToolStatus.error("The calendar is down.", true).withRetryHint("Try in a minute."))) {
      JsonNode serialised = JSON.valueToTree(s);
      assertThat(serialised).isEqualTo(JSON.valueToTree(s.toJson()));
    }
  }

  @Test
  void aToolResultCarriesTheJsonForm() {
    ToolResult r =
        ToolResult.status(ToolStatus.noResults("none")).scheduling(ToolScheduling.WHEN_IDLE);
    assertThat(r.value()).isEqualTo(ToolStatus.noResults("none").toJson());
    assertThat(r.scheduling()).isEqualTo(ToolScheduling.WHEN_IDLE);
  }

  @Test
  void theStatusIsSnakeCase() {
    assertThatThrownBy(() -> new ToolStatus("No Results", false, null, List.of(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("snake case");
  }
}
