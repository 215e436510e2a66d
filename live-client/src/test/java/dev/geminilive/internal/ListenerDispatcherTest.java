package dev.geminilive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.geminilive.LiveException;
import dev.geminilive.LiveListener;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.ToolCallEvent;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListenerDispatcherTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<String> seen = new ArrayList<>();
  private final QueuedScheduler scheduler = new QueuedScheduler();
  private final SerialQueue queue = new SerialQueue(scheduler, "s");

  private final LiveListener listener =
      new LiveListener() {
        @Override
        public void onText(ResilientLiveSession session, String text) {
          if (text.equals("throw")) {
            throw new IllegalStateException("on purpose");
          }
          seen.add(text);
        }

        @Override
        public void onClosed(ResilientLiveSession session) {
          seen.add("closed");
        }

        @Override
        public void onFailure(ResilientLiveSession session, LiveException failure) {
          seen.add("failed: " + failure.getMessage());
        }
      };

  private final ListenerDispatcher dispatcher = new ListenerDispatcher(queue, listener, session());

  @Test
  void theTerminalEventIsDeliveredOnceAndLastWhateverWasQueuedBehindIt() {
    dispatcher.post(l -> l.onText(null, "a"));
    queue.execute(() -> dispatcher.terminal(null, () -> seen.add("afterwards")));
    dispatcher.post(l -> l.onText(null, "late"));
    queue.execute(() -> dispatcher.terminal(new LiveException("again"), () -> seen.add("twice")));
    queue.execute(() -> dispatcher.deliver(l -> l.onText(null, "later still")));
    scheduler.runAll();
    assertThat(seen).containsExactly("a", "closed", "afterwards");
  }

  @Test
  void aToolResultIsQueuedOnlyForAListenerThatImplementsOnToolResult() {
    ToolCallEvent call = new ToolCallEvent("c1", "echo", JSON.createObjectNode());
    dispatcher.postToolResult(l -> l.onToolResult(null, call, JSON.createObjectNode()));
    assertThat(queue.pending()).as("this listener has no onToolResult: no task").isZero();

    ListenerDispatcher watching =
        new ListenerDispatcher(
            queue,
            new LiveListener() {
              @Override
              public void onToolResult(
                  ResilientLiveSession session, ToolCallEvent c, JsonNode result) {
                seen.add("result " + c.id());
              }
            },
            session());
    watching.postToolResult(l -> l.onToolResult(null, call, JSON.createObjectNode()));
    assertThat(queue.pending()).isEqualTo(1);
    scheduler.runAll();
    assertThat(seen).containsExactly("result c1");
  }

  @Test
  void aListenerThatThrowsIsCountedAndLaterEventsStillArrive() {
    dispatcher.post(l -> l.onText(null, "throw"));
    dispatcher.post(l -> l.onText(null, "b"));
    queue.execute(() -> dispatcher.terminal(new LiveException("boom"), () -> {}));
    scheduler.runAll();
    assertThat(seen).containsExactly("b", "failed: boom");
    assertThat(dispatcher.errors()).isEqualTo(1);
  }

  private static ResilientLiveSession session() {
    return (ResilientLiveSession)
        Proxy.newProxyInstance(
            ListenerDispatcherTest.class.getClassLoader(),
            new Class<?>[] {ResilientLiveSession.class},
            (proxy, method, args) -> method.getName().equals("name") ? "s" : null);
  }
}
