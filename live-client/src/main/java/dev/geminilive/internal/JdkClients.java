package dev.geminilive.internal;

import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code java.net.http.HttpClient} that every {@link JdkConnector} connection shares.
 *
 * <p>Its threads: the client's one selector thread (the JDK's {@code
 * HttpClient-<n>-SelectorManager}, a daemon), which reads and writes every socket without blocking,
 * and a fixed pool of daemon workers ({@code gemini-live-jdk-ws-<n>}, as many as there are cores
 * and at least two) on which the JDK runs the handshakes and the listener callbacks. Idle workers
 * end after a minute, and every thread is a daemon, so a program whose {@code main} returns exits
 * at once. No thread belongs to a socket: a thousand sessions use the same few threads.
 *
 * <p>Thread-safe: created once, never shut down.
 */
final class JdkClients {
  private JdkClients() {}

  /** How long an idle worker of the shared pool lives. */
  static final long WORKER_KEEP_ALIVE_SECONDS = 60;

  /** The prefix of the shared pool's thread names. */
  static final String WORKER_NAME = "gemini-live-jdk-ws";

  private static final class Holder {
    static final HttpClient SHARED = create();

    private static HttpClient create() {
      HttpClient.Builder builder =
          HttpClient.newBuilder()
              .executor(workers())
              .version(HttpClient.Version.HTTP_1_1)
              .followRedirects(HttpClient.Redirect.NEVER);
      // OkHttp follows the JVM's proxy settings; so does this client.
      ProxySelector proxies = ProxySelector.getDefault();
      if (proxies != null) {
        builder.proxy(proxies);
      }
      return builder.build();
    }
  }

  /** The shared client. */
  static HttpClient shared() {
    return Holder.SHARED;
  }

  private static ExecutorService workers() {
    int n = Math.max(2, Runtime.getRuntime().availableProcessors());
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            n,
            n,
            WORKER_KEEP_ALIVE_SECONDS,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, WORKER_NAME + "-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
