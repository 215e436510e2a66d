package dev.geminilive.examples.spring;

import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.examples.coach.CoachInstruction;
import dev.geminilive.examples.coach.CoachTools;
import dev.geminilive.spring.LiveSessionBuilderCustomizer;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The career coach "Laura" as a Spring Boot web app with a voice page, two ways: relayed through
 * this server ({@code /relay.html}, the API key and the tools stay here) or browser-direct ({@code
 * /direct.html}, the page gets an ephemeral token from {@code POST /api/live/token} and talks to
 * the Live API itself).
 *
 * <p>Everything Live comes from the starter: the builder with the {@code gemini.live.*} properties,
 * {@link CoachTools} discovered as a {@code @LiveTool} bean, the token endpoint, the health
 * indicator and the graceful shutdown. This class adds the agent: Laura's instruction and greeting.
 *
 * <p>Run it with {@code mvn -q -pl examples-spring -am package -DskipTests -Pvoice-page} and open
 * http://localhost:8080. Without {@code GEMINI_API_KEY} it starts the testkit's fake Live server
 * and fake token endpoint on loopback ({@link OfflineServices}) and plays a scripted Laura.
 */
@SpringBootApplication
public class VoiceCoachApplication {
  /** What the page's first connection asks for, so that Laura speaks first. */
  public static final String GREETING = "The client has joined the call. Greet them.";

  /**
   * Starts the app; offline against the embedded fakes when {@code GEMINI_API_KEY} is unset.
   *
   * @param args Spring Boot arguments, such as {@code --server.port=9090}
   */
  public static void main(String[] args) {
    SpringApplication app = new SpringApplication(VoiceCoachApplication.class);
    String key = System.getenv(LiveSessionBuilder.API_KEY_ENV);
    if (key == null || key.isBlank()) {
      app.addInitializers(new OfflineServices());
    }
    app.run(args);
  }

  /** Laura's tools over an in-memory store, offering two openings next week. */
  @Bean
  CoachTools coachTools() {
    LocalDate monday = LocalDate.now().with(TemporalAdjusters.next(DayOfWeek.MONDAY));
    return new CoachTools(
        List.of(
            LocalDateTime.of(monday.plusDays(1), LocalTime.of(10, 0)),
            LocalDateTime.of(monday.plusDays(3), LocalTime.of(14, 30))));
  }

  // snippet:spring-customizer
  /** Laura: the guide's career-coach instruction; voice and language come from the properties. */
  @Bean
  LiveSessionBuilderCustomizer laura() {
    return builder -> builder.systemInstruction(CoachInstruction.laura());
  }
  // end:spring-customizer
}
