package dev.geminilive;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Code the model wrote for the code execution tool to run (a model-turn part {@code
 * executableCode}). Its result follows as a {@link CodeExecutionResult}. Some models also send a
 * function call rendered as code here; it is for display, the session runs tools from {@code
 * toolCall} only. Not the SDK's {@code com.google.genai.types.ExecutableCode}. Immutable and
 * thread-safe.
 *
 * @param language the language ({@code PYTHON}), empty when not sent
 * @param code the source code
 * @param id the part's id linking it to its result, or null when not sent
 * @since 0.1
 */
public record ExecutableCode(String language, String code, @Nullable String id) {
  /**
   * Checks the fields.
   *
   * @param language the language
   * @param code the source code
   * @param id the id, or null
   */
  public ExecutableCode {
    Objects.requireNonNull(language, "language");
    Objects.requireNonNull(code, "code");
  }
}
