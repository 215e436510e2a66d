package dev.geminilive.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * The {@link LoadServer} in a child JVM, driven over its stdin/stdout. Closing it (or the death of
 * this JVM, which ends the child's stdin) stops the child.
 */
final class LoadServerProcess implements AutoCloseable {
  /** The child's JVM options: a heap of its own, so its GC never pauses the clients. */
  static final List<String> JVM_OPTIONS =
      List.of("-Xms512m", "-Xmx1g", "-XX:+UseG1GC", "-Dio.netty.leakDetection.level=disabled");

  private final Process process;
  private final BufferedReader out;
  private final PrintWriter in;
  private final int port;
  private final Peers.Target target;

  private LoadServerProcess(Process process, boolean tls, HandshakeCertificates trust)
      throws IOException {
    this.process = process;
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.in =
        new PrintWriter(
            new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8),
            true);
    String first = out.readLine();
    if (first == null || !first.startsWith("listening ")) {
      process.destroyForcibly();
      throw new IOException("load server did not start: " + first);
    }
    this.port = Integer.parseInt(first.substring("listening ".length()).trim());
    String scheme = tls ? "https" : "http";
    String base = scheme + "://127.0.0.1:" + port;
    String ws =
        (tls ? "wss" : "ws")
            + "://127.0.0.1:"
            + port
            + "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent";
    // The raw clients get the library's default timeouts: no read timeout (a quiet socket is not
    // dead), 30 s to write.
    OkHttpClient.Builder http =
        new OkHttpClient.Builder()
            .readTimeout(0, TimeUnit.MILLISECONDS)
            .writeTimeout(30, TimeUnit.SECONDS);
    if (tls) {
      http.sslSocketFactory(trust.sslSocketFactory(), trust.trustManager());
    }
    this.target =
        new Peers.Target(base, ws, "load-key", http.build(), tls ? trust.sslContext() : null);
  }

  /** Starts the server; with {@code tls}, under a certificate made here and trusted by clients. */
  static LoadServerProcess start(boolean tls, Path workDir) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>();
    command.add(java);
    command.addAll(JVM_OPTIONS);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(LoadServer.class.getName());
    HandshakeCertificates trust = null;
    if (tls) {
      HeldCertificate cert =
          new HeldCertificate.Builder()
              .commonName("load-server")
              .addSubjectAlternativeName("127.0.0.1")
              .addSubjectAlternativeName("localhost")
              .build();
      Files.createDirectories(workDir);
      Path certFile = workDir.resolve("load-server-cert.pem");
      Path keyFile = workDir.resolve("load-server-key.pem");
      Files.writeString(certFile, cert.certificatePem());
      Files.writeString(keyFile, cert.privateKeyPkcs8Pem());
      command.addAll(List.of("--tls", certFile.toString(), keyFile.toString()));
      trust = new HandshakeCertificates.Builder().addTrustedCertificate(cert.certificate()).build();
    }
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    return new LoadServerProcess(p, tls, trust);
  }

  /** Whether the child's System.nanoTime() is this process's clock (it is on Linux). */
  String clockAgreement() throws IOException {
    double worst = 0;
    for (int i = 0; i < 20; i++) {
      long before = System.nanoTime();
      long theirs = Long.parseLong(command("clock"));
      long after = System.nanoTime();
      double offset = theirs - (before + after) / 2.0;
      double bound = (after - before) / 2.0 + Math.abs(offset);
      worst = i == 0 ? bound : Math.min(worst, bound);
    }
    return Stats.fmt(
        "the load server's System.nanoTime() agrees with the clients' within %.0f µs (best of 20"
            + " round trips)",
        worst / 1e3);
  }

  /** Where clients connect. */
  Peers.Target target() {
    return target;
  }

  /** The child's process id. */
  long pid() {
    return process.pid();
  }

  /** Sends one command and returns the reply after {@code ok }. */
  synchronized String command(String command) throws IOException {
    in.println(command);
    String reply = out.readLine();
    if (reply == null) {
      throw new IOException("load server ended (exit " + exitCode() + ")");
    }
    if (!reply.startsWith("ok ")) {
      throw new IOException("load server: " + reply);
    }
    return reply.substring(3);
  }

  /** {@code stats} as numbers. */
  Map<String, Long> stats() throws IOException {
    return parse(command("stats"));
  }

  /** Waits until {@code chunks} audio chunks arrived (or {@code timeout}); returns the stats. */
  Map<String, Long> awaitUp(long chunks, java.time.Duration timeout) throws IOException {
    return parse(command("await-up " + chunks + " " + timeout.toMillis()));
  }

  /** Waits until {@code n} sessions are open (or {@code timeout}); returns how many are. */
  int awaitSessions(int n, java.time.Duration timeout) throws IOException {
    return Integer.parseInt(
        command("await-sessions " + n + " " + timeout.toMillis()).substring("sessions=".length()));
  }

  private static Map<String, Long> parse(String reply) {
    Map<String, Long> m = new HashMap<>();
    for (String kv : reply.split(" ")) {
      int eq = kv.indexOf('=');
      m.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
    }
    return m;
  }

  /** Sessions that finished their setup and are still open. */
  int sessions() throws IOException {
    return Integer.parseInt(command("count").substring("sessions=".length()));
  }

  private String exitCode() {
    return process.isAlive() ? "still running" : String.valueOf(process.exitValue());
  }

  @Override
  public void close() {
    try {
      in.println("quit");
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroy();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    }
  }
}
