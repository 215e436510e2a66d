package dev.geminilive.testkit;

import static dev.geminilive.testkit.RawWebSocket.setup;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A resume whose setup the model thread runs after the old connection's socket closed but before
 * that connection's end reached the model thread (the socket's thread marks the connection closed a
 * step before it queues the end). The resumed conversation must start from what the end leaves: no
 * reply under way and no call open, as after any lost connection. The test holds the ends of
 * connections (a hook of the fake's engine) so that the setup runs in that gap every time.
 */
class ResumeBeforeTheOldEndTest {
  static final String MODEL = FaultsTest.MODEL;
  static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension final FakeLiveServerExtension live = new FakeLiveServerExtension();

  @Test
  void aResumeSetUpBeforeTheOldConnectionsEndArrivesLeavesNoCallOfThatConnectionOpen()
      throws Exception {
    FakeLiveServer server = live.server();
    server.script(s -> s.onText("book").callTool("schedule_appointment", Map.of()));
    List<Runnable> heldEnds = new CopyOnWriteArrayList<>();
    CountDownLatch ended = new CountDownLatch(1);
    server
        .engine()
        .holdConnectionEnds(
            end -> {
              heldEnds.add(end);
              ended.countDown();
            });
    RawWebSocket ws = RawWebSocket.openWithKey(server).send(setup(MODEL));
    assertThat(ws.take()).contains("setupComplete");
    ws.send("{\"realtimeInput\":{\"text\":\"hi\"}}");
    String handle = ProtocolChecksTest.handleFrom(ws);
    ws.send("{\"realtimeInput\":{\"text\":\"book\"}}");
    ws.takeUntil("toolCall");
    FakeSession conversation = server.sessions().get(0);
    assertThat(conversation.pendingToolCallIds()).hasSize(1);

    // The socket closes; its end waits, held, while the resume is set up.
    server.connections().get(0).drop();
    assertThat(ended.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(server.connections().get(0).isOpen()).isFalse();
    RawWebSocket again =
        RawWebSocket.openWithKey(server)
            .send(
                "{\"setup\":{\"model\":\"models/"
                    + MODEL
                    + "\",\"sessionResumption\":{\"handle\":\""
                    + handle
                    + "\"}}}");
    assertThat(again.take()).contains("setupComplete");
    assertThat(conversation.pendingToolCallIds())
        .as("calls of the lost connection open in the resumed conversation")
        .isEmpty();

    // The held end arrives late and changes nothing; the resumed conversation goes on.
    heldEnds.forEach(server.engine()::run);
    again.send("{\"realtimeInput\":{\"text\":\"hi again\"}}");
    assertThat(again.takeUntil("turnComplete")).contains("turnComplete");
    assertThat(conversation.pendingToolCallIds()).isEmpty();
  }
}
