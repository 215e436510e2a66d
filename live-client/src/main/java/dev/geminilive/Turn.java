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

  /** Checks the arguments. */
  public Turn {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(text, "text");
  }

  /** A user turn. */
  public static Turn user(String text) {
    return new Turn(Role.USER, text);
  }

  /** A model turn. */
  public static Turn model(String text) {
    return new Turn(Role.MODEL, text);
  }
}
