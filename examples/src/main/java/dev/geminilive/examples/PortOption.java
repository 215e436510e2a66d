package dev.geminilive.examples;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code --port=N} option of the examples that listen (a picocli mixin: {@code @Mixin
 * PortOption port;}). A value outside 0 to 65535 is a bad value. Not thread-safe (one parse).
 */
public final class PortOption {
  @Spec(Spec.Target.MIXEE)
  private @Nullable CommandSpec command;

  private @Nullable Integer port;

  /** Creates the option; picocli fills it in. */
  public PortOption() {}

  @Option(
      names = "--port",
      paramLabel = "N",
      description =
          "The port on 127.0.0.1 (default: the one below with GEMINI_API_KEY, any free port for"
              + " the offline demonstration).")
  void port(int port) {
    if (port < 0 || port > 65_535) {
      throw new ParameterException(
          Objects.requireNonNull(command, "picocli injects the command").commandLine(),
          "Invalid value for option '--port': " + port + " is not in 0..65535");
    }
    this.port = port;
  }

  /**
   * The port given on the command line.
   *
   * @return the port, or empty when {@code --port} was not given
   */
  public Optional<Integer> port() {
    return Optional.ofNullable(port);
  }
}
