package dev.geminilive.examples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Notes the live threads at creation and reports the threads started since. */
public final class ThreadWatch {
  private static final List<String> SHARED =
      List.of("OkHttp TaskRunner", "Okio Watchdog", "CompletableFutureDelayScheduler");

  private final Set<Thread> before = Thread.getAllStackTraces().keySet();

  /** The threads started since this watch was created that are still alive. */
  public List<Thread> started() {
    List<Thread> now = new ArrayList<>(Thread.getAllStackTraces().keySet());
    now.removeAll(before);
    now.removeIf(t -> !t.isAlive());
    return now;
  }

  /**
   * The threads started since this watch was created that are still alive after each was given
   * {@code grace} to end, leaving out the process-wide daemon threads that libraries start once and
   * share (OkHttp's task runner, Okio's timeout watchdog, the JDK's delayed-future timer).
   */
  public List<String> survivors(Duration grace) throws InterruptedException {
    List<String> alive = new ArrayList<>();
    for (Thread t : started()) {
      if (t.isDaemon() && SHARED.stream().anyMatch(t.getName()::startsWith)) {
        continue;
      }
      t.join(grace.toMillis());
      if (t.isAlive()) {
        alive.add(describe(t));
      }
    }
    return alive;
  }

  public static String describe(Thread t) {
    return t.getName() + (t.isDaemon() ? " (daemon)" : " (not a daemon)");
  }
}
