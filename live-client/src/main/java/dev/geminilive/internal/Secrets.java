package dev.geminilive.internal;

import org.jspecify.annotations.Nullable;

/** Checks on API keys and tokens that never quote them. */
public final class Secrets {
  private Secrets() {}

  /**
   * What would keep a key or token from being sent as an HTTP header value, such as "a line feed
   * (U+000A) at its end", or null when nothing would. Keys and tokens are printable ASCII without
   * spaces; the answer names the character and its position, never any part of the value.
   */
  public static @Nullable String problem(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c > 0x20 && c < 0x7f) {
        continue;
      }
      String what =
          switch (c) {
            case '\n' -> "a line feed";
            case '\r' -> "a carriage return";
            case '\t' -> "a tab";
            case ' ' -> "a space";
            default -> c < 0x20 || c == 0x7f ? "a control character" : "a non-ASCII character";
          };
      String where =
          i == value.length() - 1
              ? "at its end"
              : i == 0 ? "at its start" : "at position " + (i + 1) + " of " + value.length();
      return what + " (U+" + String.format("%04X", (int) c) + ") " + where;
    }
    return null;
  }
}
