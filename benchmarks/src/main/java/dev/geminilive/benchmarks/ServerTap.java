package dev.geminilive.benchmarks;

import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.RecordedMessage;
import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * Takes every client message the fake server records, on its own thread, and hands it over with the
 * {@link System#nanoTime()} at which it was taken. The recorder has no timestamps, so this is the
 * server-side arrival clock: it includes the server's parse and one queue hand-off (the same for
 * every compared path; tens of microseconds when idle, more when the server is saturated).
 */
final class ServerTap implements AutoCloseable {
  private final Thread thread;
  private volatile boolean running = true;

  ServerTap(FakeLiveServer server, BiConsumer<RecordedMessage, Long> consumer) {
    thread =
        new Thread(
            () -> {
              while (running) {
                try {
                  RecordedMessage m = server.takeClientMessage(Duration.ofMillis(50));
                  if (m != null) {
                    consumer.accept(m, System.nanoTime());
                  }
                } catch (AssertionError timeout) {
                  // takeClientMessage signals "nothing yet" with an AssertionError; poll again.
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "bench-server-tap");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
