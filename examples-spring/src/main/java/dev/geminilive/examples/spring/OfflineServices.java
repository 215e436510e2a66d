package dev.geminilive.examples.spring;

import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeTokenEndpoint;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;

/**
 * Runs the app without an API key: starts the testkit's fake Live server (plain {@code ws://}, so a
 * browser can reach it without trusting a certificate) and fake token endpoint on loopback, scripts
 * a short Laura ({@link DemoScript}), and points {@code gemini.live.*} at them. Both fakes stop
 * with the context.
 */
final class OfflineServices
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {
  private static final Logger log = LoggerFactory.getLogger(OfflineServices.class);

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    FakeLiveServer live = FakeLiveServer.builder().plain(true).build();
    FakeTokenEndpoint tokens = FakeTokenEndpoint.start(live);
    live.script(new DemoScript());
    context
        .getEnvironment()
        .getPropertySources()
        .addFirst(
            new MapPropertySource(
                "gemini-live-offline",
                Map.of(
                    "gemini.live.api-key", live.apiKey(),
                    "gemini.live.base-url", live.baseUrl(),
                    "gemini.live.token.base-url", tokens.baseUrl())));
    context.addApplicationListener(
        event -> {
          if (event instanceof ContextClosedEvent) {
            tokens.close();
            live.close();
          }
        });
    log.info(
        "No GEMINI_API_KEY: the voice page talks to the embedded fake Live server at {}",
        live.baseUrl());
  }
}
