package dev.geminilive.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineTestKit;

/** The extension starts a server per test, injects it, and closes it afterwards. */
class FakeLiveServerExtensionTest {
  private final AtomicReference<FakeLiveServer> used = new AtomicReference<>();

  /** Registered first, so its afterEach runs after the server extension's: the port is closed. */
  @RegisterExtension
  @Order(1)
  final AfterEachCallback portIsClosedAfterTheTest =
      context -> {
        FakeLiveServer server = used.get();
        assertThat(server).isNotNull();
        assertThatThrownBy(() -> new Socket("127.0.0.1", server.port()).close())
            .isInstanceOf(ConnectException.class);
      };

  @RegisterExtension
  @Order(2)
  final FakeLiveServerExtension live = new FakeLiveServerExtension(b -> b.apiKey("ext-key"));

  @AfterEach
  void serverIsStillRunningInAfterEach(FakeLiveServer server) throws Exception {
    assertThat(server).isSameAs(used.get());
    new Socket("127.0.0.1", server.port()).close();
  }

  @Test
  void injectsTheSameRunningServerAsServer(FakeLiveServer server) throws Exception {
    used.set(server);
    assertThat(server).isSameAs(live.server());
    assertThat(server.apiKey()).isEqualTo("ext-key");
    RawWebSocket ws =
        RawWebSocket.open(server, RawWebSocket.path("v1beta", false), "x-goog-api-key", "ext-key")
            .send(RawWebSocket.setup("gemini-3.1-flash-live-preview"));
    assertThat(ws.take()).contains("setupComplete");
    assertThat(server.awaitConnections(1, Duration.ofSeconds(5))).hasSize(1);
  }

  @Test
  void givesEachTestAFreshServer() {
    used.set(live.server());
    assertThat(live.server().connections()).isEmpty();
    assertThat(live.server().recorder().all()).isEmpty();
    assertThatThrownBy(new FakeLiveServerExtension()::server)
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void runsAndClosesOneServerPerTestUnderTheJupiterEngine() {
    used.set(live.server());
    var results =
        EngineTestKit.engine("junit-jupiter")
            .selectors(DiscoverySelectors.selectClass(Sample.class))
            .execute();
    results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
    var events = results.allEvents();
    java.util.List<Integer> ports =
        events.reportingEntryPublished().stream()
            .map(e -> e.getRequiredPayload(org.junit.platform.engine.reporting.ReportEntry.class))
            .map(r -> Integer.valueOf(r.getKeyValuePairs().get("port")))
            .toList();
    assertThat(ports).hasSize(2).doesNotHaveDuplicates();
    for (int port : ports) {
      assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
          .isInstanceOf(ConnectException.class);
    }
  }

  /** Run only through the engine test kit above (surefire skips nested classes). */
  static class Sample {
    @RegisterExtension final FakeLiveServerExtension live = new FakeLiveServerExtension();

    @Test
    void first(FakeLiveServer server, org.junit.jupiter.api.TestReporter reporter) {
      reporter.publishEntry("port", String.valueOf(server.port()));
    }

    @Test
    void second(org.junit.jupiter.api.TestReporter reporter) {
      reporter.publishEntry("port", String.valueOf(live.server().port()));
    }
  }
}
