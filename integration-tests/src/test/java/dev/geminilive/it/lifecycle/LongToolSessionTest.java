package dev.geminilive.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import dev.geminilive.tools.LiveTool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a session remembers about tool calls is bounded by what is in flight, not by how many calls
 * it has run: after 10,000 tool calls, some of them cut off by drops, no collection the session
 * keeps holds more than a small number of entries.
 */
class LongToolSessionTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int BATCHES = 50;
  private static final int CALLS_PER_BATCH = 200;

  /** Every so many batches a drop cuts off calls still running (their answers go stale). */
  private static final int DROP_EVERY = 10;

  private static final int CALLS_CUT_OFF = 20;

  /** Far above what is in flight at once, far below the number of calls. */
  private static final int SMALL = 1_000;

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  /** A quick tool, and a slow one that waits at a gate. */
  static final class Tools {
    final AtomicReference<CountDownLatch> started = new AtomicReference<>(new CountDownLatch(0));
    final AtomicReference<CountDownLatch> gate = new AtomicReference<>(new CountDownLatch(0));

    @LiveTool(description = "Answers at once.")
    String quick() {
      return "ok";
    }

    @LiveTool(description = "Answers when the gate opens.")
    String slow() throws InterruptedException {
      started.get().countDown();
      gate.get().await();
      return "late";
    }
  }

  @Test
  void tenThousandToolCallsLeaveNoCollectionThatGrewWithThem() throws Exception {
    FakeLiveServer server = live.server();
    Tools tools = new Tools();
    RecordingLiveListener events = new RecordingLiveListener();
    int results = 0;
    int turns = 0;
    try (ResilientLiveSession session =
        server.sessionBuilder().tools(tools).listener(events).connect()) {
      for (int b = 0; b < BATCHES; b++) {
        current(server).sendRaw(toolCall("b" + b, "quick", CALLS_PER_BATCH));
        results += CALLS_PER_BATCH;
        events.await(EventType.TOOL_RESULT, results, WAIT);
        // A turn: the service sends a fresh resumption handle after it.
        session.sendText("checkpoint " + b);
        events.awaitTurnComplete(++turns, WAIT);
        if (b % DROP_EVERY == DROP_EVERY / 2) {
          // Calls made after that handle and still running when the connection drops: the
          // resumed session never saw them, so their answers are dropped.
          tools.started.set(new CountDownLatch(CALLS_CUT_OFF));
          CountDownLatch gate = new CountDownLatch(1);
          tools.gate.set(gate);
          current(server).sendRaw(toolCall("cut" + b, "slow", CALLS_CUT_OFF));
          assertThat(tools.started.get().await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
          int reconnects = events.count(EventType.RECONNECTED);
          current(server).drop();
          events.await(EventType.RECONNECTED, reconnects + 1, WAIT);
          gate.countDown();
          results += CALLS_CUT_OFF;
          events.await(EventType.TOOL_RESULT, results, WAIT);
        }
      }
      List<RetainedCollections.Found> kept = RetainedCollections.of(session);
      System.out.println("Largest collections after " + results + " tool calls: " + top(kept));
      assertThat(kept.get(0).size())
          .as(
              "the largest collection the session keeps after %d tool calls: %s",
              results, top(kept))
          .isLessThanOrEqualTo(SMALL);
    }
  }

  private static String top(List<RetainedCollections.Found> kept) {
    return kept.subList(0, Math.min(6, kept.size())).toString();
  }

  private static dev.geminilive.testkit.FakeConnection current(FakeLiveServer server) {
    List<dev.geminilive.testkit.FakeConnection> all = server.connections();
    return all.get(all.size() - 1);
  }

  private static String toolCall(String prefix, String name, int calls) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < calls; i++) {
      sb.append(i > 0 ? "," : "");
      sb.append("{\"id\":\"").append(prefix).append('-').append(i);
      sb.append("\",\"name\":\"").append(name).append("\",\"args\":{}}");
    }
    return "{\"toolCall\":{\"functionCalls\":[" + sb + "]}}";
  }
}
