package dev.geminilive.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * The scale section's check of SDK-GAPS Q7: how many library sessions an OkHttpClient with the
 * default Dispatcher lets connect. Stateless.
 */
final class DispatcherProbe {
  private DispatcherProbe() {}

  /**
   * The library given a plain OkHttpClient (default Dispatcher, maxRequests 64): how many of 70
   * sessions connect? Every open WebSocket holds a dispatcher slot (SDK-GAPS Q7).
   */
  static String probeDefaultDispatcher(LoadServerProcess server) throws Exception {
    OkHttpClient plain =
        server.target().http().newBuilder().dispatcher(new okhttp3.Dispatcher()).build();
    List<CompletableFuture<?>> futures = new ArrayList<>();
    List<Peers.LibraryPeer> open = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      futures.add(
          Peers.libraryBuilder(server.target())
              .httpClient(plain)
              .connectTimeout(Duration.ofSeconds(3))
              .connectAsync()
              .thenAccept(
                  s -> {
                    synchronized (open) {
                      open.add(new Peers.LibraryPeer(s));
                    }
                  }));
    }
    int ok = 0;
    String failure = "";
    for (var f : futures) {
      try {
        f.get(10, TimeUnit.SECONDS);
        ok++;
      } catch (Exception e) {
        failure = e.getCause() == null ? e.toString() : e.getCause().toString();
      }
    }
    synchronized (open) {
      open.forEach(Peers.Peer::close);
    }
    server.awaitSessions(0, Duration.ofSeconds(30));
    return Stats.fmt(
        "%d of 70 library sessions connected through an OkHttpClient with the default Dispatcher"
            + " (maxRequests 64)%s",
        ok, ok < 70 ? "; the others failed with: " + failure.replace('|', '/') : "");
  }
}
