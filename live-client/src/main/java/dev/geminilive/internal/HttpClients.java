package dev.geminilive.internal;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * The library's own OkHttp client, shared by every session that was not given one.
 *
 * <p>Its dispatcher runs on daemon threads. OkHttp's default dispatcher executor makes non-daemon
 * threads that idle for a minute after the last call, so a program whose {@code main} returned
 * after {@code close()} would take that minute to exit. (OkHttp's own task threads, which write
 * frames, ping and clean the connection pool, are daemons already.) A client passed to {@code
 * LiveSessionBuilder.httpClient(...)} keeps its own executor: its threads are the caller's.
 */
public final class HttpClients {
  private HttpClients() {}

  /** Dispatcher limit: every open WebSocket holds a slot; OkHttp's default of 64 is too few. */
  static final int MAX_REQUESTS = 100_000;

  private static final class Holder {
    static final OkHttpClient DEFAULT = create();

    private static OkHttpClient create() {
      // Every open WebSocket holds a dispatcher slot; OkHttp's default of 64 would make the 65th
      // session's connect hang.
      Dispatcher dispatcher = new Dispatcher(daemonExecutor("gemini-live-okhttp-dispatcher"));
      dispatcher.setMaxRequests(MAX_REQUESTS);
      dispatcher.setMaxRequestsPerHost(MAX_REQUESTS);
      return new OkHttpClient.Builder()
          .dispatcher(dispatcher)
          .readTimeout(0, TimeUnit.MILLISECONDS)
          .writeTimeout(30, TimeUnit.SECONDS)
          .build();
    }
  }

  /** The shared client. Never shut down. */
  public static OkHttpClient defaultClient() {
    return Holder.DEFAULT;
  }

  /**
   * An executor shaped like OkHttp's default dispatcher executor (unbounded, idle threads end after
   * a minute), whose threads are daemons.
   */
  static ExecutorService daemonExecutor(String name) {
    return daemonExecutor(name, Duration.ofMinutes(1));
  }

  /**
   * An unbounded executor of daemon threads that end after {@code keepAlive} idle (a pool used once
   * per connect, such as the credentials pool, lets its threads go soon after).
   */
  static ExecutorService daemonExecutor(String name, Duration keepAlive) {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(
        0,
        Integer.MAX_VALUE,
        keepAlive.toMillis(),
        TimeUnit.MILLISECONDS,
        new SynchronousQueue<>(),
        r -> {
          Thread t = new Thread(r, name + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }
}
