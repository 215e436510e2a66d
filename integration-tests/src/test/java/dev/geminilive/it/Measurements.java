package dev.geminilive.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Numbers that tests observe (detection times, reconnect gaps), appended to {@code
 * target/measurements.txt} for the record. Tests never assert on them beyond generous bounds.
 */
final class Measurements {
  private Measurements() {}

  static synchronized void record(String name, long value) {
    try {
      Files.writeString(
          Path.of("target", "measurements.txt"),
          name + " " + value + System.lineSeparator(),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
