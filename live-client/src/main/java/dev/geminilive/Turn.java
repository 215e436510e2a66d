package dev.geminilive;

import java.util.Objects;

/**
 * One turn of conversation history, used to seed a session ({@link LiveSessionBuilder#history}) or
 * to rebuild one when its resumption handle was refused.
 *
 * @param role who spoke
 * @param text what was said
 * @since 0.1
 */
public record Turn(Role role, String text) {
  /** Who spoke a turn. */
  public enum Role {
    /** The user. */
    USER,
    /** The model. */
    MODEL
  }

  /**
   * Checks the arguments.
   *
   * @param role who spoke
   * @param text what was said
   */
  public Turn {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(text, "text");
  }

  /**
   * A user turn.
   *
   * @param text the user's words
   * @return a turn with role {@code user}
   */
  public static Turn user(String text) {
    return new Turn(Role.USER, text);
  }

  /**
   * A model turn.
   *
   * @param text the model's words
   * @return a turn with role {@code model}
   */
  public static Turn model(String text) {
    return new Turn(Role.MODEL, text);
  }
}
