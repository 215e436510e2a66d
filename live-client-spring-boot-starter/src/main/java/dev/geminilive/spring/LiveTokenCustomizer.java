package dev.geminilive.spring;

import dev.geminilive.LiveSessionBuilder;
import java.security.Principal;

/**
 * Personalises the session an ephemeral token from the token endpoint is locked to, for the
 * principal who asked: their name in the persona, their plan's voice, their locale.
 *
 * <pre>{@code
 * @Bean
 * LiveTokenCustomizer personalise(Clients clients) {
 *   return (builder, principal) ->
 *       builder.persona("You are Laura ... The client is " + clients.name(principal) + ".");
 * }
 * }</pre>
 *
 * <p>Runs after every {@link LiveSessionBuilderCustomizer}, on the request thread; it must be
 * thread-safe and may block.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface LiveTokenCustomizer {
  /**
   * Adjusts the session the token will be locked to.
   *
   * @param builder the builder with properties, tools and customizers applied
   * @param principal who asked for the token (with Spring Security, the authenticated user)
   */
  void customize(LiveSessionBuilder builder, Principal principal);
}
