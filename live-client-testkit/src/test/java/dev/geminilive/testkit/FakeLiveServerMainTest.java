package dev.geminilive.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone main's command line, output line, certificate file and script format. */
class FakeLiveServerMainTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** Runs the main's logic; {@code whileRunning} sees the server before it is closed. */
  private int run(FakeLiveServerMain.WhileRunning whileRunning, String... args) {
    return FakeLiveServerMain.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        whileRunning);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** Runs args that must be refused before any server starts. */
  private int refused(String... args) {
    return run(
        server -> {
          throw new AssertionError("no server should start for a bad command line");
        },
        args);
  }

  @Test
  void printsOneListeningLineWritesTheCertificateAndRunsTheScriptFile() throws Exception {
    Path script = dir.resolve("script.txt");
    Files.writeString(
        script,
        "# career coach\nhello => Hi, I'm Laura.\n~book => call schedule_appointment"
            + " {\"client_id\":\"c1\"}\n<tool:schedule_appointment> => Booked.\n");
    Path cert = dir.resolve("cert.pem");
    int code =
        run(
            server -> {
              assertThat(out())
                  .isEqualTo("listening on " + server.baseUrl() + System.lineSeparator());
              assertThat(Files.readString(cert)).isEqualTo(server.certificatePem());

              RawWebSocket ws =
                  RawWebSocket.openWithKey(server)
                      .send(RawWebSocket.setup("gemini-3.1-flash-live-preview"));
              ws.take();
              ws.send("{\"realtimeInput\":{\"text\":\"HELLO\"}}");
              assertThat(ws.takeUntil("outputTranscription")).contains("Hi, I'm Laura.");
              ws.send("{\"realtimeInput\":{\"text\":\"please book\"}}");
              String call = ws.takeUntil("toolCall");
              assertThat(call).contains("\"client_id\":\"c1\"");
              String id = call.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
              ws.send(
                  "{\"toolResponse\":{\"functionResponses\":[{\"id\":\""
                      + id
                      + "\",\"name\":\"schedule_appointment\",\"response\":{\"ok\":true}}]}}");
              assertThat(ws.takeUntil("outputTranscription")).contains("Booked.");
            },
            "--port",
            "0",
            "--cert-out",
            cert.toString(),
            "--script",
            script.toString());
    assertThat(code).isZero();
    assertThat(err()).isEmpty();
  }

  @Test
  void servesPlainWebSocketsWithPlain() {
    int code =
        run(
            server -> {
              assertThat(out()).startsWith("listening on http://127.0.0.1:");
              RawWebSocket ws =
                  RawWebSocket.openWithKey(server)
                      .send(RawWebSocket.setup("gemini-3.1-flash-live-preview"));
              assertThat(ws.take()).contains("setupComplete");
            },
            "--plain");
    assertThat(code).isZero();
  }

  @Test
  void takesOptionValuesAfterAnEqualsSign() throws Exception {
    AtomicReference<FakeLiveServer> seen = new AtomicReference<>();
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    int code = run(seen::set, "--port=" + port, "--api-key=k-123", "--plain");
    assertThat(code).isZero();
    assertThat(seen.get().port()).isEqualTo(port);
    assertThat(seen.get().apiKey()).isEqualTo("k-123");
  }

  @Test
  void printsHelpWithEveryOptionAndTheScriptFormat() {
    assertThat(refused("--help")).isZero();
    assertThat(out())
        .contains("--port=N", "--plain", "--api-key=KEY", "--cert-out=FILE", "--script=FILE")
        .contains("--help", "--version", "MATCH => ACTION", "<tool:schedule_appointment>");
    assertThat(err()).isEmpty();
  }

  @Test
  void printsTheVersion() {
    assertThat(refused("--version")).isZero();
    assertThat(out()).startsWith("FakeLiveServerMain").containsPattern("\\d+\\.\\d+\\.\\d+");
  }

  @Test
  void refusesANonNumericPortWithExitCode2AndNoStackTrace() {
    assertThat(refused("--port", "abc")).isEqualTo(2);
    assertThat(err()).contains("--port", "'abc' is not an int").contains("--help");
    assertNoStackTrace();
  }

  @Test
  void refusesAPortOutOfRange() {
    assertThat(refused("--port=70000")).isEqualTo(2);
    assertThat(err()).contains("--port", "70000", "0..65535");
    assertNoStackTrace();
  }

  @Test
  void refusesAnUnknownOptionAndAMissingValue() {
    assertThat(refused("--prot=9000")).isEqualTo(2);
    assertThat(err()).contains("Unknown option: '--prot=9000'", "--help");
    err.reset();
    assertThat(refused("--script")).isEqualTo(2);
    assertThat(err()).contains("Missing required parameter for option '--script'");
    assertNoStackTrace();
  }

  @Test
  void refusesAMissingScriptFileWithExitCode2AndNoStackTrace() {
    Path missing = dir.resolve("nope.txt");
    assertThat(refused("--script", missing.toString())).isEqualTo(2);
    assertThat(err()).contains("--script: no such file: " + missing);
    assertNoStackTrace();
  }

  @Test
  void refusesAMalformedScriptNamingTheLine() throws Exception {
    Path script = dir.resolve("bad.txt");
    Files.writeString(script, "# ok\nhello => hi\nthis line has no arrow\n");
    assertThat(refused("--script", script.toString())).isEqualTo(2);
    assertThat(err()).contains("line 3", "MATCH => ACTION");
    assertNoStackTrace();
  }

  @Test
  void reportsATakenPortWithExitCode1NamingItAndNoStackTrace() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(refused("--port", String.valueOf(taken.getLocalPort()))).isEqualTo(1);
      assertThat(err()).contains("127.0.0.1:" + taken.getLocalPort());
      assertNoStackTrace();
    }
  }

  private void assertNoStackTrace() {
    assertThat(err()).doesNotContain("Exception", "\tat ");
    assertThat(out()).isEmpty();
  }
}
