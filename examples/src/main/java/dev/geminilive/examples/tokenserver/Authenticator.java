package dev.geminilive.examples.tokenserver;

import com.sun.net.httpserver.Headers;
import java.util.Map;
import java.util.Optional;

/**
 * The application's user authentication, as the {@link TokenServer} sees it: given the request's
 * headers, who is asking?
 *
 * <p>Plug in whatever the app already uses: verify a session cookie, a JWT from your identity
 * provider, an API gateway's user header. Return the user's id (it keys the per-user rate limit and
 * appears in logs) or empty to reject the request with 401. Called on the server's request threads,
 * so implementations must be thread-safe; a blocking lookup is fine.
 *
 * <pre>{@code
 * Authenticator fromCookie = headers ->
 *     Optional.ofNullable(headers.getFirst("Cookie")).flatMap(sessions::userForCookie);
 * }</pre>
 */
@FunctionalInterface
public interface Authenticator {

  /**
   * Returns the id of the user making the request, or empty to answer 401.
   *
   * @param headers the request headers (case-insensitive names)
   */
  Optional<String> authenticate(Headers headers);

  /**
   * A stand-in for real authentication, for demos and tests: {@code Authorization: Bearer <secret>}
   * where {@code secret} is a key of {@code secretToUser}.
   */
  static Authenticator bearerSecrets(Map<String, String> secretToUser) {
    Map<String, String> users = Map.copyOf(secretToUser);
    return headers -> {
      String authorization = headers.getFirst("Authorization");
      if (authorization == null || !authorization.startsWith("Bearer ")) {
        return Optional.empty();
      }
      return Optional.ofNullable(users.get(authorization.substring("Bearer ".length()).strip()));
    };
  }

  /** Rejects every request: a safe default until the app's authentication is plugged in. */
  static Authenticator denyAll() {
    return headers -> Optional.empty();
  }
}
