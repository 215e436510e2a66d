package dev.geminilive.testkit;

import java.util.Objects;

/**
 * One turn of a fake conversation as the fake model remembers it.
 *
 * @param role {@code "user"}, {@code "model"} or {@code "tool"}
 * @param text the turn as text: user text, an input transcript or {@code "[audio N ms]"}, the
 *     model's transcript and text, or {@code "name(args)"} / {@code "name -> response"} for tools
 * @since 0.1.0
 */
public record HistoryEntry(String role, String text) {
  /**
   * Validates the components.
   *
   * @param role {@code "user"}, {@code "model"} or {@code "tool"}
   * @param text the turn as text: user text, an input transcript or {@code "[audio N ms]"}, the
   *     model's transcript and text, or {@code "name(args)"} / {@code "name -> response"} for tools
   */
  public HistoryEntry {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(text, "text");
  }
}
