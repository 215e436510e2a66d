package dev.geminilive.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.AudioChunk;
import dev.geminilive.ContextRestoration;
import dev.geminilive.LiveException;
import dev.geminilive.LiveListener;
import dev.geminilive.ReconnectPolicy;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionState;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.testkit.FakeConnection;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.FakeSession;
import dev.geminilive.testkit.HistoryEntry;
import dev.geminilive.testkit.UserTurn;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Chaos soak: many concurrent sessions against one fake server under random faults, each sending
 * numbered text turns, tool turns (one tool answers at once, one hangs until the tool timeout) and
 * audio turns, with listeners that are sometimes slow and sometimes throw.
 *
 * <p>The short form (8 sessions, 15 s) runs in every build. The long form:
 *
 * <pre>
 * mvn -o verify -pl integration-tests -am -Dtest=ChaosSoakTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dsoak.minutes=5 [-Dsoak.sessions=16] [-Dsoak.seed=1234]
 * </pre>
 *
 * The whole reliability suite alone: {@code mvn -o verify -pl integration-tests -am
 * -Dgroups=reliability}. The seed is printed (surefire's {@code
 * target/surefire-reports/*ChaosSoakTest-output.txt}) with the figures of the run. It makes the
 * schedule reproducible (which turn each session sends, which fault hits which session when);
 * thread timing is not.
 *
 * <p>Invariants checked at the end, always:
 *
 * <ul>
 *   <li><b>At most once, in order, nothing invented.</b> The user turns of the fake's final
 *       conversation of each session (found by its session id) are a subsequence of the turns sent,
 *       in order, none repeated. (The transcript log joins user turns that had no model turn
 *       between them; such a joined turn counts as those turns.)
 *   <li><b>Tool calls answered exactly where they were made, at most once</b>: in the final
 *       conversation every tool response answers an open call of its tool (calls may overlap: on
 *       gemini-3.8 they are NON_BLOCKING, and a resume that replays two tool turns leaves both open
 *       at once, see {@link ReplayedToolTurnsTest}; the overlaps are counted as {@code
 *       overlappingToolAnswers}); on the wire (the fake's recorder) each call id is answered at
 *       most once, and only on the connection that made the call ({@link WireToolAnswers}); the
 *       listener saw at most one result per call id. A tool problem's report shows the conversation
 *       around it, each connection's resumption handle, tool turns and answers, and the session's
 *       tool, handle and connection events.
 *   <li><b>Nothing accepted is failed</b>: every text send future completed normally.
 *   <li><b>No hang, clear end</b>: no session FAILED under these (retryable) faults; every {@code
 *       close()} returns at once and the session terminates before the soak's clock completed
 *       {@link #QUIET_TICKS} turns, in state CLOSED, with exactly one terminal listener event.
 *   <li><b>Bounded</b>: no thread of these sessions is alive after they closed; heap after GC grew
 *       by less than {@link #HEAP_GROWTH_BOUND_BYTES} plus what the fake keeps per connection it
 *       served ({@link #FAKE_BYTES_PER_CONNECTION}).
 * </ul>
 *
 * <p>And <b>exactly once</b> (strict, the default; {@code -Dsoak.strict=false} only counts these):
 * the final conversation holds the turns sent, each once, in order, and every turn was answered
 * before its session went quiet: no output of the service in that session while the soak's {@link
 * ProgressClock} completed {@link #QUIET_TICKS} turns of its own. Where a resumption handle was
 * refused (expired handles) the session continues on a fresh conversation seeded from its
 * transcript log (at most the last {@code 200} turns), so there the final user turns must be
 * exactly a <em>suffix</em> of the turns sent. The classes of loss the strict form once found, each
 * fixed and now a failure (counted and printed as {@code knownIssues:} in the lenient form):
 *
 * <ol>
 *   <li><b>duplicatedTurns</b>: a rebuild seeded the transcript log, which already held the
 *       unconfirmed turn, and replayed that turn too; a turn answered again after a resume was
 *       logged twice; the transcript of replayed speech was logged once per hearing.
 *   <li><b>unansweredTurns</b>: the fake issued a resumable handle between a tool response and the
 *       reply it started (the service does not: no handle while a generation runs); a drop during
 *       that reply resumed a conversation that owed a reply nobody asked for again.
 *   <li><b>lostTurns</b>: a handle was taken to cover every message sent before it arrived, so a
 *       text sent after the server took the handle but before it arrived (a barge-in, or a text
 *       right after {@code turnComplete} while a {@code goAway} move was due) left the replay
 *       buffer and was lost. A handle now covers only input answered before it (docs/resilience.md,
 *       "What a handle covers").
 *   <li><b>reorderedTurns</b>: an audio turn replayed on a new connection together with the text
 *       sent after it had its transcript logged after that text; speech is now logged where it was
 *       spoken.
 * </ol>
 */
@Tag("reliability")
class ChaosSoakTest {
  // A turn is never answered only when its session heard nothing of the service (its listener's
  // output count stood still) while the soak's clock, a fault-free session on the same fake,
  // completed this many turns: about 9 s on a quiet machine, longer the busier it is. A closed
  // session must end within as many. The longest quiet stretch of a healthy session here is a
  // goAway's deadline (at most 3.1 s) or a stall's detection (about 2 s), both on the library's
  // own timers, which a busy machine does not slow as it slows the clock's turns.
  private static final int QUIET_TICKS = 50;
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration TOOL_TIMEOUT = Duration.ofMillis(300);
  private static final Duration STALL_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration PING_INTERVAL = Duration.ofSeconds(1);
  private static final Duration REPLY_AUDIO = Duration.ofMillis(160);
  private static final Duration MEAN_FAULT_GAP_PER_SESSION = Duration.ofMillis(2_500);
  private static final Duration SHORT_RUN = Duration.ofSeconds(15);
  private static final int SHORT_SESSIONS = 8;
  // Each driver sends at least this many turns, past the run's end if the machine is that slow
  // (the faults stop there), so a loaded machine still gives every session some turns to check.
  private static final int MIN_TURNS_PER_SESSION = 6;
  private static final boolean STRICT =
      Boolean.parseBoolean(System.getProperty("soak.strict", "true"));
  private static final int LONG_SESSIONS = 16;
  private static final long HEAP_GROWTH_BOUND_BYTES = 32L << 20;
  // The fake keeps every connection it served, each with its audio-turn buffer (about 64 KiB after
  // an audio turn), until the server closes: that is the fake's memory, not the library's.
  private static final long FAKE_BYTES_PER_CONNECTION = 80L << 10;
  private static final int AUDIO_CHUNK_BYTES = 1_280; // 40 ms at 16 kHz
  private static final int SILENCE_MS = 520; // the fake ends an audio turn after 500 ms of silence
  private static final int JOURNAL_SIZE = 400;

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  enum Fault {
    DROP,
    RESET,
    TLS_CLOSE,
    CLOSE_1011,
    HALF_OPEN_1011,
    GO_AWAY,
    STALL,
    MALFORMED_FRAME,
    UNKNOWN_FRAME,
    EXPIRED_HANDLES
  }

  private static final List<String> MALFORMED =
      List.of(
          "{\"serverContent\":",
          "not json at all",
          "[1,2,3]",
          "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":"
              + "{\"mimeType\":\"audio/pcm;rate=24000\",\"data\":\"!!notbase64\"}}]}}}");

  private static final List<String> UNKNOWN =
      List.of(
          "{\"someFutureSignal\":{\"x\":1}}",
          "{\"voiceActivity\":{\"type\":\"ACTIVITY_START\",\"audioOffset\":\"1.2s\"}}",
          "{\"voiceActivityDetectionSignal\":{\"vadSignalType\":\"VAD_SIGNAL_TYPE_SOS\"}}");

  @Test
  void sessionsUnderRandomFaultsKeepEveryTurnOnceInOrderAndReleaseEverything() throws Exception {
    String minutesProperty = System.getProperty("soak.minutes", "");
    boolean soak = !minutesProperty.isBlank();
    Duration runFor =
        soak ? Duration.ofMillis((long) (Double.parseDouble(minutesProperty) * 60_000)) : SHORT_RUN;
    int sessions = Integer.getInteger("soak.sessions", soak ? LONG_SESSIONS : SHORT_SESSIONS);
    long seed = Long.getLong("soak.seed", System.nanoTime());
    System.out.printf(
        Locale.ROOT,
        "chaos soak: seed=%d sessions=%d duration=%ds (rerun with -Dsoak.seed=%d)%n",
        seed,
        sessions,
        runFor.toSeconds(),
        seed);
    Random master = new Random(seed);

    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.speed(1.0)
                .onText(t -> t.startsWith("lookup "))
                .reply((turn, r) -> r.callTool("lookup", Map.of("label", turn.text())))
                .onText(t -> t.startsWith("hang "))
                .reply((turn, r) -> r.callTool("hang", Map.of("label", turn.text())))
                .onAnyToolResponse()
                .reply((turn, r) -> r.say("re: " + lastUserText(turn), REPLY_AUDIO))
                .onAudio()
                .reply(
                    (turn, r) -> {
                      String heard = "audio " + turn.audioDuration().toMillis() + " ms";
                      r.inputTranscript(heard).say("re: " + heard, REPLY_AUDIO);
                    })
                .onAnyText()
                .reply((turn, r) -> r.say("re: " + turn.text(), REPLY_AUDIO)));

    long heapBefore = usedHeapAfterGc();
    List<Driver> drivers = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      drivers.add(new Driver(i, new Random(master.nextLong()), server));
    }
    for (Driver d : drivers) {
      d.connect();
    }
    ProgressClock clock = ProgressClock.start(server);

    // The fault schedule is drawn up front from the seed.
    long runMillis = runFor.toMillis();
    long meanGap = Math.max(1, MEAN_FAULT_GAP_PER_SESSION.toMillis() / sessions);
    ScheduledExecutorService injector =
        Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "chaos-injector"));
    Map<Fault, AtomicInteger> injected = new EnumMap<>(Fault.class);
    Map<Fault, AtomicInteger> skipped = new EnumMap<>(Fault.class);
    for (Fault f : Fault.values()) {
      injected.put(f, new AtomicInteger());
      skipped.put(f, new AtomicInteger());
    }
    long at = 500;
    while (at < runMillis) {
      Driver target = drivers.get(master.nextInt(sessions));
      Fault fault = Fault.values()[master.nextInt(Fault.values().length)];
      long detail = master.nextLong();
      injector.schedule(
          () -> {
            if (inject(server, target, fault, new Random(detail))) {
              injected.get(fault).incrementAndGet();
            } else {
              skipped.get(fault).incrementAndGet();
            }
          },
          at,
          TimeUnit.MILLISECONDS);
      at += 1 + (long) (master.nextDouble() * 2 * meanGap);
    }

    long deadline = System.nanoTime() + runFor.toNanos();
    ExecutorService senders = Executors.newFixedThreadPool(sessions);
    List<Future<?>> running = new ArrayList<>();
    for (Driver d : drivers) {
      running.add(senders.submit(() -> d.run(deadline, clock)));
    }
    for (Future<?> f : running) {
      f.get(); // each wait of a driver ends on its own (ProgressClock.await)
    }
    injector.shutdownNow();
    injector.awaitTermination(5, TimeUnit.SECONDS);
    senders.shutdown();

    // Close: each close returns at once, each session ends while the clock still ticks.
    long slowestCloseNanos = 0;
    for (Driver d : drivers) {
      long start = System.nanoTime();
      d.session.close();
      slowestCloseNanos = Math.max(slowestCloseNanos, System.nanoTime() - start);
    }
    for (Driver d : drivers) {
      CompletableFuture<Void> end = d.session.termination();
      Object monitor = new Object();
      end.whenComplete(
          (v, e) -> {
            synchronized (monitor) {
              monitor.notifyAll();
            }
          });
      ProgressClock.Wait ended = clock.await(monitor, end::isDone, () -> 0, QUIET_TICKS);
      if (ended.outcome() != ProgressClock.Outcome.DONE) {
        d.stuck = "not terminated after close (" + describe(ended.outcome()) + ")";
      }
    }
    clock.close();

    // Invariants per session.
    List<String> problems = new ArrayList<>();
    int turns = 0;
    long reconnects = 0;
    long listenerErrors = 0;
    long malformed = 0;
    long audioDropped = 0;
    Map<ContextRestoration, Integer> restorations = new EnumMap<>(ContextRestoration.class);
    int failed = 0;
    int duplicatedTurns = 0;
    int lostTurns = 0;
    int unansweredTurns = 0;
    int reorderedTurns = 0;
    int overlappingToolAnswers = 0;
    WireToolAnswers wire = WireToolAnswers.of(server.recorder().all());
    for (Driver d : drivers) {
      turns += d.sent.size();
      var stats = d.session.stats();
      reconnects += stats.reconnects();
      listenerErrors += stats.listenerErrors();
      malformed += stats.malformedFrames();
      audioDropped += stats.audioChunksDropped();
      d.listener.restorations.forEach((k, v) -> restorations.merge(k, v.get(), Integer::sum));
      problems.addAll(d.check(server, wire));
      duplicatedTurns += d.duplicated;
      lostTurns += d.lost;
      unansweredTurns += d.unanswered.size();
      reorderedTurns += d.reordered;
      overlappingToolAnswers += d.overlappingToolAnswers;
      if (d.session.state() == SessionState.FAILED) {
        failed++;
      }
    }

    // Threads: none of these sessions' threads may outlive them.
    List<String> leftover =
        awaitThreadsGone(
            drivers.stream().filter(d -> d.session.termination().isDone()).toList(),
            ProgressClock.STANDSTILL);
    long allSessionThreads =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("live-session-"))
            .count();

    // Heap: the fake's recorder keeps every client frame (audio included); that is the fake's
    // memory, not the library's.
    server.recorder().clear();
    drivers.forEach(d -> d.listener.forgetJournal());
    long heapAfter = usedHeapAfterGc();
    long growth = heapAfter - heapBefore;

    System.out.printf(
        Locale.ROOT,
        "chaos soak result: seed=%d sessions=%d duration=%ds turns=%d faults injected=%d %s"
            + " (skipped, no open connection: %s) reconnects=%d restorations=%s failed=%d"
            + " listenerErrors(thrown on purpose)=%d malformedFrames=%d audioChunksDropped=%d"
            + " onError=%d slowestClose=%.2fms leftoverThreads=%d allLiveSessionThreads=%d"
            + " heapBefore=%dMB heapAfter=%dMB problems=%d"
            + " knownIssues: duplicatedTurns=%d lostTurns=%d unansweredTurns=%d"
            + " reorderedTurns=%d fakeConnections=%d overlappingToolAnswers=%d"
            + " clockTicks=%d longestQuietTicks=%d (of %d)%n",
        seed,
        sessions,
        runFor.toSeconds(),
        turns,
        injected.values().stream().mapToInt(AtomicInteger::get).sum(),
        injected,
        skipped,
        reconnects,
        restorations,
        failed,
        listenerErrors,
        malformed,
        audioDropped,
        drivers.stream().mapToLong(d -> d.listener.errors.get()).sum(),
        slowestCloseNanos / 1e6,
        leftover.size(),
        allSessionThreads,
        heapBefore >> 20,
        heapAfter >> 20,
        problems.size(),
        duplicatedTurns,
        lostTurns,
        unansweredTurns,
        reorderedTurns,
        server.connections().size(),
        overlappingToolAnswers,
        clock.ticks(),
        drivers.stream().mapToLong(d -> d.longestQuietTicks).max().orElse(0),
        QUIET_TICKS);
    problems.forEach(p -> System.out.println("  problem: " + p));
    drivers.forEach(d -> d.notes.forEach(n -> System.out.println("  known issue: " + n)));

    assertThat(problems).as("invariant violations (seed %d)", seed).isEmpty();
    // The slowest close is a figure in the summary, not a bound: that close() does not wait on the
    // service is shown deterministically by time.CloseReturnsAtOnceTest.
    assertThat(leftover).as("threads of closed sessions (seed %d)", seed).isEmpty();
    assertThat(growth)
        .as("heap growth after GC (seed %d)", seed)
        .isLessThan(
            HEAP_GROWTH_BOUND_BYTES + FAKE_BYTES_PER_CONNECTION * server.connections().size());
    assertThat(turns).isGreaterThanOrEqualTo(sessions * MIN_TURNS_PER_SESSION);
  }

  // ------------------------------------------------------------------ faults

  private static boolean inject(FakeLiveServer server, Driver d, Fault fault, Random random) {
    FakeConnection c = d.currentConnection(server);
    if (c == null) {
      return false;
    }
    d.lastFaults.add(fault + " at turn " + d.sentCount());
    if (d.lastFaults.size() > 5) {
      d.lastFaults.remove(0);
    }
    switch (fault) {
      case DROP -> c.drop();
      case RESET -> c.reset();
      case TLS_CLOSE -> c.closeTls();
      case CLOSE_1011 -> c.close(1011, "Internal error encountered.");
      case HALF_OPEN_1011 -> c.closeHalfOpen(1011, "The service is currently unavailable.");
      case GO_AWAY -> c.goAway(Duration.ofMillis(100 + random.nextInt(3_000)));
      case STALL -> {
        // The client detects the stall itself (stall timeout); its Reconnecting event then drops
        // the server's end, as the service's own end of a dead connection would time out.
        d.stalled = c;
        c.stall();
      }
      case MALFORMED_FRAME -> c.sendRaw(MALFORMED.get(random.nextInt(MALFORMED.size())));
      case UNKNOWN_FRAME -> c.sendRaw(UNKNOWN.get(random.nextInt(UNKNOWN.size())));
      case EXPIRED_HANDLES -> {
        server.faults().expireHandles();
        c.drop();
      }
    }
    return true;
  }

  // ------------------------------------------------------------------ one session

  /** One session and the thread that talks in it. */
  private static final class Driver {
    final int number;
    final Random random;
    final ChaosListener listener;
    final ChaosTools tools = new ChaosTools();
    final FakeLiveServer server;
    final List<String> sent = new ArrayList<>();
    final List<CompletableFuture<Void>> textSends = new ArrayList<>();
    ResilientLiveSession session;
    String name = "";
    volatile @Nullable FakeConnection stalled;
    volatile @Nullable String stuck;
    final List<String> unanswered = new ArrayList<>();
    // The last faults injected into this session (the injector's thread), for the report.
    final List<String> lastFaults = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile int sentTurns;
    final List<String> notes = new ArrayList<>();
    int duplicated;
    int reordered;
    // Tool answers in the final conversation that do not follow their own call directly (calls
    // that overlapped, as a replay of two tool turns makes them): a figure, not a problem.
    int overlappingToolAnswers;
    int lost;
    // The most ticks of the soak's clock that a wait for a reply saw without progress.
    long longestQuietTicks;

    Driver(int number, Random random, FakeLiveServer server) {
      this.number = number;
      this.random = random;
      this.server = server;
      this.listener = new ChaosListener(this, random.nextBoolean(), random.nextBoolean());
    }

    int sentCount() {
      return sentTurns;
    }

    void connect() {
      session =
          server
              .sessionBuilder()
              .tools(tools)
              // The first connect is not retried; on a loaded machine 5 s can pass before the
              // setup is answered. No fault here makes a connect hang, so a longer limit only
              // keeps the soak from failing on the machine's speed.
              .connectTimeout(CONNECT_TIMEOUT)
              .toolTimeout(TOOL_TIMEOUT)
              .stallTimeout(STALL_TIMEOUT)
              // The stall check runs while the service owes output; after an audio turn without
              // an explicit end the client cannot know it does (the server's VAD decides), so a
              // connection that stalls there is found by the missing pong.
              .pingInterval(PING_INTERVAL)
              .reconnectPolicy(
                  // A fault every few seconds is flapping by the default policy (8 attempts,
                  // counted until a connection lasted 30 s): the session would rightly give up.
                  ReconnectPolicy.exponential(Duration.ofMillis(20), 2.0, Duration.ofMillis(200))
                      .withJitter(0.1)
                      .withStablePeriod(Duration.ofSeconds(1))
                      .withMaxReconnects(1_000_000))
              .listener(listener)
              .connect();
      String s = session.toString();
      name = s.substring(0, s.indexOf('['));
    }

    void run(long deadline, ProgressClock clock) {
      int k = 0;
      while (System.nanoTime() < deadline || k < MIN_TURNS_PER_SESSION) {
        k++;
        double p = random.nextDouble();
        String label;
        if (p < 0.55) {
          label = "s" + number + " m" + k;
        } else if (p < 0.70) {
          label = "lookup s" + number + " m" + k;
        } else if (p < 0.75) {
          label = "hang s" + number + " m" + k;
        } else {
          label = null;
        }
        String expected;
        if (label != null) {
          expected = "re: " + label;
          int before = listener.completions(expected);
          sent.add(label);
          textSends.add(session.sendText(label));
          sentTurns = sent.size();
          awaitReply(clock, expected, before, label);
        } else {
          int loudMs = 100 + 20 * (k % 40);
          String heard = "audio " + (loudMs + 500) + " ms";
          expected = "re: " + heard;
          int before = listener.completions(expected);
          sent.add(heard);
          sendAudioTurn(loudMs);
          sentTurns = sent.size();
          awaitReply(clock, expected, before, heard);
        }
      }
    }

    /** Waits for the reply to the turn just sent; notes it unanswered if the session went quiet. */
    private void awaitReply(ProgressClock clock, String reply, int before, String turn) {
      ProgressClock.Outcome got;
      try {
        ProgressClock.Wait wait =
            clock.await(
                listener,
                () -> listener.completions(reply) > before,
                listener.output::get,
                QUIET_TICKS);
        got = wait.outcome();
        longestQuietTicks = Math.max(longestQuietTicks, wait.longestQuietTicks());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        got = ProgressClock.Outcome.STANDSTILL;
      }
      if (got != ProgressClock.Outcome.DONE) {
        unanswered.add(
            turn
                + " (turn "
                + sent.size()
                + "; "
                + describe(got)
                + "; state "
                + session.state()
                + "; faults "
                + lastFaults
                + ")");
      }
    }

    private String dump() {
      StringBuilder sb = new StringBuilder();
      Thread.getAllStackTraces()
          .forEach(
              (t, stack) -> {
                if (t.getName().contains(name + "-")) {
                  sb.append("\n    thread ").append(t.getName()).append(' ').append(t.getState());
                  for (int i = 0; i < Math.min(12, stack.length); i++) {
                    sb.append("\n      at ").append(stack[i]);
                  }
                }
              });
      return sb.toString();
    }

    /** Loud square wave for {@code loudMs}, then silence: one audio turn on the fake's VAD. */
    private void sendAudioTurn(int loudMs) {
      byte[] pcm = new byte[(loudMs + SILENCE_MS) * 32];
      int loudSamples = loudMs * 16;
      for (int i = 0; i < loudSamples; i++) {
        short v = (short) ((i / 8) % 2 == 0 ? 8_000 : -8_000);
        pcm[2 * i] = (byte) v;
        pcm[2 * i + 1] = (byte) (v >> 8);
      }
      for (int off = 0; off < pcm.length; off += AUDIO_CHUNK_BYTES) {
        int n = Math.min(AUDIO_CHUNK_BYTES, pcm.length - off);
        byte[] chunk = new byte[n];
        System.arraycopy(pcm, off, chunk, 0, n);
        session.sendAudio(chunk);
      }
    }

    @Nullable FakeConnection currentConnection(FakeLiveServer server) {
      FakeSession fs = fakeSession(server);
      if (fs == null) {
        return null;
      }
      List<FakeConnection> cs = fs.connections();
      FakeConnection c = cs.isEmpty() ? null : cs.get(cs.size() - 1);
      return c != null && c.isOpen() ? c : null;
    }

    /** The index of the newest fake connection of this session, or -1. */
    int fakeConnectionIndex() {
      FakeSession fs = fakeSession(server);
      if (fs == null) {
        return -1;
      }
      List<FakeConnection> cs = fs.connections();
      return cs.isEmpty() ? -1 : cs.get(cs.size() - 1).index();
    }

    @Nullable FakeSession fakeSession(FakeLiveServer server) {
      String id = session.sessionId().orElse(null);
      if (id == null) {
        return null;
      }
      for (FakeSession fs : server.sessions()) {
        if (fs.id().equals(id)) {
          return fs;
        }
      }
      return null;
    }

    void dropStalled() {
      FakeConnection s = stalled;
      if (s != null) {
        stalled = null;
        s.drop();
      }
    }

    List<String> check(FakeLiveServer server, WireToolAnswers wire) {
      List<String> problems = new ArrayList<>();
      String who = name + " (driver " + number + ")";
      if (stuck != null) {
        FakeSession f = fakeSession(server);
        problems.add(
            who
                + ": "
                + stuck
                + "; stats "
                + session.stats()
                + "; state "
                + session.state()
                + "; fake "
                + (f == null ? "none" : f.connections() + " history tail " + tail(f.history()))
                + "\n      "
                + listener.recent());
      }
      SessionState state = session.state();
      if (state != SessionState.CLOSED && state != SessionState.FAILED) {
        problems.add(who + ": state " + state + " after close");
      }
      if (state == SessionState.FAILED && session.failure().isEmpty()) {
        problems.add(who + ": FAILED without a failure");
      }
      if (state == SessionState.FAILED) {
        problems.add(who + ": failed under retryable faults: " + session.failure().orElse(null));
      }
      if (listener.terminal.get() != 1) {
        problems.add(who + ": " + listener.terminal.get() + " terminal events");
      }
      for (CompletableFuture<Void> f : textSends) {
        if (!f.isDone() || f.isCompletedExceptionally()) {
          problems.add(who + ": a text send future did not complete normally: " + f);
          break;
        }
      }
      listener.toolResults.forEach(
          (id, n) -> {
            if (n.get() > 1) {
              problems.add(who + ": tool call " + id + " answered " + n.get() + " times");
            }
          });
      FakeSession fs = fakeSession(server);
      if (fs == null) {
        problems.add(who + ": no fake conversation for session id " + session.sessionId());
        return problems;
      }
      List<HistoryEntry> history = fs.history();
      List<String> users =
          history.stream().filter(h -> h.role().equals("user")).map(HistoryEntry::text).toList();
      // Known issues (see the class Javadoc): a rebuild can repeat the in-flight turn (seed and
      // replay), and a turn can go missing. What must always hold: order, and nothing invented.
      List<String> collapsed = new ArrayList<>();
      for (String u : users) {
        if (collapsed.isEmpty() || !collapsed.get(collapsed.size() - 1).equals(u)) {
          collapsed.add(u);
        } else {
          duplicated++;
          notes.add(who + ": duplicated '" + u + "'\n      " + listener.recent());
        }
      }
      // Known issue 4: an audio turn replayed together with the text sent after it is logged (its
      // transcript arrives later) after that text, so a later rebuild seeds the two swapped. When
      // the turns do not match in order, such swaps are tried, one at a time, then all together.
      List<String> fixedOrder = null;
      if (matchFails(collapsed, sent)) {
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i + 1 < collapsed.size(); i++) {
          String t = collapsed.get(i);
          String audio = collapsed.get(i + 1);
          int at = t.startsWith("audio ") ? -1 : sent.indexOf(t);
          if (audio.startsWith("audio ")
              && at > 0
              && sent.get(at - 1).startsWith("audio ")
              && millis(audio) <= millis(sent.get(at - 1))) {
            candidates.add(i);
          }
        }
        List<String> fixed = null;
        for (int i : candidates) {
          List<String> trial = swapped(collapsed, List.of(i));
          if (!matchFails(trial, sent)) {
            fixed = trial;
            reordered = 1;
            break;
          }
        }
        if (fixed == null && !candidates.isEmpty()) {
          List<String> trial = swapped(collapsed, candidates);
          if (!matchFails(trial, sent)) {
            fixed = trial;
            reordered = candidates.size();
          }
        }
        fixedOrder = fixed;
        if (fixed == null) {
          problems.add(who + ": conversation out of order or invented: " + diff(users, sent));
        } else {
          notes.add(who + ": " + reordered + " audio turn(s) swapped with the text after them");
        }
      }
      boolean rebuilt =
          listener.restorations.get(ContextRestoration.REBUILT_FROM_HISTORY).get() > 0
              || listener.restorations.get(ContextRestoration.LOST).get() > 0;
      // Where the final conversation starts in what was sent: audio labels repeat, so count back
      // from its first text turn (labels of text turns are unique).
      List<String> kept = fixedOrder != null ? fixedOrder : collapsed;
      int firstKept = 0;
      if (rebuilt) {
        for (int i = 0; i < kept.size(); i++) {
          int at = kept.get(i).startsWith("audio ") ? -1 : sent.indexOf(kept.get(i));
          if (at >= 0) {
            firstKept = Math.max(0, at - i);
            break;
          }
        }
      }
      lost = Math.max(0, sent.size() - firstKept - covered(kept, sent, firstKept));
      if (STRICT && reordered > 0) {
        problems.add(who + ": " + reordered + " audio turns swapped with the text after them");
      }
      if (duplicated > 0) {
        problems.add(who + ": " + duplicated + " user turns repeated: " + diff(users, sent));
      }
      if (STRICT) {
        if (!rebuilt && !users.equals(sent)) {
          problems.add(who + ": conversation " + diff(users, sent));
        } else if (rebuilt
            && (users.size() > sent.size()
                || !users.equals(sent.subList(sent.size() - users.size(), sent.size())))) {
          problems.add(
              who
                  + ": rebuilt conversation is not a suffix of what was sent: "
                  + diff(users, sent));
        }
        if (!unanswered.isEmpty()) {
          problems.add(who + ": turns never answered: " + unanswered);
        }
      }
      // Tool calls: every response in the final conversation answers an open call of its tool,
      // and on the wire every call is answered at most once, on the connection that made it.
      overlappingToolAnswers = ToolHistoryCheck.overlapping(history);
      List<String> toolProblems = new ArrayList<>();
      int around = -1;
      for (ToolHistoryCheck.Stray stray : ToolHistoryCheck.responsesWithoutOpenCall(history)) {
        toolProblems.add(who + ": tool response without an open call: " + stray);
        around = around < 0 ? stray.index() : around;
      }
      List<String> wireProblems = wire.problems(who, fs.connections(), listener.callMadeOn);
      toolProblems.addAll(wireProblems);
      if (!toolProblems.isEmpty()) {
        // Where to look in the journal: the call a wire problem names, else the call made
        // nearest before the stray answer (its label).
        java.util.regex.Matcher named =
            java.util.regex.Pattern.compile("tool call (\\S+) ")
                .matcher(wireProblems.isEmpty() ? "" : wireProblems.get(0));
        String needle = named.find() ? named.group(1) + " " : null;
        for (int i = around; needle == null && i >= 0; i--) {
          String t = history.get(i).text();
          if (history.get(i).role().equals("tool") && !t.contains(" -> ") && t.contains("{")) {
            needle = t.substring(t.indexOf('{'));
          }
        }
        int from = Math.max(0, (around < 0 ? history.size() : around) - 12);
        int to = Math.min(history.size(), (around < 0 ? history.size() : around) + 4);
        toolProblems.set(
            toolProblems.size() - 1,
            toolProblems.get(toolProblems.size() - 1)
                + "\n      the fake's conversation (entries "
                + from
                + " to "
                + (to - 1)
                + " of "
                + history.size()
                + "): "
                + history.subList(from, to)
                + "\n      on the wire, by fake connection: "
                + wire.describe(fs.connections())
                + "\n      the session's tool, handle and connection events:\n        "
                + listener.journalAround(needle));
        problems.addAll(toolProblems);
      }
      return problems;
    }
  }

  /** Whether {@code got} is not an in-order subsequence of {@code sent} (see joinedMatch). */
  private static boolean matchFails(List<String> got, List<String> sent) {
    int j = 0;
    for (String u : got) {
      int end = -1;
      while (j < sent.size() && (end = joinedMatch(sent, j, u)) < 0) {
        j++;
      }
      if (j == sent.size()) {
        return true;
      }
      j = end;
    }
    return false;
  }

  /**
   * How many sent turns {@code got} accounts for, matching from {@code from} (joined turns count
   * each).
   */
  private static int covered(List<String> got, List<String> sent, int from) {
    int j = from;
    int covered = 0;
    for (String u : got) {
      int start = j;
      int end = -1;
      while (j < sent.size() && (end = joinedMatch(sent, j, u)) < 0) {
        j++;
      }
      if (j == sent.size()) {
        j = start;
        continue;
      }
      covered += end - j;
      j = end;
    }
    return covered;
  }

  private static List<String> swapped(List<String> turns, List<Integer> at) {
    List<String> copy = new ArrayList<>(turns);
    for (int i : at) {
      String x = copy.get(i);
      copy.set(i, copy.get(i + 1));
      copy.set(i + 1, x);
    }
    return copy;
  }

  /** The index after the sent turns from {@code from} whose space-join is {@code u}, or -1. */
  private static int joinedMatch(List<String> sent, int from, String u) {
    StringBuilder sb = new StringBuilder();
    if (u.startsWith("audio ") && sent.get(from).startsWith("audio ")) {
      return millis(u) <= millis(sent.get(from)) ? from + 1 : -1;
    }
    for (int i = from; i < sent.size() && sb.length() < u.length(); i++) {
      sb.append(sb.length() > 0 ? " " : "").append(sent.get(i));
      if (sb.toString().equals(u)) {
        return i + 1;
      }
    }
    return -1;
  }

  private static long millis(String audioLabel) {
    return Long.parseLong(audioLabel.replaceAll("[^0-9]", ""));
  }

  private static List<HistoryEntry> tail(List<HistoryEntry> h) {
    return h.subList(Math.max(0, h.size() - 6), h.size());
  }

  private static String diff(List<String> got, List<String> sent) {
    int i = 0;
    int offset = Math.max(0, sent.size() - got.size());
    while (i < got.size() && i + offset < sent.size() && got.get(i).equals(sent.get(i + offset))) {
      i++;
    }
    return "got "
        + got.size()
        + " user turns for "
        + sent.size()
        + " sent; first difference at "
        + i
        + ": got "
        + got.subList(Math.max(0, i - 2), Math.min(got.size(), i + 3))
        + ", sent "
        + sent.subList(Math.max(0, i + offset - 2), Math.min(sent.size(), i + offset + 3));
  }

  // ------------------------------------------------------------------ listener

  /** Bookkeeping first, then (sometimes) a slow or throwing listener, as applications have. */
  private static final class ChaosListener implements LiveListener {
    private final Driver driver;
    private final boolean throwing;
    private final boolean slow;
    private final Map<String, Integer> completions = new ConcurrentHashMap<>();
    private @Nullable String transcript; // dispatch thread, read under this
    final Map<ContextRestoration, AtomicInteger> restorations =
        new EnumMap<>(ContextRestoration.class);
    final Map<String, AtomicInteger> toolResults = new ConcurrentHashMap<>();
    final AtomicLong errors = new AtomicLong();
    final AtomicInteger terminal = new AtomicInteger();
    // The service's output in this session (audio, transcripts, turn ends, tool calls) and the tool
    // results: signs that a turn is under way. Reconnects are not: a session that reconnects over
    // and over and never hears a reply (its watchdog taking an idle model for a stall) is stuck.
    final AtomicLong output = new AtomicLong();
    private final java.util.ArrayDeque<String> recent = new java.util.ArrayDeque<>();
    // Tool, handle and connection events (the newest JOURNAL_SIZE), and the fake connection each
    // tool call came on, by call id: what a tool problem's report shows.
    private final java.util.ArrayDeque<String> journal = new java.util.ArrayDeque<>();
    final Map<String, Integer> callMadeOn = new ConcurrentHashMap<>();
    private final long t0 = System.nanoTime();

    synchronized void note(String event) {
      recent.addLast((System.nanoTime() - t0) / 1_000_000 + "ms " + event);
      if (recent.size() > 40) {
        recent.removeFirst();
      }
    }

    synchronized String recent() {
      return String.join("\n      ", recent);
    }

    /** Notes a tool, handle or connection event for the report of a tool problem. */
    synchronized void journal(String event) {
      journal.addLast((System.nanoTime() - t0) / 1_000_000 + "ms " + event);
      if (journal.size() > JOURNAL_SIZE) {
        journal.removeFirst();
      }
    }

    /**
     * The journal from 40 entries before the first that holds {@code needle} to 60 after it; the
     * last 100 entries when none does.
     */
    synchronized String journalAround(@Nullable String needle) {
      List<String> all = new ArrayList<>(journal);
      int at = -1;
      for (int i = 0; needle != null && i < all.size() && at < 0; i++) {
        at = all.get(i).contains(needle) ? i : -1;
      }
      int from = at < 0 ? Math.max(0, all.size() - 100) : Math.max(0, at - 40);
      int to = at < 0 ? all.size() : Math.min(all.size(), at + 60);
      return "(entries "
          + from
          + " to "
          + (to - 1)
          + " of the last "
          + all.size()
          + ")\n        "
          + String.join("\n        ", all.subList(from, to));
    }

    synchronized void forgetJournal() {
      journal.clear();
      callMadeOn.clear();
    }

    ChaosListener(Driver driver, boolean throwing, boolean slow) {
      this.driver = driver;
      this.throwing = throwing;
      this.slow = slow;
      for (ContextRestoration r : ContextRestoration.values()) {
        restorations.put(r, new AtomicInteger());
      }
    }

    int completions(String reply) {
      return completions.getOrDefault(reply, 0);
    }

    private void misbehave(String event) {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      if (slow && r.nextInt(10) == 0) {
        // Simulated application work on the dispatch thread.
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5 + r.nextInt(25)));
      }
      if (throwing && r.nextInt(20) == 0) {
        throw new IllegalStateException("chaos: the application's listener failed on " + event);
      }
    }

    @Override
    public void onAudio(ResilientLiveSession session, AudioChunk chunk) {
      output.incrementAndGet();
      misbehave("audio");
    }

    @Override
    public void onOutputTranscript(ResilientLiveSession session, String text) {
      output.incrementAndGet();
      note("transcript " + text);
      synchronized (this) {
        transcript = text;
      }
      misbehave("transcript");
    }

    @Override
    public void onInterrupted(ResilientLiveSession session) {
      output.incrementAndGet();
      note("interrupted");
      synchronized (this) {
        transcript = null;
      }
      misbehave("interrupted");
    }

    @Override
    public void onTurnComplete(ResilientLiveSession session, @Nullable String reason) {
      output.incrementAndGet();
      note("turnComplete");
      synchronized (this) {
        if (transcript != null) {
          completions.merge(transcript, 1, Integer::sum);
          transcript = null;
          notifyAll();
        }
      }
      misbehave("turnComplete");
    }

    @Override
    public void onToolCall(ResilientLiveSession session, ToolCallEvent call) {
      output.incrementAndGet();
      note("toolCall " + call.id() + " " + call.name());
      // The fake sends a call on the connection it serves the session with; the session is still
      // on that connection while it delivers the call (it reconnects later, on this queue).
      int on = driver.fakeConnectionIndex();
      callMadeOn.put(call.id(), on);
      journal("toolCall " + call.id() + " " + call.name() + " " + call.args() + " on #" + on);
    }

    @Override
    public void onResumptionHandle(ResilientLiveSession session, String handle) {
      journal("handle " + handle.substring(0, Math.min(8, handle.length())));
    }

    @Override
    public void onGoAway(ResilientLiveSession session, Duration timeLeft) {
      note("goAway " + timeLeft);
      journal("goAway " + timeLeft + " on #" + driver.fakeConnectionIndex());
    }

    @Override
    public void onToolResult(ResilientLiveSession session, ToolCallEvent call, JsonNode result) {
      output.incrementAndGet();
      note("toolResult " + call.name() + " " + result);
      journal("toolResult " + call.id() + " " + result.path("status").asText("ok"));
      toolResults.computeIfAbsent(call.id(), id -> new AtomicInteger()).incrementAndGet();
      misbehave("toolResult");
    }

    @Override
    public void onReconnecting(ResilientLiveSession session, Reconnecting event) {
      note("reconnecting " + event);
      journal("reconnecting (" + event.cause() + ")");
      driver.dropStalled();
      misbehave("reconnecting");
    }

    @Override
    public void onReconnected(ResilientLiveSession session, ContextRestoration restoration) {
      note("reconnected " + restoration);
      // What the fake's conversation holds now: the resumed state, and whatever of the replay the
      // fake has taken in since the setup.
      FakeSession fs = driver.fakeSession(driver.server);
      journal(
          "reconnected "
              + restoration
              + (fs == null
                  ? ""
                  : " on #"
                      + driver.fakeConnectionIndex()
                      + " (fake "
                      + fs.id()
                      + ": "
                      + fs.history().size()
                      + " history entries, open calls "
                      + fs.pendingToolCallIds()
                      + ")"));
      restorations.get(restoration).incrementAndGet();
      misbehave("reconnected");
    }

    @Override
    public void onError(ResilientLiveSession session, LiveException error) {
      note("error " + error.getMessage());
      errors.incrementAndGet();
    }

    @Override
    public void onClosed(ResilientLiveSession session) {
      terminal.incrementAndGet();
    }

    @Override
    public void onFailure(ResilientLiveSession session, LiveException failure) {
      terminal.incrementAndGet();
    }
  }

  // ------------------------------------------------------------------ helpers

  static String lastUserText(UserTurn turn) {
    List<HistoryEntry> h = turn.history();
    for (int i = h.size() - 1; i >= 0; i--) {
      if (h.get(i).role().equals("user")) {
        return h.get(i).text();
      }
    }
    return "";
  }

  /** What a wait that gave up saw, for the report. */
  private static String describe(ProgressClock.Outcome outcome) {
    return outcome == ProgressClock.Outcome.QUIET
        ? "its session quiet while the soak's clock completed " + QUIET_TICKS + " turns"
        : "nothing moved, the soak's clock included, for " + ProgressClock.STANDSTILL;
  }

  static long usedHeapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  /**
   * Waits for the drivers' sessions to terminate; returns the live threads still named after one of
   * them.
   */
  private static List<String> awaitThreadsGone(List<Driver> drivers, Duration timeout) {
    List<String> sessionNames = drivers.stream().map(d -> d.name).toList();
    return dev.geminilive.it.lifecycle.Waits.threadsGone(
        drivers.stream().map(d -> d.session).toList(),
        t -> sessionNames.stream().anyMatch(n -> t.contains(n + "-") || t.endsWith(n)),
        timeout);
  }
}
