package dev.geminilive.it.lifecycle;

import dev.geminilive.LiveListener;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.Transport;
import dev.geminilive.internal.HttpClients;
import dev.geminilive.tokens.EphemeralToken;
import dev.geminilive.tokens.EphemeralTokenService;
import dev.geminilive.tools.LiveTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.tls.Certificates;
import okhttp3.tls.HandshakeCertificates;
import org.jspecify.annotations.Nullable;

/**
 * The program {@link JvmExitTest} runs in a child JVM: it opens a session, has one turn, closes the
 * session and returns from {@code main}. It never calls {@code System.exit}: the JVM ends when no
 * non-daemon thread is left.
 *
 * <p>Arguments: base URL, API key, transport ({@code OKHTTP} or {@code SDK}), and for TLS the path
 * of the server certificate's PEM, or {@code token=<base URL>} to mint an ephemeral token at that
 * token endpoint first and open the session with it, or {@code hang} to declare a tool {@code hang}
 * whose handler never returns (it ignores interrupts), and to close once it runs instead of after a
 * turn.
 */
public final class CloseAndReturnMain {
  private CloseAndReturnMain() {}

  public static void main(String[] args) throws Exception {
    String baseUrl = args[0];
    String apiKey = args[1];
    Transport transport = Transport.valueOf(args[2]);
    String extra = args.length > 3 ? args[3] : "";
    boolean hang = extra.equals("hang");
    @Nullable String tokenEndpoint = extra.startsWith("token=") ? extra.substring(6) : null;
    @Nullable String certificatePem =
        !extra.isEmpty() && tokenEndpoint == null && !hang
            ? Files.readString(Path.of(extra))
            : null;
    CountDownLatch turn = new CountDownLatch(1);
    LiveSessionBuilder builder =
        ResilientLiveSession.builder()
            .apiKey(apiKey)
            .baseUrl(baseUrl)
            .transport(transport)
            .connectTimeout(Duration.ofSeconds(10))
            .listener(
                new LiveListener() {
                  @Override
                  public void onTurnComplete(ResilientLiveSession s, @Nullable String reason) {
                    turn.countDown();
                  }
                });
    if (certificatePem != null) {
      // The library's own client, trusting the test server: a derived client shares its threads.
      HandshakeCertificates trust =
          new HandshakeCertificates.Builder()
              .addTrustedCertificate(Certificates.decodeCertificatePem(certificatePem))
              .build();
      builder.httpClient(
          HttpClients.defaultClient()
              .newBuilder()
              .sslSocketFactory(trust.sslSocketFactory(), trust.trustManager())
              .build());
    }
    if (tokenEndpoint != null) {
      EphemeralToken token =
          EphemeralTokenService.builder()
              .apiKey(apiKey)
              .baseUrl(tokenEndpoint)
              .build()
              .mint(builder.build());
      builder.ephemeralToken(token.name());
    }
    HangingTool tool = new HangingTool();
    if (hang) {
      builder.tools(tool);
    }
    ResilientLiveSession session = builder.connect();
    session.sendText("hello");
    if (!(hang ? tool.running : turn).await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(hang ? "the tool was not called" : "no turn completed");
    }
    session.close();
    System.out.println("closed");
    System.out.flush();
    reportLingeringThreadsLater();
  }

  /** A tool whose handler never returns: its thread lives on after {@code main} returns. */
  public static final class HangingTool {
    final CountDownLatch running = new CountDownLatch(1);

    @LiveTool(description = "Never returns.")
    public String hang() {
      running.countDown();
      while (true) {
        try {
          new CountDownLatch(1).await();
        } catch (InterruptedException e) {
          // Ignored on purpose: a handler that does not stop when the session is closed.
        }
      }
    }
  }

  /** For the test's failure message: what still runs if the JVM has not ended in 10 s. */
  private static void reportLingeringThreadsLater() {
    Thread watch =
        new Thread(
            () -> {
              try {
                TimeUnit.SECONDS.sleep(10);
              } catch (InterruptedException e) {
                return;
              }
              for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (!t.isDaemon() && !t.getName().equals("DestroyJavaVM")) {
                  System.out.println("non-daemon thread still running: " + t.getName());
                }
              }
            },
            "lingering-thread-report");
    watch.setDaemon(true);
    watch.start();
  }
}
