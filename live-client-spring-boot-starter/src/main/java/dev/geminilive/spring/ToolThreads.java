package dev.geminilive.spring;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.DisposableBean;

/**
 * The daemon threads tool calls run on (for sessions opened through {@link LiveSessions}, and as a
 * Spring Security user); shut down with the context. Deliberately not an {@code Executor} bean: one
 * would replace Spring Boot's own {@code applicationTaskExecutor}.
 */
final class ToolThreads implements DisposableBean {
  private final AtomicInteger n = new AtomicInteger();
  private final ExecutorService executor =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "live-tool-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
          });

  ExecutorService executor() {
    return executor;
  }

  @Override
  public void destroy() throws InterruptedException {
    executor.shutdown();
    executor.awaitTermination(1, TimeUnit.SECONDS);
  }
}
