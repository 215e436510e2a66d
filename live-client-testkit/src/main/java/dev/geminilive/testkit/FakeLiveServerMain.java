package dev.geminilive.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.geminilive.testkit.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Runs a {@link FakeLiveServer} as a standalone process, e.g. for the JavaScript SDK or manual
 * tests.
 *
 * <p>Usage: {@code java -cp ... dev.geminilive.testkit.FakeLiveServerMain [--port=N] [--plain]
 * [--cert-out=FILE] [--script=FILE] [--api-key=KEY]} (a space works as well as {@code =}); {@code
 * --help} and {@code --version} say what they say. Prints exactly one line, {@code listening on
 * <base-url>}, to stdout and runs until killed. {@code --port 0} (the default) picks a free port;
 * {@code --cert-out} writes the PEM certificate clients must trust. A bad option, a bad value or a
 * script file that is missing or malformed prints one message to stderr and exits with code 2; a
 * server that cannot start (a taken port) exits with code 1. Neither prints a stack trace.
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
  /** The exit code of a bad command line (an option, a value or a script file). */
  static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;

  /** The exit code of a server that could not start. */
  static final int EXIT_FAILED = CommandLine.ExitCode.SOFTWARE;

  private static final String NAME = "FakeLiveServerMain";

  private FakeLiveServerMain() {}

  /**
   * Starts the server and blocks until the process is killed; exits with a non-zero code when the
   * command line is wrong or the server cannot start.
   *
   * @param args the command-line options
   */
  public static void main(String[] args) {
    CountDownLatch forever = new CountDownLatch(1);
    int code =
        run(
            args,
            System.out,
            System.err,
            server -> {
              Runtime.getRuntime()
                  .addShutdownHook(new Thread(server::close, "fake-live-server-shutdown"));
              forever.await();
            });
    if (code != 0) {
      System.exit(code);
    }
  }

  /** What to do with the running server; it is closed when this returns. */
  interface WhileRunning {
    void accept(FakeLiveServer server) throws Exception;
  }

  /**
   * Parses {@code args}, starts the server, prints the one {@code listening on} line, hands the
   * server to {@code whileRunning} and closes it afterwards.
   *
   * @return the exit code: 0, {@link #EXIT_USAGE} or {@link #EXIT_FAILED}
   */
  static int run(String[] args, PrintStream out, PrintStream err, WhileRunning whileRunning) {
    CommandLine cl = new CommandLine(new Options(out, whileRunning));
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cl.setParameterExceptionHandler(
        (e, ignored) -> {
          PrintWriter w = e.getCommandLine().getErr();
          w.println(NAME + ": " + e.getMessage());
          CommandLine.UnmatchedArgumentException.printSuggestions(e, w);
          w.println("Try '" + NAME + " --help' for the options.");
          return EXIT_USAGE;
        });
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof UncheckedIOException || e instanceof IllegalStateException) {
            cmd.getErr().println(NAME + ": " + e.getMessage());
            return EXIT_FAILED;
          }
          throw e; // a bug: the stack trace is what helps
        });
    return cl.execute(args);
  }

  @Command(
      name = NAME,
      mixinStandardHelpOptions = true,
      versionProvider = Version.class,
      sortOptions = false,
      usageHelpAutoWidth = true,
      description = {
        "Runs a fake Gemini Live API server on 127.0.0.1 until killed and prints one line,"
            + " 'listening on <base-url>'."
      },
      footer = {
        "",
        "A script file holds one rule per line, MATCH => ACTION (# starts a comment line):",
        "  hello => Hi, I'm Laura.                  text equal to 'hello' (any case)",
        "  ~book => call schedule_appointment {\"client_id\":\"c1\"}",
        "                                           text containing 'book': a tool call",
        "  <tool:schedule_appointment> => Booked.   the answer after that tool's response",
        "  <audio> => I heard you.                  any audio turn",
        "  <any> => Sorry, could you repeat that?   any other text turn",
        "Exit codes: 2 for a bad option, value or script file; 1 if the server cannot start."
      })
  private static final class Options implements Callable<Integer> {
    private final PrintStream out;
    private final WhileRunning whileRunning;

    @Spec private @Nullable CommandSpec spec;

    private int port;

    @Option(
        names = "--plain",
        order = 2,
        description = "Serve ws:// without TLS (default: wss:// with a self-signed certificate).")
    private boolean plain;

    @Option(
        names = "--api-key",
        order = 5,
        paramLabel = "KEY",
        description = "The API key the server accepts (default: ${DEFAULT-VALUE}).")
    private String apiKey = FakeLiveServer.DEFAULT_API_KEY;

    @Option(
        names = "--cert-out",
        order = 3,
        paramLabel = "FILE",
        description = "Write the server's certificate (PEM) to FILE for clients to trust.")
    private @Nullable Path certOut;

    @Option(
        names = "--script",
        order = 4,
        paramLabel = "FILE",
        description = "The fake model's rules (format below); default: echo every turn.")
    private @Nullable Path script;

    Options(PrintStream out, WhileRunning whileRunning) {
      this.out = out;
      this.whileRunning = whileRunning;
    }

    @Option(
        names = "--port",
        order = 1,
        paramLabel = "N",
        description = "The port on 127.0.0.1; 0 (the default) picks a free one.")
    void port(int port) {
      if (port < 0 || port > 65_535) {
        throw new ParameterException(
            commandLine(), "Invalid value for option '--port': " + port + " is not in 0..65535");
      }
      this.port = port;
    }

    @Override
    public Integer call() throws Exception {
      FakeLiveServer.Builder builder = FakeLiveServer.builder().port(port).plain(plain);
      builder.apiKey(apiKey);
      if (script != null) {
        builder.script(readScript(script));
      }
      if (plain && certOut != null) {
        throw new ParameterException(
            commandLine(), "--cert-out needs TLS: a --plain server has no certificate");
      }
      try (FakeLiveServer server = builder.build()) {
        if (certOut != null) {
          try {
            Files.writeString(certOut, server.certificatePem(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new ParameterException(
                commandLine(), "--cert-out: cannot write " + certOut + " (" + e + ")");
          }
        }
        out.println("listening on " + server.baseUrl());
        out.flush();
        whileRunning.accept(server);
      }
      return 0;
    }

    private Script readScript(Path file) {
      List<String> lines;
      try {
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new ParameterException(commandLine(), "--script: no such file: " + file);
      } catch (IOException e) {
        throw new ParameterException(
            commandLine(), "--script: cannot read " + file + " (" + e + ")");
      }
      try {
        return parseScript(lines);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(commandLine(), "--script " + file + ": " + e.getMessage());
      }
    }

    private CommandLine commandLine() {
      if (spec == null) {
        throw new IllegalStateException("picocli did not inject the command spec");
      }
      return spec.commandLine();
    }
  }

  /** The testkit's version, from the build. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = FakeLiveServerMain.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {
        NAME + " (Gemini Live for Java testkit) " + p.getProperty("version", "unknown")
      };
    }
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
        throw new IllegalArgumentException("line " + lineNo + ": expected 'MATCH => ACTION'");
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
        String part = match.substring(1).toLowerCase(Locale.ROOT);
        when = script.onText(t -> t.toLowerCase(Locale.ROOT).contains(part));
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
            callArgs = Json.readMap(rest.substring(space + 1));
          } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                "line " + lineNo + ": the arguments of 'call " + name + "' are not a JSON object",
                e);
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
