package dev.geminilive.spring;

import dev.geminilive.LiveObserver;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.tokens.EphemeralTokenService;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Auto-configuration of Gemini Live from the {@code gemini.live.*} properties ({@link
 * GeminiLiveProperties}).
 *
 * <p>Beans, each replaceable by one of the application's own:
 *
 * <ul>
 *   <li>{@link LiveSessionBuilder}, <b>prototype</b>: a fresh builder per injection point or {@code
 *       ObjectProvider.getObject()}, with the properties, every {@code @LiveTool} bean as a tool
 *       (through its proxy, so transactions and security apply), every {@link LiveObserver.Factory}
 *       bean as an observer and every {@link LiveSessionBuilderCustomizer} applied. With Spring
 *       Security, tools run as the user who was authenticated on the thread that got the builder.
 *   <li>{@link LiveSessions}: opens sessions, remembers the last connect outcome, and closes every
 *       session (after running tool calls answer) before the web server stops.
 *   <li>{@link EphemeralTokenService}, when an API key is configured.
 *   <li>With Spring MVC and {@code gemini.live.token.endpoint.enabled=true}: {@code POST
 *       /api/live/token} (see {@code gemini.live.token.endpoint.*}).
 *   <li>With Spring Boot Actuator: the {@code geminiLive} health indicator ({@link
 *       GeminiLiveHealthIndicator}).
 * </ul>
 *
 * <p>Metrics and traces come from two more auto-configurations, each switched on by its module on
 * the classpath: {@link GeminiLiveMetricsAutoConfiguration} ({@code live-client-micrometer} and a
 * {@code MeterRegistry} bean) and {@link GeminiLiveTracingAutoConfiguration} ({@code
 * live-client-opentelemetry} and an {@code OpenTelemetry} bean). Both register an observer factory
 * that every builder gets; without those modules the starter works the same, unobserved.
 *
 * <p>Every property is checked when the context starts; a wrong value stops the start with a report
 * naming the property and saying what is wrong.
 *
 * @since 0.1
 */
@AutoConfiguration
@EnableConfigurationProperties(GeminiLiveProperties.class)
public class GeminiLiveAutoConfiguration {
  /** Created by Spring. */
  public GeminiLiveAutoConfiguration() {}

  @Bean
  LiveSettings geminiLiveSettings(GeminiLiveProperties properties, Environment environment) {
    return new LiveSettings(properties, environment);
  }

  @Bean
  static LiveToolBeans geminiLiveToolBeans() {
    return new LiveToolBeans();
  }

  @Bean
  ToolThreads geminiLiveToolThreads() {
    return new ToolThreads();
  }

  /**
   * A fresh builder with the properties, the tools and the customizers applied.
   *
   * @param settings the checked properties
   * @param tools the {@code @LiveTool} beans
   * @param threads the threads tools run on as a Spring Security user
   * @param observers the observer factories (metrics, tracing, the application's own), in order
   * @param customizers the application's customizers, in order
   * @return a new builder, for one session
   */
  @Bean
  @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
  @ConditionalOnMissingBean
  LiveSessionBuilder liveSessionBuilder(
      LiveSettings settings,
      LiveToolBeans tools,
      ToolThreads threads,
      ObjectProvider<LiveObserver.Factory> observers,
      ObjectProvider<LiveSessionBuilderCustomizer> customizers) {
    LiveSessionBuilder b = new LiveSessionBuilder();
    settings.apply(b);
    if (!tools.registry().isEmpty()) {
      b.tools(tools.registry());
    }
    if (SecuritySupport.PRESENT) {
      SecuritySupport.runToolsAsCurrentUser(b, threads.executor());
    }
    observers.orderedStream().forEach(b::observer);
    customizers.orderedStream().forEach(c -> c.customize(b));
    return b;
  }

  @Bean
  @ConditionalOnMissingBean
  LiveSessions liveSessions(GeminiLiveProperties properties, ToolThreads threads) {
    return new LiveSessions(
        properties.shutdown().toolGrace(), Clock.systemUTC(), threads.executor());
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnApiKey
  EphemeralTokenService ephemeralTokenService(LiveSettings settings) {
    EphemeralTokenService.Builder b = EphemeralTokenService.builder();
    settings.apply(b);
    return b.build();
  }

  /** The token endpoint of a servlet web application. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(DispatcherServlet.class)
  @ConditionalOnProperty(prefix = "gemini.live.token.endpoint", name = "enabled")
  static class TokenEndpointConfiguration {
    @Bean
    RouterFunction<ServerResponse> liveTokenEndpoint(
        ObjectProvider<EphemeralTokenService> tokens,
        ObjectProvider<LiveSessionBuilder> builders,
        ObjectProvider<LiveTokenCustomizer> customizers,
        GeminiLiveProperties properties) {
      EphemeralTokenService service = tokens.getIfAvailable();
      if (service == null) {
        throw LiveSettings.invalid(
            "token.endpoint.enabled",
            true,
            "The token endpoint mints with a Gemini API key: set gemini.live.api-key (or"
                + " GEMINI_API_KEY). Vertex AI does not issue ephemeral tokens.");
      }
      GeminiLiveProperties.Endpoint e = properties.token().endpoint();
      Function<HttpServletRequest, Optional<Principal>> principals =
          SecuritySupport.PRESENT
              ? SecuritySupport::authenticatedUser
              : TokenEndpointConfiguration::requestPrincipal;
      LiveTokenEndpoint endpoint =
          new LiveTokenEndpoint(
              service,
              builders::getObject,
              customizers.orderedStream().toList(),
              principals,
              new TokenRateLimit(e.rateLimit(), e.rateWindow(), Clock.systemUTC()));
      return RouterFunctions.route().POST(e.path(), endpoint).build();
    }

    /** Without Spring Security: the container's user, else the client's address. */
    private static Optional<Principal> requestPrincipal(HttpServletRequest request) {
      Principal p = request.getUserPrincipal();
      if (p != null) {
        return Optional.of(p);
      }
      String client = "client " + request.getRemoteAddr();
      return Optional.of(() -> client);
    }
  }

  /** The health indicator, with Spring Boot Actuator. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  @ConditionalOnEnabledHealthIndicator("geminiLive")
  static class HealthConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "geminiLiveHealthIndicator")
    GeminiLiveHealthIndicator geminiLiveHealthIndicator(
        LiveSettings settings, LiveSessions sessions) {
      return new GeminiLiveHealthIndicator(settings, sessions);
    }
  }
}
