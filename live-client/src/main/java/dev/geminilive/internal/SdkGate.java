package dev.geminilive.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The executor of one SDK connection's private OkHttp {@code Dispatcher}: it holds the WebSocket
 * call back until the connector has attached its stage to the SDK's connect future, then runs it on
 * a shared pool, telling the connector which thread became the connection's reader.
 *
 * <p>Why: the SDK drops every frame that arrives before {@code receive()} is registered (SDK-GAPS
 * Q3). Registering in a stage attached to the connect future works only when the stage is attached
 * before the future completes, because then it runs on the OkHttp reader thread before the next
 * frame is read. {@code connect()} has already enqueued the call when it returns, so on a fast
 * server the future could complete first; holding the call until {@link #open()} makes that
 * impossible. The reader thread's identity lets the log bridge map the SDK's log records (close
 * codes, failures) to this connection.
 *
 * <p>{@link #shutdown()} never shuts the shared pool down, so even a {@code Client.close()} on the
 * per-connection client could not break other sessions (SDK-GAPS Q7); the connector still never
 * calls it. Thread-safe.
 */
final class SdkGate extends AbstractExecutorService {
  private final ExecutorService pool;
  private final Consumer<Thread> readerStarted;
  private final Consumer<Thread> readerEnded;
  // Guarded by this.
  private final List<Runnable> held = new ArrayList<>();
  private boolean open;
  private volatile boolean shutdown;

  SdkGate(ExecutorService pool, Consumer<Thread> readerStarted, Consumer<Thread> readerEnded) {
    this.pool = pool;
    this.readerStarted = readerStarted;
    this.readerEnded = readerEnded;
  }

  /** Lets held and later calls run. */
  void open() {
    List<Runnable> release;
    synchronized (this) {
      open = true;
      release = new ArrayList<>(held);
      held.clear();
    }
    release.forEach(pool::execute);
  }

  @Override
  public void execute(Runnable task) {
    Runnable wrapped =
        () -> {
          Thread t = Thread.currentThread();
          readerStarted.accept(t);
          try {
            task.run();
          } finally {
            readerEnded.accept(t);
          }
        };
    synchronized (this) {
      if (!open) {
        held.add(wrapped);
        return;
      }
    }
    pool.execute(wrapped);
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return true;
  }
}
