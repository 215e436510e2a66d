package dev.geminilive.internal.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminilive.LiveObserver;
import dev.geminilive.LiveScheduler;
import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolRegistry;
import dev.geminilive.tools.ToolStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where the dispatcher runs handlers: one call of a message on the dispatching thread after its
 * task ({@link CallerThread}) when the library chooses the threads, the others on the executor; and
 * the time limit, which counts from dispatch whatever thread the call waits for.
 */
class ToolDispatcherThreadsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long WAIT_SECONDS = 30;

  static final class Tools {
    final CyclicBarrier together = new CyclicBarrier(2);
    final List<String> threads = new CopyOnWriteArrayList<>();
    final AtomicInteger quickRuns = new AtomicInteger();
    // What happened, in order, on any thread.
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @LiveTool(description = "Waits for a second call to run at the same time.")
    String together(String who) throws Exception {
      threads.add(who + " on " + Thread.currentThread().getName());
      together.await(WAIT_SECONDS, TimeUnit.SECONDS);
      return who;
    }

    @LiveTool(description = "Says where it ran.")
    String where() {
      events.add("handler ran on " + Thread.currentThread().getName());
      return Thread.currentThread().getName();
    }

    @LiveTool(description = "Quick, with a short limit.", timeoutMillis = 200)
    String quick() {
      quickRuns.incrementAndGet();
      return "quick";
    }
  }

  /** Keeps what it is offered, to run it when the test says. */
  static final class KeptCalls implements CallerThread {
    final List<Runnable> taken = new CopyOnWriteArrayList<>();
    final BlockingQueue<String> events;
    volatile boolean takes = true;
    int offers;

    KeptCalls(BlockingQueue<String> events) {
      this.events = events;
    }

    @Override
    public synchronized boolean runAfterTask(Runnable call) {
      offers++;
      if (takes) {
        taken.add(call);
      }
      return takes;
    }

    @Override
    public void handlerReturned() {
      events.add("handler returned on " + Thread.currentThread().getName());
    }
  }

  private final Tools tools = new Tools();
  private final KeptCalls caller = new KeptCalls(tools.events);
  private final BlockingQueue<ObjectNode> responses = new LinkedBlockingQueue<>();
  private final CountDownLatch releaseExecutor = new CountDownLatch(1);
  private @Nullable ToolDispatcher dispatcher;
  private @Nullable ExecutorService executor;

  @AfterEach
  void close() {
    releaseExecutor.countDown();
    if (dispatcher != null) {
      dispatcher.close();
    }
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  private ToolDispatcher dispatcher(@Nullable ExecutorService executor) {
    this.executor = executor;
    dispatcher =
        new ToolDispatcher(
            ToolRegistry.of(tools),
            executor,
            Duration.ofSeconds(WAIT_SECONDS),
            new ToolObserver() {},
            LiveObserver.NONE,
            "s-threads",
            LiveScheduler.system(),
            caller);
    return dispatcher;
  }

  private static ToolDispatcher.Request request(String id, String name, String... keyValue) {
    ObjectNode args = JSON.createObjectNode();
    for (int i = 0; i < keyValue.length; i += 2) {
      args.put(keyValue[i], keyValue[i + 1]);
    }
    return new ToolDispatcher.Request(id, name, args);
  }

  private JsonNode awaitResponses() throws InterruptedException {
    ObjectNode body = responses.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(body).as("a toolResponse").isNotNull();
    return body.get("functionResponses");
  }

  @Test
  void theFirstCallOfAMessageRunsOnTheCallerAfterItsTaskAndTheOthersOnTheExecutor()
      throws Exception {
    ToolDispatcher d = dispatcher(null);
    d.dispatch(
        List.of(request("c1", "together", "who", "a"), request("c2", "together", "who", "b")),
        responses::add);
    assertThat(caller.taken).as("the first call, kept for after the task").hasSize(1);
    assertThat(responses).isEmpty();

    // The test thread plays the session's worker once its task is over.
    Thread thread = Thread.currentThread();
    String own = thread.getName();
    caller.taken.get(0).run();

    JsonNode answers = awaitResponses();
    assertThat(answers.findValuesAsText("id")).containsExactly("c1", "c2");
    assertThat(tools.threads).hasSize(2);
    assertThat(tools.threads.stream().filter(t -> t.startsWith("a on ")).findFirst().orElseThrow())
        .as("a call on the caller runs under a tool thread's name")
        .matches("a on gemini-live-tool-\\d+");
    assertThat(thread.getName()).as("the caller's own name given back").isEqualTo(own);
    assertThat(caller.offers).as("one offer per message").isEqualTo(1);
  }

  @Test
  void theCallerIsToldOnItsThreadOnceTheHandlerReturnedAndBeforeTheAnswerGoesOut()
      throws Exception {
    ToolDispatcher d = dispatcher(null);
    d.dispatch(
        List.of(request("c1", "where"), request("c2", "where")),
        body -> {
          tools.events.add("answered on " + Thread.currentThread().getName());
          responses.add(body);
        });
    // The second call runs on the library's threads, and nothing tells the caller about it.
    String first = tools.events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(first).startsWith("handler ran on ");
    caller.taken.get(0).run();

    assertThat(awaitResponses().findValuesAsText("id")).containsExactly("c1", "c2");
    List<String> events = new ArrayList<>();
    events.add(first);
    tools.events.drainTo(events);
    // The answer goes out on whichever call's thread finished last: the caller's, or the second
    // call's if that one was still returning when the caller's call ended.
    String library = first.substring(first.indexOf(" on "));
    List<String> onCaller =
        events.stream().filter(e -> !e.endsWith(library)).collect(Collectors.toList());
    assertThat(onCaller)
        .as("the caller's call: its handler, then the caller told, on one tool thread")
        .hasSizeGreaterThanOrEqualTo(2)
        .allMatch(e -> e.matches(".* on gemini-live-tool-\\d+"))
        .extracting(e -> e.substring(0, e.indexOf(" on ")))
        .startsWith("handler ran", "handler returned");
    assertThat(onCaller.stream().map(e -> e.substring(e.indexOf(" on "))).distinct()).hasSize(1);
    assertThat(events)
        .as("the caller told once, for its own call; the answer once, last of all")
        .filteredOn(e -> e.startsWith("handler returned"))
        .hasSize(1);
    assertThat(events).filteredOn(e -> e.startsWith("answered")).hasSize(1);
    assertThat(events.get(events.size() - 1)).startsWith("answered on ");
  }

  @Test
  void aCallerThatRefusesLeavesTheCallToTheLibrarysThreads() throws Exception {
    caller.takes = false;
    ToolDispatcher d = dispatcher(null);
    d.dispatch(List.of(request("c1", "where")), responses::add);
    JsonNode answers = awaitResponses();
    assertThat(caller.offers).isEqualTo(1);
    assertThat(answers.get(0).path("response").path("output").asText())
        .isNotEqualTo(Thread.currentThread().getName());
  }

  @Test
  void withTheApplicationsExecutorTheCallerIsNeverOffered() throws Exception {
    ToolDispatcher d =
        dispatcher(Executors.newSingleThreadExecutor(r -> new Thread(r, "application-tool")));
    d.dispatch(List.of(request("c1", "where")), responses::add);
    JsonNode answers = awaitResponses();
    assertThat(answers.get(0).path("response").path("output").asText())
        .isEqualTo("application-tool");
    assertThat(caller.offers).isZero();
  }

  @Test
  void theTimeLimitCountsFromDispatchSoACallWaitingForABusyExecutorIsAnsweredAndNeverRuns()
      throws Exception {
    ToolDispatcher d = dispatcher(Executors.newSingleThreadExecutor());
    CountDownLatch busy = new CountDownLatch(1);
    executor.execute(
        () -> {
          busy.countDown();
          try {
            releaseExecutor.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    assertThat(busy.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

    d.dispatch(List.of(request("c1", "quick")), responses::add);

    // Answered while the executor is still busy: counted from the start, it would wait for ever.
    JsonNode answer = awaitResponses().get(0).path("response");
    assertThat(answer.path("status").asText()).isEqualTo(ToolStatus.TIMEOUT);
    assertThat(answer.path("error").asText()).startsWith("The tool did not finish within 200 ms");
    releaseExecutor.countDown();
    // The executor runs the call's task once it is free: it finds the call answered.
    CountDownLatch drained = new CountDownLatch(1);
    executor.execute(drained::countDown);
    assertThat(drained.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(tools.quickRuns).hasValue(0);
    assertThat(responses).isEmpty();
  }

  @Test
  void aCallKeptForTheCallerThatTimesOutMeanwhileIsAnsweredOnceAndNeverRuns() throws Exception {
    ToolDispatcher d = dispatcher(null);
    d.dispatch(List.of(request("c1", "quick")), responses::add);
    JsonNode answer = awaitResponses().get(0).path("response");
    assertThat(answer.path("status").asText()).isEqualTo(ToolStatus.TIMEOUT);

    caller.taken.get(0).run();

    assertThat(tools.quickRuns).hasValue(0);
    assertThat(responses).isEmpty();
  }
}
