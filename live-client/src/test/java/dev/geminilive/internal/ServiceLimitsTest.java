package dev.geminilive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.LiveAuth;
import dev.geminilive.ModelProfile;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The service's limits as the session plans for them: computed, not waited for. */
class ServiceLimitsTest {
  @Test
  void aConnectionLooksForAPauseAMinuteBeforeItsTenMinutes() {
    assertThat(
            ServiceLimits.lookForPauseAfter(
                ModelProfile.DEFAULT_CONNECTION_LIFETIME, ServiceLimits.CONNECTION_LEAD))
        .isEqualTo(Duration.ofMinutes(9));
  }

  @Test
  void aThreeEightServiceSessionLooksForAPauseThreeMinutesBeforeItsFiftyEight() {
    assertThat(
            ServiceLimits.lookForPauseAfter(
                ModelProfile.GEMINI_3_8_SESSION_LIFETIME, ServiceLimits.SESSION_LEAD))
        .isEqualTo(Duration.ofMinutes(55));
  }

  @Test
  void aShortLifetimeLooksForAPauseInItsLastQuarter() {
    assertThat(ServiceLimits.lookForPauseAfter(Duration.ofSeconds(60), Duration.ofMinutes(3)))
        .isEqualTo(Duration.ofSeconds(45));
  }

  @Test
  void noLifetimeNoPlan() {
    assertThat(ServiceLimits.lookForPauseAfter(null, ServiceLimits.CONNECTION_LEAD)).isNull();
  }

  @Test
  void handlesLastTwoHoursOnTheGeminiApiAndADayOnVertexAi() {
    assertThat(ServiceLimits.handleLifetime(LiveAuth.apiKey("k-123")))
        .isEqualTo(Duration.ofHours(2));
    assertThat(ServiceLimits.handleLifetime(LiveAuth.vertexAi("project", "us-central1", null)))
        .isEqualTo(Duration.ofHours(24));
    long received = Duration.ofHours(1).toNanos();
    Duration two = Duration.ofHours(2);
    assertThat(ServiceLimits.handleExpired(received, received + two.toNanos() - 1, two)).isFalse();
    assertThat(ServiceLimits.handleExpired(received, received + two.toNanos(), two)).isTrue();
  }

  @Test
  void theKnownModelsCarryTheirLifetimes() {
    assertThat(ModelProfile.of(ModelProfile.GEMINI_3_8_LIVE).connectionLifetime())
        .contains(Duration.ofMinutes(10));
    assertThat(ModelProfile.of(ModelProfile.GEMINI_3_8_LIVE).sessionLifetime())
        .contains(Duration.ofMinutes(58));
    assertThat(ModelProfile.of(ModelProfile.GEMINI_3_1_FLASH_LIVE).sessionLifetime()).isEmpty();
    assertThat(ModelProfile.of("gemini-9-unknown").connectionLifetime()).isEmpty();
  }
}
