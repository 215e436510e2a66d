package dev.geminilive.spring;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * The {@code geminiLive} health: whether credentials are configured and how the last connect of a
 * session opened through {@link LiveSessions} went.
 *
 * <p>It does not dial the service (a probe session would bill its setup tokens every time the
 * health is read): DOWN without credentials or when the last connect failed for good, UNKNOWN
 * before any session connected, UP after a successful connect or while a session retries (with the
 * reason as a detail). Details: {@code credentials} (api-key, vertex-ai or none, never the secret),
 * {@code model}, {@code openSessions}, {@code toolCallsInFlight}, {@code lastConnect}. Thread-safe.
 *
 * @since 0.1
 */
public final class GeminiLiveHealthIndicator extends AbstractHealthIndicator {
  private final LiveSettings settings;
  private final LiveSessions sessions;

  GeminiLiveHealthIndicator(LiveSettings settings, LiveSessions sessions) {
    super("Gemini Live health check failed");
    this.settings = settings;
    this.sessions = sessions;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    builder
        .withDetail("credentials", settings.credentials())
        .withDetail("model", settings.model())
        .withDetail("openSessions", sessions.openSessions())
        .withDetail("toolCallsInFlight", sessions.toolCallsInFlight());
    if (settings.auth().isEmpty()) {
      builder
          .down()
          .withDetail(
              "reason",
              "No credentials: set gemini.live.api-key (or GEMINI_API_KEY), or"
                  + " gemini.live.vertex.project and gemini.live.vertex.location.");
      return;
    }
    var last = sessions.lastConnect();
    if (last.isEmpty()) {
      builder.unknown().withDetail("lastConnect", "none yet");
      return;
    }
    LiveSessions.ConnectOutcome o = last.get();
    builder.withDetail("lastConnect", o.outcome().name()).withDetail("lastConnectAt", o.at());
    if (!o.detail().isEmpty()) {
      builder.withDetail("lastConnectDetail", o.detail());
    }
    if (o.outcome() == LiveSessions.Outcome.FAILED) {
      builder.down();
    } else {
      builder.up();
    }
  }
}
