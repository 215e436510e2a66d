package dev.geminilive.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Stand-ins for stdin, stdout and stderr of an example's {@code run} method, for assertions. */
public final class Console {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
  private final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

  /** The standard input: empty. */
  public InputStream in() {
    return InputStream.nullInputStream();
  }

  /** The standard output. */
  public PrintStream out() {
    return outStream;
  }

  /** The standard error. */
  public PrintStream err() {
    return errStream;
  }

  /** What was printed to the standard output so far. */
  public String printed() {
    return out.toString(StandardCharsets.UTF_8);
  }

  /** What was printed to the standard error so far. */
  public String errors() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** Asserts a command-line error: one message, nothing on stdout, no stack trace. */
  public void assertUsageErrorWithoutStackTrace(String name) {
    assertThat(errors())
        .startsWith(name + ": ")
        .contains("Try '" + name + " --help'")
        .doesNotContain("Exception", "\tat ");
    assertThat(printed()).isEmpty();
  }

  /** Asserts {@code --help} output: the usage line and the standard options, nothing on stderr. */
  public void assertHelp(String name, String... options) {
    assertThat(printed())
        .startsWith("Usage: " + name)
        .contains("--help", "--version")
        .contains(options);
    assertThat(errors()).isEmpty();
  }

  /** Asserts {@code --version} output. */
  public void assertVersion(String name) {
    assertThat(printed())
        .startsWith(name + " (Gemini Live for Java examples) ")
        .containsPattern("\\d+\\.\\d+\\.\\d+");
    assertThat(errors()).isEmpty();
  }
}
