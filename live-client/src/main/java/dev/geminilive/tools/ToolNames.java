package dev.geminilive.tools;

import java.util.Objects;

/** The check that a tool name is one the Gemini API takes ({@link ToolDefinition#NAME_PATTERN}). */
final class ToolNames {
  private ToolNames() {}

  /**
   * {@return {@code name}, when it matches {@link ToolDefinition#NAME_PATTERN}}
   *
   * @param what what the name is, for the message ({@code "tool name"})
   * @throws IllegalArgumentException saying what a valid name looks like
   */
  static String check(String name, String what) {
    Objects.requireNonNull(name, what);
    if (!ToolDefinition.NAME_PATTERN.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Invalid "
              + what
              + " '"
              + name
              + "': must start with a letter or underscore and contain only letters, digits,"
              + " '_', '.', ':' or '-', at most 64 characters");
    }
    return name;
  }
}
