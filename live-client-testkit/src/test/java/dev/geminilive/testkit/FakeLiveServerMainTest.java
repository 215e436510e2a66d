package dev.geminilive.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone main's arguments, output line, certificate file and script format. */
class FakeLiveServerMainTest {
  @TempDir Path dir;

  @Test
  void printsOneListeningLineWritesTheCertificateAndRunsTheScriptFile() throws Exception {
    Path script = dir.resolve("script.txt");
    Files.writeString(
        script,
        "# career coach\nhello => Hi, I'm Laura.\n~book => call schedule_appointment"
            + " {\"client_id\":\"c1\"}\n<tool:schedule_appointment> => Booked.\n");
    Path cert = dir.resolve("cert.pem");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (FakeLiveServer server =
        FakeLiveServerMain.start(
            new String[] {
              "--port", "0", "--cert-out", cert.toString(), "--script", script.toString()
            },
            new PrintStream(out, true, StandardCharsets.UTF_8))) {
      assertThat(out.toString(StandardCharsets.UTF_8))
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
    }
  }

  @Test
  void servesPlainWebSocketsWithPlain() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (FakeLiveServer server =
        FakeLiveServerMain.start(
            new String[] {"--plain"}, new PrintStream(out, true, StandardCharsets.UTF_8))) {
      assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("listening on http://127.0.0.1:");
      RawWebSocket ws =
          RawWebSocket.openWithKey(server)
              .send(RawWebSocket.setup("gemini-3.1-flash-live-preview"));
      assertThat(ws.take()).contains("setupComplete");
    }
  }
}
