package dev.geminilive.internal;

import java.util.concurrent.TimeUnit;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/** The library's own OkHttp client, shared by every session that was not given one. */
public final class HttpClients {
  private HttpClients() {}

  private static final class Holder {
    static final OkHttpClient DEFAULT = create();

    private static OkHttpClient create() {
      // Every open WebSocket holds a dispatcher slot; OkHttp's default of 64 would make the 65th
      // session's connect hang.
      Dispatcher dispatcher = new Dispatcher();
      dispatcher.setMaxRequests(100_000);
      dispatcher.setMaxRequestsPerHost(100_000);
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
}
