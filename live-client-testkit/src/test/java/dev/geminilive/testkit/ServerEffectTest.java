package dev.geminilive.testkit;

import static dev.geminilive.testkit.RawWebSocket.setup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Server effects as values: applied to a connection now, or by the server to later setups. */
class ServerEffectTest {
  static final String MODEL = "gemini-3.1-flash-live-preview";
  static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension final FakeLiveServerExtension live = new FakeLiveServerExtension();

  RawWebSocket connect() throws Exception {
    RawWebSocket ws = RawWebSocket.openWithKey(live.server()).send(setup(MODEL));
    assertThat(ws.take()).contains("setupComplete");
    return ws;
  }

  @Test
  void anEffectAppliedToAConnectionActsAsItsShorthandDoes() throws Exception {
    RawWebSocket ws = connect();
    FakeConnection conn = live.server().connections().get(0);
    conn.apply(ServerEffect.sendRaw("{\"custom\":true}"));
    assertThat(ws.take()).isEqualTo("{\"custom\":true}");
    conn.apply(ServerEffect.close(1008, "Policy violation."));
    assertThat(ws.awaitClose()).isEqualTo("1008 Policy violation.");
    assertThat(conn.awaitClosed(WAIT)).isTrue();
  }

  @Test
  void onSetupAppliesTheEffectToTheNextSetupsInsteadOfSetupComplete() throws Exception {
    live.server().faults().onSetup(1, ServerEffect.closeHalfOpen(1011, "Internal error."));
    RawWebSocket rejected = RawWebSocket.openWithKey(live.server()).send(setup(MODEL));
    assertThat(rejected.awaitClose()).isEqualTo("1011 Internal error.");
    connect();
  }

  @Test
  void afterSetupAppliesTheEffectToEveryNewConnection() throws Exception {
    live.server().faults().afterSetup(Duration.ZERO, ServerEffect.goAway(Duration.ofSeconds(30)));
    RawWebSocket first = connect();
    assertThat(first.take()).isEqualTo("{\"goAway\":{\"timeLeft\":\"30s\"}}");
    RawWebSocket second = connect();
    assertThat(second.take()).isEqualTo("{\"goAway\":{\"timeLeft\":\"30s\"}}");
    live.server().faults().clear();
    RawWebSocket third = connect();
    third.send("{\"realtimeInput\":{\"text\":\"hi\"}}");
    assertThat(third.take()).doesNotContain("goAway");
  }

  @Test
  void effectsAreValues() {
    assertThat(ServerEffect.close(1011, "x")).isEqualTo(new ServerEffect.Close(1011, "x"));
    assertThat(ServerEffect.drop()).isEqualTo(new ServerEffect.Drop());
    assertThatThrownBy(() -> ServerEffect.goAway(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> live.server().faults().onSetup(-1, ServerEffect.drop()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
