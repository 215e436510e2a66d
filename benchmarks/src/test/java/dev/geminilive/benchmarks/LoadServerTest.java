package dev.geminilive.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** The load server as the scale section uses it: a child process, raw OkHttp clients. */
class LoadServerTest {

  @Test
  void countsEveryUplinkChunkInOrderAndStreamsStampedFramesToEverySession() throws Exception {
    // Every stamp is taken during the test: a latency longer than the test so far is a misread
    // stamp. A bound from the run itself, not a fixed time.
    long began = System.nanoTime();
    try (LoadServerProcess server = LoadServerProcess.start(false, Path.of("target"))) {
      OkHttpClient http = Peers.noDelayClient(server.target());
      int sessions = 3;
      CountDownLatch frames = new CountDownLatch(sessions * 5);
      AtomicLong worstLatency = new AtomicLong(-1);
      AtomicLong negative = new AtomicLong();
      Peers.Sink sink =
          new Peers.Sink() {
            @Override
            public void onAudio(byte[] pcm) {
              long latency = System.nanoTime() - Pcm.stampOf(pcm);
              if (latency < 0) {
                negative.incrementAndGet();
              }
              worstLatency.accumulateAndGet(latency, Math::max);
              frames.countDown();
            }
          };
      List<Peers.Peer> peers = new ArrayList<>();
      for (int i = 0; i < sessions; i++) {
        peers.add(OkHttpPeer.connect(server.target(), http, sink, false));
      }
      assertThat(server.awaitSessions(sessions, Duration.ofSeconds(10))).isEqualTo(sessions);

      server.command("start 2000");
      for (int seq = 0; seq < 10; seq++) {
        for (int i = 0; i < sessions; i++) {
          peers.get(i).sendAudio(Pcm.loadChunk(System.nanoTime(), i, seq));
        }
      }
      Map<String, Long> stats = server.awaitUp(sessions * 10, Duration.ofSeconds(10));

      assertThat(stats.get("upReceived")).isEqualTo(sessions * 10L);
      assertThat(stats.get("upOutOfOrder")).isZero();
      assertThat(stats.get("minUpPerSession")).isEqualTo(10L);
      assertThat(stats.get("upP50")).isPositive().isLessThan(System.nanoTime() - began);
      assertThat(frames.await(10, TimeUnit.SECONDS)).as("5 frames per session").isTrue();
      assertThat(negative.get()).as("frames stamped in the future").isZero();
      assertThat(worstLatency.get()).isLessThan(System.nanoTime() - began);

      peers.forEach(Peers.Peer::close);
      assertThat(server.awaitSessions(0, Duration.ofSeconds(10))).isZero();
    }
  }

  @Test
  void endsAModelTurnEveryTurnFramesFramesAsTheServiceDoesBeforeItsHandle() throws Exception {
    // Every stamp is taken during the test: a latency longer than the test so far is a misread
    // stamp. A bound from the run itself, not a fixed time.
    long began = System.nanoTime();
    try (LoadServerProcess server = LoadServerProcess.start(false, Path.of("target"))) {
      OkHttpClient http = Peers.noDelayClient(server.target());
      AtomicLong audioAtTurnEnd = new AtomicLong(-1);
      AtomicLong audio = new AtomicLong();
      CountDownLatch turnEnded = new CountDownLatch(1);
      Peers.Sink sink =
          new Peers.Sink() {
            @Override
            public void onAudio(byte[] pcm) {
              audio.incrementAndGet();
            }

            @Override
            public void onTurnComplete() {
              audioAtTurnEnd.compareAndSet(-1, audio.get());
              turnEnded.countDown();
            }
          };
      Peers.Peer peer = OkHttpPeer.connect(server.target(), http, sink, false);
      assertThat(server.awaitSessions(1, Duration.ofSeconds(10))).isEqualTo(1);

      long turnMillis = LoadServer.TURN_FRAMES * LoadServer.DOWN_PERIOD_NANOS / 1_000_000;
      server.command("start " + (turnMillis + 500));

      assertThat(turnEnded.await(30, TimeUnit.SECONDS)).as("a turn ended").isTrue();
      assertThat(audioAtTurnEnd.get()).isEqualTo(LoadServer.TURN_FRAMES);
      peer.close();
    }
  }
}
