package dev.geminilive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionState;
import dev.geminilive.Transport;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Many concurrent sessions on one JVM: all connect at once (well past OkHttp's 64-call dispatcher
 * limit, which hangs the 65th session of a plain SDK client), each holds one text turn, all close.
 */
class ConnectorLoadTest {
  private static final int SESSIONS = 200;
  private static final Duration WAIT = Duration.ofSeconds(30);

  @ParameterizedTest
  @EnumSource(Transport.class)
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void twoHundredConcurrentSessionsConnectTalkAndClose(Transport transport) throws Exception {
    try (FakeLiveServer server = FakeLiveServer.builder().build()) {
      server.script(s -> s.onAnyText().reply(r -> r.text("ok").outputTranscript("ok")));
      long start = System.nanoTime();
      List<RecordingLiveListener> listeners = new ArrayList<>();
      List<CompletableFuture<ResilientLiveSession>> connecting = new ArrayList<>();
      for (int i = 0; i < SESSIONS; i++) {
        RecordingLiveListener events = new RecordingLiveListener();
        listeners.add(events);
        connecting.add(
            Fakes.builder(server)
                .transport(transport)
                .connectTimeout(WAIT)
                .listener(events)
                .connectAsync());
      }
      List<ResilientLiveSession> sessions = new ArrayList<>();
      for (CompletableFuture<ResilientLiveSession> f : connecting) {
        sessions.add(f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
      }
      long connectedMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(sessions).allMatch(s -> s.state() == SessionState.ACTIVE);

      for (int i = 0; i < SESSIONS; i++) {
        sessions.get(i).sendText("turn " + i);
      }
      for (RecordingLiveListener events : listeners) {
        events.awaitTurnComplete(1, WAIT);
      }
      long talkedMs = (System.nanoTime() - start) / 1_000_000 - connectedMs;

      long closeStart = System.nanoTime();
      for (ResilientLiveSession s : sessions) {
        s.close();
      }
      for (RecordingLiveListener events : listeners) {
        assertThat(events.awaitEnd(WAIT).type()).isEqualTo(EventType.CLOSED);
      }
      long closedMs = (System.nanoTime() - closeStart) / 1_000_000;
      for (var c : server.connections()) {
        assertThat(c.awaitClosed(WAIT)).isTrue();
      }
      assertThat(server.connections()).hasSize(SESSIONS);
      assertThat(server.recorder().ofKind(MessageKind.REALTIME_TEXT)).hasSize(SESSIONS);
      assertThat(listeners).allMatch(l -> l.count(EventType.RECONNECTING) == 0);
      String prefix = "load." + transport + "." + SESSIONS;
      Measurements.record(prefix + ".connect.ms", connectedMs);
      Measurements.record(prefix + ".turn.ms", talkedMs);
      Measurements.record(prefix + ".close.ms", closedMs);
      Measurements.record(prefix + ".total.ms", (System.nanoTime() - start) / 1_000_000);
    }
  }
}
