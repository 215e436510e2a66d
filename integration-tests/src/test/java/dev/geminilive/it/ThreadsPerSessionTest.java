package dev.geminilive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionState;
import dev.geminilive.Transport;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A session owns no thread beyond its socket's reader: its work runs as a serial queue on the
 * scheduler's shared workers. Counted at a quiet point: live threads after the sessions connected,
 * less those before, per session, and each session's own threads by name (ScaleBench counts the
 * same way, telling the threads apart by identity), for idle sessions on OkHttp (a reader thread
 * per socket) and on the JDK's non-blocking WebSocket (no thread per socket).
 */
class ThreadsPerSessionTest {
  private static final int SESSIONS = 40;
  private static final double MAX_THREADS_PER_IDLE_SESSION = 1.1;

  /**
   * On the JDK transport every socket shares the client's selector thread and the system
   * scheduler's workers, which the JDK client runs on (one per core, at least two, while no task
   * stalls them): those are all the threads the sessions may add, however many they are.
   */
  private static final int MAX_SHARED_JDK_THREADS =
      1 + Math.max(2, Runtime.getRuntime().availableProcessors());

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  @Test
  void anIdleSessionHoldsItsSocketReaderAndNoOtherThreadOfItsOwn() throws Exception {
    FakeLiveServer server = live.server();
    // Warm up: the fake's event loops, OkHttp's task runner and the scheduler's threads exist.
    try (ResilientLiveSession warm = Fakes.builder(server).connect()) {
      warm.sendText("hello");
    }
    int before = ManagementFactory.getThreadMXBean().getThreadCount();
    List<ResilientLiveSession> sessions = new ArrayList<>();
    try {
      for (int i = 0; i < SESSIONS; i++) {
        sessions.add(Fakes.builder(server).connect());
      }
      int after = ManagementFactory.getThreadMXBean().getThreadCount();
      double perSession = (after - before) / (double) SESSIONS;
      System.out.printf(
          Locale.ROOT,
          "threads per idle session: %.2f (%d sessions, %d threads before, %d after)%n",
          perSession,
          SESSIONS,
          before,
          after);
      assertThat(perSession).isLessThanOrEqualTo(MAX_THREADS_PER_IDLE_SESSION);
      // Each session's own threads, by name: its socket's reader, and nothing else (a shared
      // worker running one of its tasks is named <session>-events for that time only).
      for (ResilientLiveSession s : sessions) {
        assertThat(threadsOf(s.name())).containsExactly(s.name() + "-socket-1");
      }
    } finally {
      sessions.forEach(ResilientLiveSession::close);
    }
  }

  @Test
  void anIdleSessionOnTheJdkTransportHoldsNoThreadOfItsOwn() throws Exception {
    FakeLiveServer server = live.server();
    try (ResilientLiveSession warm = Fakes.builder(server).transport(Transport.JDK).connect()) {
      warm.sendText("hello");
    }
    int before = ManagementFactory.getThreadMXBean().getThreadCount();
    List<ResilientLiveSession> sessions = new ArrayList<>();
    try {
      for (int i = 0; i < SESSIONS; i++) {
        sessions.add(Fakes.builder(server).transport(Transport.JDK).connect());
      }
      int after = ManagementFactory.getThreadMXBean().getThreadCount();
      double perSession = (after - before) / (double) SESSIONS;
      System.out.printf(
          Locale.ROOT,
          "threads per idle JDK session: %.2f (%d sessions, %d threads before, %d after)%n",
          perSession,
          SESSIONS,
          before,
          after);
      assertThat(after - before).isLessThanOrEqualTo(MAX_SHARED_JDK_THREADS);
      // No thread carries a session's name while it is idle: a shared worker is named
      // <session>-socket-1 only while it opens or ends that session's connection.
      for (ResilientLiveSession s : sessions) {
        assertThat(threadsOf(s.name())).doesNotContain(s.name() + "-socket-1").isEmpty();
      }
      assertThat(sessions).allSatisfy(s -> assertThat(s.state()).isEqualTo(SessionState.ACTIVE));
    } finally {
      sessions.forEach(ResilientLiveSession::close);
    }
  }

  private static Set<String> threadsOf(String session) {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .filter(n -> n.startsWith(session + "-") && !n.equals(session + "-events"))
        .collect(Collectors.toSet());
  }
}
