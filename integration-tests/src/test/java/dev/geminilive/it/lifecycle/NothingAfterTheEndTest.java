package dev.geminilive.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.Event;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import dev.geminilive.tools.LiveTool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nothing reaches the listener after {@code onClosed}: events posted from tool threads and sender
 * threads while the session closes are delivered before it or not at all.
 *
 * <p>Each trial holds many tool calls at a gate while sender threads stream audio, opens the gate
 * and closes the session a random few microseconds later, so that the calls finish (and post {@code
 * onToolResult} from their threads) around the moment the session ends. A race test: the window it
 * looks for is small, so it runs many trials.
 */
class NothingAfterTheEndTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int TRIALS = 25;
  private static final int CALLS = 32;
  private static final int SENDERS = 2;
  private static final long MAX_CLOSE_DELAY_NANOS = 400_000;

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  /** A tool whose calls all wait at one gate. */
  static final class GatedTool {
    final CountDownLatch started = new CountDownLatch(CALLS);
    final CountDownLatch gate = new CountDownLatch(1);

    @LiveTool(description = "Waits for the gate.")
    String work() throws InterruptedException {
      started.countDown();
      gate.await();
      return "done";
    }
  }

  @Test
  void eventsRacingTheCloseFromToolAndSenderThreadsNeverFollowOnClosed() throws Exception {
    FakeLiveServer server = live.server();
    List<String> late = new ArrayList<>();
    for (int trial = 0; trial < TRIALS; trial++) {
      GatedTool tool = new GatedTool();
      RecordingLiveListener events = new RecordingLiveListener();
      ResilientLiveSession session = server.sessionBuilder().tools(tool).listener(events).connect();
      server.connections().get(server.connections().size() - 1).sendRaw(toolCall(trial));
      assertThat(tool.started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

      CyclicBarrier start = new CyclicBarrier(SENDERS + 1);
      List<Thread> senders = new ArrayList<>();
      for (int i = 0; i < SENDERS; i++) {
        Thread sender =
            new Thread(
                () -> {
                  await(start);
                  byte[] chunk = new byte[640];
                  while (!session.state().isTerminal()) {
                    session.sendAudio(chunk);
                  }
                },
                "sender-" + i);
        sender.setDaemon(true);
        senders.add(sender);
        sender.start();
      }
      await(start);
      long delay = ThreadLocalRandom.current().nextLong(MAX_CLOSE_DELAY_NANOS);
      tool.gate.countDown();
      for (long until = System.nanoTime() + delay; System.nanoTime() - until < 0; ) {
        Thread.onSpinWait();
      }
      session.close();
      for (Thread sender : senders) {
        sender.join(WAIT.toMillis());
      }
      session.termination().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

      List<Event> all = events.events();
      int end = indexOf(all, EventType.CLOSED);
      assertThat(end).as("onClosed in trial %d", trial).isNotNegative();
      for (int i = end + 1; i < all.size(); i++) {
        late.add("trial " + trial + ": " + all.get(i).type() + " after CLOSED");
      }
    }
    assertThat(late).as("events delivered after onClosed").isEmpty();
  }

  private static String toolCall(int trial) {
    StringBuilder calls = new StringBuilder();
    for (int i = 0; i < CALLS; i++) {
      calls.append(i > 0 ? "," : "");
      calls.append("{\"id\":\"t").append(trial).append('-').append(i);
      calls.append("\",\"name\":\"work\",\"args\":{}}");
    }
    return "{\"toolCall\":{\"functionCalls\":[" + calls + "]}}";
  }

  private static int indexOf(List<Event> events, EventType type) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).type() == type) {
        return i;
      }
    }
    return -1;
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
