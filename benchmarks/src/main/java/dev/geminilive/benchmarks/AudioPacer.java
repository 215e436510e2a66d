package dev.geminilive.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The uplink clock of a scale step: sends each session's 20 ms chunk when it is due, from {@link
 * ScaleBench#SENDER_THREADS} threads of the benchmark's own, and records how late each chunk went
 * out. Stateless; each call owns the threads it starts and joins them before it returns.
 */
final class AudioPacer {
  private AudioPacer() {}

  /**
   * Sends the audio of sessions {@code first, first + stride, ...}: session {@code i}'s chunk
   * {@code s} is due at {@code t0 + i * 20 ms / n + s * 20 ms} and is sent at the first tick (one
   * per millisecond) at or after that time, stamped when sent. One thread wakes a thousand times a
   * second for all its sessions, as an audio pump of a gateway would, instead of once per chunk.
   */
  private static void pace(
      List<Peers.Peer> peers,
      int first,
      int stride,
      long t0,
      int perSession,
      AtomicLong upSent,
      long[] late,
      AtomicInteger lateCount) {
    int n = peers.size();
    int[] next = new int[n];
    long end = t0 + perSession * 20_000_000L + 20_000_000L;
    for (long tick = t0; ; tick += 1_000_000L) {
      long now = System.nanoTime();
      if (now < tick) {
        java.util.concurrent.locks.LockSupport.parkNanos(tick - now);
        now = System.nanoTime();
      }
      boolean pending = false;
      for (int i = first; i < n; i += stride) {
        long origin = t0 + i * 20_000_000L / n;
        while (next[i] < perSession && origin + next[i] * 20_000_000L <= now) {
          int s = next[i]++;
          int k = lateCount.getAndIncrement();
          if (k < late.length) {
            late[k] = now - (origin + s * 20_000_000L);
          }
          peers.get(i).sendAudio(Pcm.loadChunk(now, i, s));
          upSent.incrementAndGet();
          now = System.nanoTime();
        }
        pending |= next[i] < perSession;
      }
      if (!pending || now > end + 5_000_000_000L) {
        return;
      }
    }
  }

  /**
   * Paces {@code peers} on {@link ScaleBench#SENDER_THREADS} threads (see {@link #pace}) and
   * returns {@code split} ended once they are done, before they end (an ended thread's CPU time is
   * gone).
   */
  static CpuSplit.Window paceOnThreads(
      List<Peers.Peer> peers,
      long t0,
      int perSessionUp,
      AtomicLong upSent,
      long[] late,
      AtomicInteger lateCount,
      CpuSplit split)
      throws InterruptedException {
    List<Thread> pacers = new ArrayList<>();
    CountDownLatch paced = new CountDownLatch(ScaleBench.SENDER_THREADS);
    CountDownLatch pacersRead = new CountDownLatch(1);
    for (int t = 0; t < ScaleBench.SENDER_THREADS; t++) {
      int first = t;
      Thread pacer =
          new Thread(
              () -> {
                pace(
                    peers,
                    first,
                    ScaleBench.SENDER_THREADS,
                    t0,
                    perSessionUp,
                    upSent,
                    late,
                    lateCount);
                paced.countDown();
                awaitQuietly(pacersRead);
              },
              "bench-pacer-" + t);
      pacer.setDaemon(true);
      pacer.start();
      pacers.add(pacer);
    }
    paced.await();
    CpuSplit.Window window = split.end();
    pacersRead.countDown();
    for (Thread pacer : pacers) {
      pacer.join();
    }
    return window;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
