package dev.geminilive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.LiveScheduler;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BurstCoalescingTest {
  private final AtomicLong queued = new AtomicLong();
  private final Timers timers = new Timers();
  private ServerSocket server;
  private Socket client;
  private Socket accepted;

  @BeforeEach
  void connect() throws Exception {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    client =
        NoDelaySocketFactory.noDelay(new Socket(server.getInetAddress(), server.getLocalPort()));
    accepted = server.accept();
  }

  @AfterEach
  void close() throws Exception {
    accepted.close();
    client.close();
    server.close();
  }

  @Test
  void aSocketThatKeepsUpStaysWithoutNaglesDelayAndNothingIsScheduled() throws Exception {
    BurstCoalescing c = new BurstCoalescing(() -> client, queued::get, timers, 1);
    queued.set(BurstCoalescing.BACKLOG_BYTES);

    sends(c);

    assertThat(client.getTcpNoDelay()).isTrue();
    assertThat(c.coalescing()).isFalse();
    assertThat(timers.pending).isEmpty();
  }

  @Test
  void aBackedUpQueueCoalescesUntilItHasDrainedThenNoDelayComesBack() throws Exception {
    BurstCoalescing c = new BurstCoalescing(() -> client, queued::get, timers, 1);
    queued.set(BurstCoalescing.BACKLOG_BYTES + 1);

    for (int i = 1; i < BurstCoalescing.LOOK_EVERY; i++) {
      c.afterSend();
    }
    assertThat(client.getTcpNoDelay()).as("not looked yet").isTrue();
    for (int i = 0; i < 3 * BurstCoalescing.LOOK_EVERY; i++) {
      c.afterSend();
    }

    assertThat(client.getTcpNoDelay()).isFalse();
    assertThat(c.coalescing()).isTrue();
    assertThat(timers.pending).as("one check, not one per send").hasSize(1);
    assertThat(timers.delays.peek()).isEqualTo(BurstCoalescing.CHECK_EVERY);

    queued.set(BurstCoalescing.DRAINED_BYTES); // draining, not drained
    timers.runNext();
    assertThat(client.getTcpNoDelay()).isFalse();
    assertThat(timers.pending).as("checked again later").hasSize(1);

    queued.set(BurstCoalescing.DRAINED_BYTES - 1);
    timers.runNext();
    assertThat(client.getTcpNoDelay()).isTrue();
    assertThat(c.coalescing()).isFalse();
    assertThat(timers.pending).isEmpty();

    queued.set(BurstCoalescing.BACKLOG_BYTES + 1);
    sends(c);
    assertThat(client.getTcpNoDelay()).as("the next burst coalesces again").isFalse();
  }

  @Test
  void aSocketTheLibraryDidNotMakeIsLeftAsItIs() throws Exception {
    BurstCoalescing c = new BurstCoalescing(() -> null, queued::get, timers, 1);
    queued.set(BurstCoalescing.BACKLOG_BYTES * 10);

    sends(c);

    assertThat(c.coalescing()).isFalse();
    assertThat(timers.pending).isEmpty();
    assertThat(client.getTcpNoDelay()).isTrue();
  }

  @Test
  void theChecksEndWhenTheSocketClosesWhileCoalescing() throws Exception {
    BurstCoalescing c = new BurstCoalescing(() -> client, queued::get, timers, 1);
    queued.set(BurstCoalescing.BACKLOG_BYTES * 10);
    sends(c);

    client.close();
    timers.runNext();

    assertThat(c.coalescing()).isFalse();
    assertThat(timers.pending).isEmpty();
  }

  /** Enough sends for the coalescing to look at the queue. */
  private static void sends(BurstCoalescing c) {
    for (int i = 0; i < BurstCoalescing.LOOK_EVERY; i++) {
      c.afterSend();
    }
  }

  /** Timers that run only when the test says so. */
  private static final class Timers implements LiveScheduler {
    final Deque<Runnable> pending = new ArrayDeque<>();
    final Deque<Duration> delays = new ArrayDeque<>();

    @Override
    public long nanoTime() {
      return 0;
    }

    @Override
    public void execute(Runnable task) {
      task.run();
    }

    @Override
    public ScheduledTask schedule(String name, Duration delay, Runnable task) {
      pending.add(task);
      delays.add(delay);
      return () -> pending.remove(task);
    }

    void runNext() {
      delays.poll();
      pending.poll().run();
    }
  }
}
