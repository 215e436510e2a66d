package dev.geminilive.testkit;

import static dev.geminilive.testkit.RawWebSocket.setup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.genai.types.LiveConnectConfig;
import com.google.genai.types.LiveSendRealtimeInputParameters;
import com.google.genai.types.Modality;
import dev.geminilive.ResilientLiveSession;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Starting and stopping the server: ports, threads and what a taken port does. */
class FakeLiveServerLifecycleTest {
  private static final String MODEL = "gemini-3.1-flash-live-preview";

  /** How long a thread that is on its way out may take to end. */
  private static final Duration GRACE = Duration.ofSeconds(10);

  @Test
  void closeReturnsOnlyOnceThePortRefusesConnections() throws Exception {
    // The listening socket is closed by Netty's acceptor thread after close() was asked for; a
    // close() that does not wait for that thread leaves the port accepting for a moment. One round
    // rarely shows it, so this runs many.
    for (int round = 0; round < 300; round++) {
      FakeLiveServer server = FakeLiveServer.builder().plain(true).build();
      int port = server.port();
      server.close();
      assertThat(catchThrowable(() -> new Socket(InetAddress.getLoopbackAddress(), port).close()))
          .as("round %d: port %d still accepts after close()", round, port)
          .isInstanceOf(ConnectException.class);
    }
  }

  @Test
  void aClosedServersPortCanBeBoundAgainAtOnce() throws Exception {
    FakeLiveServer server = FakeLiveServer.builder().build();
    int port = server.port();
    server.close();
    try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void aTakenPortFailsBuildWithAnUncheckedExceptionNamingItAndLeavesNothingRunning()
      throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      ThreadWatch threads = new ThreadWatch();

      assertThatThrownBy(() -> FakeLiveServer.builder().port(port).build())
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("127.0.0.1:" + port)
          .hasMessageContaining("port(0)")
          .hasCauseInstanceOf(BindException.class);
      assertThat(threads.survivors(GRACE)).as("threads left running").isEmpty();
    }
  }

  @Test
  void everyThreadTheServerAndItsClientsStartIsADaemonAndCloseReleasesThem() throws Exception {
    ThreadWatch threads = new ThreadWatch();
    FakeLiveServer server = FakeLiveServer.builder().build();
    RawWebSocket ws = RawWebSocket.openWithKey(server).send(setup(MODEL));
    assertThat(ws.take()).contains("setupComplete");
    SdkInbox.Connected sdk =
        SdkInbox.connect(
            server.sdkClient(),
            MODEL,
            LiveConnectConfig.builder().responseModalities(Modality.Known.AUDIO).build());
    sdk.session()
        .sendRealtimeInput(LiveSendRealtimeInputParameters.builder().text("hi").build())
        .get(10, TimeUnit.SECONDS);
    sdk.inbox().untilTurnComplete();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = server.sessionBuilder().listener(events).connect()) {
      session.sendText("hello");
      events.awaitTurnComplete();
    }

    assertThat(threads.started())
        .as("threads started by the server and its clients")
        .isNotEmpty()
        .allSatisfy(t -> assertThat(t.isDaemon()).as(ThreadWatch.describe(t)).isTrue());
    server.close();
    assertThat(threads.survivors(GRACE)).as("threads left running after close()").isEmpty();
  }
}
