package dev.geminilive.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.geminilive.testkit.internal.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link FakeLiveServer} as a standalone process, e.g. for the JavaScript SDK or manual
 * tests.
 *
 * <p>Usage: {@code java -cp ... dev.geminilive.testkit.FakeLiveServerMain [--port N] [--plain]
 * [--cert-out FILE] [--script FILE] [--api-key KEY]}. Prints exactly one line, {@code listening on
 * <base-url>}, to stdout and runs until killed. {@code --port 0} (the default) picks a free port;
 * {@code --cert-out} writes the PEM certificate clients must trust.
 *
 * <p>Script files hold one rule per line, {@code MATCH => ACTION}; blank lines and lines starting
 * with {@code #} are ignored; the first matching rule wins and unmatched turns get the echo reply.
 *
 * <pre>
 * hello => Hi, I'm Laura.                        # text equal to "hello" (any case)
 * ~book => call schedule_appointment {"client_id":"c1"}   # text containing "book": tool call
 * &lt;tool:schedule_appointment&gt; => Booked.        # the response to that tool call
 * &lt;audio&gt; => I heard you.                      # any user audio turn
 * &lt;any&gt; => Sorry, could you repeat that?       # any text turn
 * </pre>
 *
 * A plain action is spoken (audio plus transcription) and also sent as a text part.
 *
 * @since 0.1.0
 */
public final class FakeLiveServerMain {
  private FakeLiveServerMain() {}

  /**
   * Starts the server and blocks until the process is killed.
   *
   * @param args the command-line options
   * @throws java.lang.Exception if the server cannot start
   */
  public static void main(String[] args) throws Exception {
    FakeLiveServer server = start(args, System.out);
    CountDownLatch forever = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "fake-live-server-shutdown"));
    forever.await();
  }

  /** Parses {@code args}, starts the server and prints the one {@code listening on} line. */
  static FakeLiveServer start(String[] args, PrintStream out) throws IOException {
    FakeLiveServer.Builder builder = FakeLiveServer.builder();
    Path certOut = null;
    Script script = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> builder.port(Integer.parseInt(value(args, ++i, "--port")));
        case "--plain" -> builder.plain(true);
        case "--api-key" -> builder.apiKey(value(args, ++i, "--api-key"));
        case "--cert-out" -> certOut = Path.of(value(args, ++i, "--cert-out"));
        case "--script" ->
            script =
                parseScript(
                    Files.readAllLines(
                        Path.of(value(args, ++i, "--script")), StandardCharsets.UTF_8));
        default -> throw new IllegalArgumentException("Unknown argument: " + args[i]);
      }
    }
    if (script != null) {
      builder.script(script);
    }
    FakeLiveServer server = builder.build();
    try {
      if (certOut != null) {
        Files.writeString(certOut, server.certificatePem(), StandardCharsets.UTF_8);
      }
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    out.println("listening on " + server.baseUrl());
    out.flush();
    return server;
  }

  private static String value(String[] args, int i, String name) {
    if (i >= args.length) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return args[i];
  }

  /** Parses the line format described in the class documentation. */
  static Script parseScript(List<String> lines) {
    Script script = Script.create();
    int lineNo = 0;
    for (String line : lines) {
      lineNo++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int arrow = trimmed.indexOf("=>");
      if (arrow < 0) {
        throw new IllegalArgumentException("Line " + lineNo + ": expected 'MATCH => ACTION'");
      }
      String match = trimmed.substring(0, arrow).strip();
      String action = trimmed.substring(arrow + 2).strip();
      Script.When when;
      if (match.equals("<any>")) {
        when = script.onAnyText();
      } else if (match.equals("<audio>")) {
        when = script.onAudio();
      } else if (match.startsWith("<tool:") && match.endsWith(">")) {
        when = script.onToolResponse(match.substring(6, match.length() - 1));
      } else if (match.startsWith("~")) {
        String part = match.substring(1).toLowerCase(java.util.Locale.ROOT);
        when = script.onText(t -> t.toLowerCase(java.util.Locale.ROOT).contains(part));
      } else {
        when = script.onText(match);
      }
      if (action.startsWith("call ")) {
        String rest = action.substring(5).strip();
        int space = rest.indexOf(' ');
        String name = space < 0 ? rest : rest.substring(0, space);
        Map<String, Object> callArgs = Map.of();
        if (space >= 0) {
          try {
            callArgs =
                Json.MAPPER.readValue(
                    rest.substring(space + 1), new TypeReference<Map<String, Object>>() {});
          } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Line " + lineNo + ": bad JSON arguments", e);
          }
        }
        when.callTool(name, callArgs);
      } else {
        when.reply(r -> r.say(action).text(action));
      }
    }
    return script;
  }
}
