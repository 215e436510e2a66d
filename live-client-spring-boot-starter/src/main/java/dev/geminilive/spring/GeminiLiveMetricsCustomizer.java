package dev.geminilive.spring;

import dev.geminilive.micrometer.GeminiLiveMetrics;

/**
 * Adjusts the {@link GeminiLiveMetrics} the starter registers, after the {@code
 * gemini.live.metrics.tags.*} properties are applied: the place for tags computed per session.
 *
 * <pre>{@code
 * @Bean
 * GeminiLiveMetricsCustomizer tenantTag(TenantDirectory tenants) {
 *   return metrics -> metrics.sessionTags(
 *       (sessionId, spec) -> Tags.of("tenant", tenants.current().id()));
 * }
 * }</pre>
 *
 * <p>Tags must stay bounded and free of personal data (a tenant or campaign id, never a caller's
 * number or name): every distinct value is a new time series. Customizers run once, in {@link
 * org.springframework.core.annotation.Order} order, when the context starts.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface GeminiLiveMetricsCustomizer {
  /**
   * Adjusts the builder.
   *
   * @param builder the metrics' builder, with the properties' tags already added
   */
  void customize(GeminiLiveMetrics.Builder builder);
}
