package dev.geminilive.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The examples' command lines, parsed with picocli: {@code --help} and {@code --version}, {@code
 * --opt=value} as well as {@code --opt value}, and one clear line for a bad option or value (exit
 * code {@value #EXIT_USAGE}, no stack trace).
 *
 * <p>An example declares its options as a picocli {@code @Command} class with {@code
 * mixinStandardHelpOptions = true} and {@code versionProvider = ExampleCommandLine.Version.class},
 * then calls {@link #parse} first thing in its {@code run} method. Checks of a value (a range, a
 * file that must exist) belong in the option's setter method, which throws picocli's {@code
 * ParameterException}: it is reported like any other bad value. Thread-safe (no shared state).
 */
public final class ExampleCommandLine {
  /** The exit code of a bad command line (an unknown option, a bad or missing value or file). */
  public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;

  private ExampleCommandLine() {}

  /**
   * Parses {@code args} into {@code options} (a picocli {@code @Command} object).
   *
   * @param options the annotated options object; its fields receive the values
   * @param args the command line
   * @param out where {@code --help} and {@code --version} print
   * @param err where errors print
   * @return empty to go on with the parsed options; otherwise the code to exit with (0 after help
   *     or the version was printed, {@link #EXIT_USAGE} after an error was)
   */
  public static OptionalInt parse(Object options, String[] args, PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(options);
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    try {
      if (CommandLine.printHelpIfRequested(cl.parseArgs(args))) {
        return OptionalInt.of(0);
      }
      return OptionalInt.empty();
    } catch (ParameterException e) {
      return OptionalInt.of(usageError(e));
    }
  }

  private static int usageError(ParameterException e) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    String name = cl.getCommandName();
    err.println(name + ": " + e.getMessage());
    err.println("Try '" + name + " --help' for the options.");
    return EXIT_USAGE;
  }

  /** The examples' version, from the build; the {@code versionProvider} of every example. */
  public static final class Version implements CommandLine.IVersionProvider {
    /** Creates the provider; picocli does. */
    public Version() {}

    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = ExampleCommandLine.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {
        "${COMMAND-NAME} (Gemini Live for Java examples) " + p.getProperty("version", "unknown")
      };
    }
  }
}
