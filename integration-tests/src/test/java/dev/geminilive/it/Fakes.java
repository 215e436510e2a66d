package dev.geminilive.it;

import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ReconnectPolicy;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.FakeLiveServer;
import java.time.Duration;

/** Builders pointed at a fake server, with fast reconnects for tests. */
final class Fakes {
  private Fakes() {}

  static LiveSessionBuilder builder(FakeLiveServer server) {
    return ResilientLiveSession.builder()
        .apiKey(server.apiKey())
        .baseUrl(server.baseUrl())
        .httpClient(server.okHttpClient())
        .connectTimeout(Duration.ofSeconds(5))
        .reconnectPolicy(
            ReconnectPolicy.exponential(Duration.ofMillis(20), 2.0, Duration.ofMillis(200))
                .withJitter(0.1));
  }
}
