package dev.geminilive.spring;

import dev.geminilive.LiveSessionBuilder;

/**
 * Adjusts every {@link LiveSessionBuilder} the starter hands out, after the {@code gemini.live.*}
 * properties and the discovered tools are applied: the place for a persona, rules, a listener
 * default, an HTTP client.
 *
 * <pre>{@code
 * @Bean
 * LiveSessionBuilderCustomizer coach() {
 *   return builder -> builder.systemInstruction(CoachInstruction.laura()).greeting("Hello!");
 * }
 * }</pre>
 *
 * <p>Customizers run in {@link org.springframework.core.annotation.Order} order each time a builder
 * is created, on the thread that asks for it; they must be thread-safe.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface LiveSessionBuilderCustomizer {
  /**
   * Adjusts the builder.
   *
   * @param builder a fresh builder with the properties and tools already applied
   */
  void customize(LiveSessionBuilder builder);
}
