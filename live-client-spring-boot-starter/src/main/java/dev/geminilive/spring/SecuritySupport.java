package dev.geminilive.spring;

import dev.geminilive.LiveSessionBuilder;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.concurrent.DelegatingSecurityContextExecutor;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * What the starter does with Spring Security; loaded only when it is on the classpath.
 *
 * <p>Tool calls run with the security context of the thread that created the session's builder, so
 * that {@code @PreAuthorize} and friends on a {@code @LiveTool} bean see the user the session is
 * for. The token endpoint's principal is the authenticated user; anonymous requests have none.
 */
final class SecuritySupport {
  static final boolean PRESENT =
      org.springframework.util.ClassUtils.isPresent(
          "org.springframework.security.core.context.SecurityContextHolder",
          SecuritySupport.class.getClassLoader());

  private SecuritySupport() {}

  /** Runs {@code builder}'s tools as the current user, if there is one. */
  static void runToolsAsCurrentUser(LiveSessionBuilder builder, Executor tools) {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (auth == null) {
      return;
    }
    SecurityContext copy = SecurityContextHolder.createEmptyContext();
    copy.setAuthentication(auth);
    builder.toolExecutor(new DelegatingSecurityContextExecutor(tools, copy));
  }

  /** The authenticated user of this request, or empty for an anonymous one. */
  static Optional<Principal> authenticatedUser(HttpServletRequest request) {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (auth == null || !auth.isAuthenticated() || auth instanceof AnonymousAuthenticationToken) {
      return Optional.empty();
    }
    return Optional.of(auth);
  }
}
