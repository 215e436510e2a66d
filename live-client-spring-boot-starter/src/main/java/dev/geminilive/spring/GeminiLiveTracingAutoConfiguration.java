package dev.geminilive.spring;

import dev.geminilive.opentelemetry.GeminiLiveTracing;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Registers {@code live-client-opentelemetry}'s {@link GeminiLiveTracing} when that module is on
 * the classpath and the application has an {@link OpenTelemetry} bean (Spring Boot Actuator
 * provides one with the OpenTelemetry SDK; so can the application or an agent's bridge).
 *
 * <p>Being a {@code LiveObserver.Factory} bean, the tracing is attached to every {@code
 * LiveSessionBuilder} the starter hands out (see {@link GeminiLiveAutoConfiguration}): a span per
 * session, child spans per connection and per tool call. {@code gemini.live.tracing.enabled=false}
 * turns it off; a {@code GeminiLiveTracing} bean of the application's own replaces it.
 *
 * @since 0.1
 */
@AutoConfiguration(
    after = GeminiLiveAutoConfiguration.class,
    afterName =
        "org.springframework.boot.actuate.autoconfigure.opentelemetry.OpenTelemetryAutoConfiguration")
@ConditionalOnClass({GeminiLiveTracing.class, OpenTelemetry.class})
@ConditionalOnBean(OpenTelemetry.class)
@ConditionalOnProperty(
    prefix = GeminiLiveProperties.PREFIX + ".tracing",
    name = "enabled",
    matchIfMissing = true)
public class GeminiLiveTracingAutoConfiguration {
  /** Created by Spring. */
  public GeminiLiveTracingAutoConfiguration() {}

  /**
   * Spans for every session, through the application's OpenTelemetry.
   *
   * @param openTelemetry the application's OpenTelemetry
   * @return the tracing, an observer factory
   */
  @Bean
  @ConditionalOnMissingBean
  GeminiLiveTracing geminiLiveTracing(OpenTelemetry openTelemetry) {
    return GeminiLiveTracing.create(openTelemetry);
  }
}
