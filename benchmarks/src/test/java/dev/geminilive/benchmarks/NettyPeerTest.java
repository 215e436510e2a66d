package dev.geminilive.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The raw Netty client against the load server: its own pacing, every chunk once, in order. */
class NettyPeerTest {

  @Test
  void eventLoopsPaceEveryChunkOfEverySessionInOrderAndReceiveTheServersFrames() throws Exception {
    try (LoadServerProcess server = LoadServerProcess.start(false, Path.of("target"));
        NettyPeer.Group group = new NettyPeer.Group(server.target())) {
      int sessions = 4;
      int chunks = 25;
      CountDownLatch frames = new CountDownLatch(sessions * 5);
      Peers.Sink sink =
          new Peers.Sink() {
            @Override
            public void onAudio(byte[] pcm) {
              frames.countDown();
            }
          };
      List<NettyPeer> peers = new ArrayList<>();
      for (int i = 0; i < sessions; i++) {
        peers.add(NettyPeer.connectAsync(group, sink).get(30, TimeUnit.SECONDS));
      }
      assertThat(server.awaitSessions(sessions, Duration.ofSeconds(10))).isEqualTo(sessions);

      server.command("start 2000");
      AtomicLong sent = new AtomicLong();
      long[] late = new long[sessions * chunks];
      AtomicInteger lateCount = new AtomicInteger();
      NettyPeer.pace(peers, System.nanoTime(), chunks, sent, late, lateCount);
      Map<String, Long> stats = server.awaitUp(sessions * chunks, Duration.ofSeconds(10));

      assertThat(sent.get()).isEqualTo(sessions * chunks);
      assertThat(lateCount.get()).as("one lateness record per chunk").isEqualTo(sessions * chunks);
      assertThat(java.util.Arrays.stream(late).min().getAsLong())
          .as("no chunk sent before it was due")
          .isNotNegative();
      assertThat(stats.get("upReceived")).isEqualTo((long) sessions * chunks);
      assertThat(stats.get("upOutOfOrder")).isZero();
      assertThat(stats.get("minUpPerSession")).isEqualTo(chunks);
      assertThat(frames.await(10, TimeUnit.SECONDS)).as("5 frames per session").isTrue();

      peers.forEach(Peers.Peer::close);
      assertThat(server.awaitSessions(0, Duration.ofSeconds(10))).isZero();
    }
  }

  @Test
  void aThreadsCpuTimeIsCountedInItsGroupWhileItLives() throws Exception {
    CpuSplit split = CpuSplit.begin();
    CountDownLatch burnt = new CountDownLatch(1);
    CountDownLatch read = new CountDownLatch(1);
    Thread burner =
        new Thread(
            () -> {
              var threads = java.lang.management.ManagementFactory.getThreadMXBean();
              long x = 0;
              while (threads.getCurrentThreadCpuTime() < 50_000_000L) {
                x += System.nanoTime() % 7;
              }
              burnt.countDown();
              try {
                read.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              if (x == 42) {
                System.out.print("");
              }
            },
            "burner-17");
    burner.start();
    burnt.await();
    CpuSplit.Window w = split.end();
    read.countDown();
    burner.join();

    assertThat(w.cores()).containsKey("burner-#");
    assertThat(w.cores().get("burner-#")).isPositive();
    if (new java.io.File("/proc/self/task").isDirectory()) {
      assertThat(w.waiting()).as("run-queue waits read from schedstat").isNotEmpty();
      assertThat(w.waitingTotal()).isNotNegative();
    }
  }

  @Test
  void threadGroupsIgnoreNumbersAndOkHttpsAddresses() {
    assertThat(CpuSplit.group("live-session-12-socket-1")).isEqualTo("live-session-#-socket-#");
    assertThat(CpuSplit.group("netty-client-5-2")).isEqualTo("netty-client-#");
    assertThat(CpuSplit.group("OkHttp http://127.0.0.1:41991/ws/x")).isEqualTo("OkHttp URL");
    assertThat(CpuSplit.group("bench-pacer-0")).isEqualTo(CpuSplit.group("bench-pacer-1"));
  }
}
