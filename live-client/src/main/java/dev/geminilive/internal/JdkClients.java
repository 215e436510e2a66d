package dev.geminilive.internal;

import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * The {@code java.net.http.HttpClient} that every {@link JdkConnector} connection shares.
 *
 * <p>Its threads: the client's one selector thread (the JDK's {@code
 * HttpClient-<n>-SelectorManager}, a daemon), which reads and writes every socket without blocking,
 * and, as its executor, the system scheduler's workers ({@code gemini-live-worker-<n>}, see {@link
 * SystemScheduler}), on which the JDK runs the handshakes and the listener calls. A frame's call
 * hands the frame to its session's queue and, when that queue is idle, leaves the session's turn to
 * the same worker, to run once the JDK's call has returned ({@link SerialQueue#executeNext}): one
 * thread hop per frame, the JDK's own. Nothing runs on the selector thread but the JDK's I/O. Every
 * thread is a daemon and idle workers end, so a program whose {@code main} returns exits at once.
 * No thread belongs to a socket: a thousand sessions use the same few threads.
 *
 * <p>A session given its own OkHttp client ({@code LiveSessionBuilder.httpClient}) gets a client
 * that trusts what that one trusts (its {@code X509TrustManager}): one per trust manager, sharing
 * the same workers, the last {@link #TRUST_CLIENTS} kept (each adds a selector thread, which ends
 * once its client is no longer used).
 *
 * <p>Thread-safe: the shared client is created once and never shut down; the others are looked up
 * under a lock.
 */
final class JdkClients {
  private JdkClients() {}

  /** How many clients for other trust managers are kept. */
  static final int TRUST_CLIENTS = 8;

  // Guarded by itself; in access order, the eldest dropped past TRUST_CLIENTS.
  private static final Map<X509TrustManager, HttpClient> BY_TRUST =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<X509TrustManager, HttpClient> eldest) {
          return size() > TRUST_CLIENTS;
        }
      };

  private static final class Holder {
    static final HttpClient SHARED = create(null);

    private static HttpClient create(@Nullable X509TrustManager trust) {
      HttpClient.Builder builder =
          HttpClient.newBuilder()
              .executor(SystemScheduler.INSTANCE.workers())
              .version(HttpClient.Version.HTTP_1_1)
              .followRedirects(HttpClient.Redirect.NEVER);
      // OkHttp follows the JVM's proxy settings; so does this client.
      ProxySelector proxies = ProxySelector.getDefault();
      if (proxies != null) {
        builder.proxy(proxies);
      }
      if (trust != null) {
        try {
          SSLContext tls = SSLContext.getInstance("TLS");
          tls.init(null, new TrustManager[] {trust}, null);
          builder.sslContext(tls);
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("TLS is not available in this JVM: " + e, e);
        }
      }
      return builder.build();
    }
  }

  /** The shared client. */
  static HttpClient shared() {
    return Holder.SHARED;
  }

  /**
   * A client that trusts what {@code trust} trusts, on the shared workers.
   *
   * @param trust the trust manager of the session's own OkHttp client
   */
  static HttpClient trusting(X509TrustManager trust) {
    synchronized (BY_TRUST) {
      return BY_TRUST.computeIfAbsent(trust, Holder::create);
    }
  }
}
