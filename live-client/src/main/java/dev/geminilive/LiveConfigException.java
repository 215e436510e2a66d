package dev.geminilive;

/**
 * A session description the chosen model or endpoint cannot run, found before anything is sent.
 *
 * <p>Thrown by {@code LiveSessionBuilder.build()}. {@link #field()} names the setting at fault, and
 * the message says how to fix it.
 *
 * @since 0.1
 */
public final class LiveConfigException extends LiveException {
  private static final long serialVersionUID = 1L;

  /** The builder setting at fault. */
  private final String field;

  /**
   * Creates the exception.
   *
   * @param field the builder setting at fault, for example {@code "thinkingBudget"}
   * @param message what is wrong and what to change
   */
  public LiveConfigException(String field, String message) {
    super(message);
    this.field = field;
  }

  /**
   * The builder setting at fault, for example {@code "responseModality"}.
   *
   * @return the name of the builder setting, as in {@link LiveSessionBuilder}
   */
  public String field() {
    return field;
  }
}
