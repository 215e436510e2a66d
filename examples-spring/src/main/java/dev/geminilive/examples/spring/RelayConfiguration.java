package dev.geminilive.examples.spring;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/** Serves the relay at {@code /api/live/relay}, for pages of this origin only. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class RelayConfiguration implements WebSocketConfigurer {
  /** The relay's path. */
  static final String PATH = "/api/live/relay";

  private final RelayHandler relay;

  RelayConfiguration(RelayHandler relay) {
    this.relay = relay;
  }

  @Override
  public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
    registry.addHandler(relay, PATH); // same origin by default: other sites cannot open a call
  }
}
