package dev.geminilive.examples.spring;

import dev.geminilive.spring.GeminiLiveMetricsCustomizer;
import io.micrometer.core.instrument.Tags;
import org.springframework.context.annotation.Bean;

/**
 * The per-session tag of docs/spring-boot.md, compiled so the page cannot drift from the API. Not a
 * {@code @Configuration}: the application's component scan would pick it up in the tests.
 */
class MetricsTagSnippet {
  /** Where an application keeps its tenants; the current one is a bounded id, never a person. */
  interface TenantDirectory {
    Tenant current();
  }

  /** A tenant of the application. */
  interface Tenant {
    String id();
  }

  // snippet:spring-metrics-tenant-tag
  @Bean
  GeminiLiveMetricsCustomizer tenantTag(TenantDirectory tenants) {
    return metrics ->
        metrics.sessionTags((sessionId, spec) -> Tags.of("tenant", tenants.current().id()));
  }
  // end:spring-metrics-tenant-tag
}
