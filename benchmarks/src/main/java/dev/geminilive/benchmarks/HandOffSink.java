package dev.geminilive.benchmarks;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sink that hands every call to an executor before the sink behind it sees it: raw OkHttp plus
 * exactly one hand-off, the baseline the receive goal's own words allow ("at most one hand-off
 * between socket and listener"). The frame is parsed on the socket's thread, as the library parses
 * it there; only the delivery moves.
 *
 * <p>On the 2-thread pool, consecutive frames of one socket may be delivered out of order (nothing
 * keeps them serial); the latency of each is what the baseline measures. Thread-safe as its
 * executor.
 */
final class HandOffSink implements Peers.Sink {
  private final Peers.Sink sink;
  private final Executor executor;

  HandOffSink(Peers.Sink sink, Executor executor) {
    this.sink = sink;
    this.executor = executor;
  }

  @Override
  public void onAudio(byte[] pcm) {
    executor.execute(() -> sink.onAudio(pcm));
  }

  @Override
  public void onFrame() {
    executor.execute(sink::onFrame);
  }

  @Override
  public void onTurnComplete() {
    executor.execute(sink::onTurnComplete);
  }

  /** The two plain executors of the baseline, on daemon threads; closed by the bench. */
  static final class Baselines implements AutoCloseable {
    private final ExecutorService single =
        java.util.concurrent.Executors.newSingleThreadExecutor(daemons("handoff-single"));
    private final ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2, daemons("handoff-pool"));

    Executor single() {
      return single;
    }

    Executor pool() {
      return pool;
    }

    @Override
    public void close() {
      single.shutdownNow();
      pool.shutdownNow();
    }

    private static ThreadFactory daemons(String prefix) {
      AtomicInteger n = new AtomicInteger();
      return r -> {
        Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      };
    }
  }
}
