package dev.geminilive.spring;

import dev.geminilive.micrometer.GeminiLiveMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Registers {@code live-client-micrometer}'s {@link GeminiLiveMetrics} when that module and
 * Micrometer are on the classpath and the application has a {@link MeterRegistry} bean (Spring Boot
 * Actuator provides one).
 *
 * <p>The metrics are bound to the application's registry and, being a {@code LiveObserver.Factory}
 * bean, attached to every {@code LiveSessionBuilder} the starter hands out (see {@link
 * GeminiLiveAutoConfiguration}). Their tags are {@code model}, the {@code
 * gemini.live.metrics.tags.*} properties and whatever {@link GeminiLiveMetricsCustomizer} beans
 * add. {@code gemini.live.metrics.enabled=false} turns them off; a {@code GeminiLiveMetrics} bean
 * of the application's own replaces them.
 *
 * @since 0.1
 */
@AutoConfiguration(
    after = GeminiLiveAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"
    })
@ConditionalOnClass({GeminiLiveMetrics.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(
    prefix = GeminiLiveProperties.PREFIX + ".metrics",
    name = "enabled",
    matchIfMissing = true)
@EnableConfigurationProperties(GeminiLiveProperties.class)
public class GeminiLiveMetricsAutoConfiguration {
  /** Created by Spring. */
  public GeminiLiveMetricsAutoConfiguration() {}

  /**
   * The application's Gemini Live meters, bound to its registry.
   *
   * @param properties the {@code gemini.live.*} properties
   * @param customizers the application's customizers, in order
   * @param registries the application's registry
   * @return the metrics, a binder and an observer factory
   */
  @Bean
  @ConditionalOnMissingBean
  GeminiLiveMetrics geminiLiveMetrics(
      GeminiLiveProperties properties,
      ObjectProvider<GeminiLiveMetricsCustomizer> customizers,
      ObjectProvider<MeterRegistry> registries) {
    GeminiLiveMetrics.Builder b = GeminiLiveMetrics.builder();
    for (Map.Entry<String, String> tag : new TreeMap<>(properties.metrics().tags()).entrySet()) {
      if (tag.getValue().isBlank()) {
        throw LiveSettings.invalid(
            "metrics.tags." + tag.getKey(),
            tag.getValue(),
            "A tag needs a value; remove the property to leave the tag out.");
      }
      b.tags(tag.getKey(), tag.getValue());
    }
    customizers.orderedStream().forEach(c -> c.customize(b));
    GeminiLiveMetrics metrics = b.build();
    // Spring Boot Actuator binds every MeterBinder bean to the registry once the context is
    // refreshed; a registry defined without Actuator would never be. Binding here covers both:
    // the registry Actuator binds (its primary one) is the one injected here, and binding the same
    // registry twice is harmless.
    MeterRegistry registry = registries.getIfUnique();
    if (registry != null) {
      metrics.bindTo(registry);
    }
    return metrics;
  }
}
