package dev.geminilive.internal;

import dev.geminilive.LiveAuth;
import dev.geminilive.ModelProfile;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The service's limits the session plans for, as pure decisions: when to start looking for a pause
 * to move before a connection or a service session reaches its lifetime ({@link
 * ModelProfile#connectionLifetime()}, {@link ModelProfile#sessionLifetime()}), and whether a
 * resumption handle is too old to be tried (2 hours on the Gemini API, 24 hours on Vertex AI).
 *
 * <p>A lifetime is a budget, not a deadline: from {@link #lookForPauseAfter} on, the next natural
 * pause moves the session (a resume for the connection's, a fresh service session seeded with the
 * conversation for the service session's, since a resume would carry on the session the service is
 * about to close). If no pause comes in time, the service's own close is a drop like any other, and
 * the session recovers from it (resume, else rebuild). Stateless.
 */
final class ServiceLimits {
  private ServiceLimits() {}

  /** How long before a connection's lifetime runs out the session begins to look for a pause. */
  static final Duration CONNECTION_LEAD = Duration.ofSeconds(60);

  /** How long before a service session's lifetime runs out the session looks for a pause. */
  static final Duration SESSION_LEAD = Duration.ofMinutes(3);

  /** The lead is at most this fraction of the lifetime (a quarter), for short lifetimes. */
  static final int LEAD_DIVISOR = 4;

  /** How long a resumption handle is valid on the Gemini API. */
  static final Duration GEMINI_API_HANDLE_LIFETIME = Duration.ofHours(2);

  /** How long a resumption handle is valid on Vertex AI. */
  static final Duration VERTEX_HANDLE_LIFETIME = Duration.ofHours(24);

  /**
   * How long after its start a connection or service session with {@code lifetime} begins to look
   * for a pause to move: the lifetime less {@code lead}, at most a quarter of the lifetime less.
   *
   * @return the delay, or null when there is no lifetime to plan for
   */
  static @Nullable Duration lookForPauseAfter(@Nullable Duration lifetime, Duration lead) {
    if (lifetime == null) {
      return null;
    }
    Duration margin = lifetime.dividedBy(LEAD_DIVISOR);
    if (margin.compareTo(lead) > 0) {
      margin = lead;
    }
    return lifetime.minus(margin);
  }

  /** How long a handle the service issued for {@code auth} stays valid. */
  static Duration handleLifetime(LiveAuth auth) {
    boolean vertex =
        auth instanceof LiveAuth.VertexAi
            || (auth instanceof LiveAuth.SdkClient c && c.client().vertexAI());
    return vertex ? VERTEX_HANDLE_LIFETIME : GEMINI_API_HANDLE_LIFETIME;
  }

  /** Whether a handle received at {@code receivedNanos} is past {@code lifetime} at {@code now}. */
  static boolean handleExpired(long receivedNanos, long now, Duration lifetime) {
    return now - receivedNanos >= lifetime.toNanos();
  }
}
