package dev.geminilive.spring;

import dev.geminilive.LiveException;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.SessionSpec;
import dev.geminilive.tokens.EphemeralToken;
import dev.geminilive.tokens.EphemeralTokenService;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * {@code POST /api/live/token}: mints an ephemeral token locked to the agent's session, for the
 * principal who asks.
 *
 * <p>The session is the one every starter builder describes (properties, tools, customizers),
 * personalised by the {@link LiveTokenCustomizer}s for the principal. With Spring Security the
 * principal is the authenticated user and an anonymous request gets 401; without it, the servlet
 * request's user, else the client's address. Each principal gets at most {@code
 * gemini.live.token.endpoint.rate-limit} tokens per {@code rate-window} (429 with {@code
 * Retry-After} beyond). Every answer carries {@code Cache-Control: no-store}; a minting failure
 * answers 502 without details. The log names the principal and the token's expiry, never the token.
 *
 * <p>CSRF: a browser's POST needs the application's CSRF token when Spring Security's CSRF
 * protection is on (the default), as for any other POST. Registered as a functional route (a {@code
 * RouterFunction} bean), so no component scan can pick it up twice. Thread-safe.
 */
final class LiveTokenEndpoint implements HandlerFunction<ServerResponse> {
  private static final Logger log = LoggerFactory.getLogger(LiveTokenEndpoint.class);

  private final EphemeralTokenService tokens;
  private final Supplier<LiveSessionBuilder> builders;
  private final List<LiveTokenCustomizer> customizers;
  private final Function<HttpServletRequest, Optional<Principal>> principals;
  private final TokenRateLimit limit;

  LiveTokenEndpoint(
      EphemeralTokenService tokens,
      Supplier<LiveSessionBuilder> builders,
      List<LiveTokenCustomizer> customizers,
      Function<HttpServletRequest, Optional<Principal>> principals,
      TokenRateLimit limit) {
    this.tokens = tokens;
    this.builders = builders;
    this.customizers = List.copyOf(customizers);
    this.principals = principals;
    this.limit = limit;
  }

  @Override
  public ServerResponse handle(ServerRequest request) {
    Optional<Principal> who = principals.apply(request.servletRequest());
    if (who.isEmpty()) {
      return answer(HttpStatus.UNAUTHORIZED, "{\"error\":\"unauthenticated\"}", null);
    }
    Principal principal = who.get();
    Optional<Duration> wait = limit.tryAcquire(principal.getName());
    if (wait.isPresent()) {
      long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
      log.warn("Token rate limit: {} asked too often; retry in {} s", principal.getName(), seconds);
      return answer(
          HttpStatus.TOO_MANY_REQUESTS,
          "{\"error\":\"rate_limited\",\"retryAfterSeconds\":" + seconds + "}",
          seconds);
    }
    EphemeralToken token;
    try {
      LiveSessionBuilder builder = builders.get();
      for (LiveTokenCustomizer c : customizers) {
        c.customize(builder, principal);
      }
      SessionSpec spec = builder.build();
      token = tokens.mint(spec);
    } catch (LiveException e) {
      // Library messages never contain keys or tokens.
      log.warn("Minting a token for {} failed: {}", principal.getName(), e.getMessage());
      return answer(HttpStatus.BAD_GATEWAY, "{\"error\":\"token_service_unavailable\"}", null);
    }
    log.info(
        "Minted a token for {}: model {}, {} use(s), expires {}",
        principal.getName(),
        token.model(),
        token.uses(),
        token.expiresAt());
    return answer(HttpStatus.OK, token.toJson(), null);
  }

  private static ServerResponse answer(
      HttpStatus status, String json, @Nullable Long retryAfterSeconds) {
    ServerResponse.BodyBuilder b =
        ServerResponse.status(status)
            .cacheControl(CacheControl.noStore())
            .contentType(MediaType.APPLICATION_JSON);
    if (retryAfterSeconds != null) {
      b.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    }
    if (status == HttpStatus.UNAUTHORIZED) {
      b.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }
    return b.body(json);
  }
}
