package dev.geminilive;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The result of running an {@link ExecutableCode} (a model-turn part {@code codeExecutionResult}).
 * Not the SDK's {@code com.google.genai.types.CodeExecutionResult}. Immutable and thread-safe.
 *
 * @param outcome how the run ended
 * @param output what the code printed, or the error when it failed; empty when not sent
 * @param id the id of the {@link ExecutableCode} it belongs to, or null when not sent
 * @since 0.1
 */
public record CodeExecutionResult(Outcome outcome, String output, @Nullable String id) {

  /** How a code run ended ({@code outcome}). */
  public enum Outcome {
    /** {@code OUTCOME_OK}: the code ran to completion. */
    OK,
    /** {@code OUTCOME_FAILED}: the code failed; {@link #output()} has the error. */
    FAILED,
    /** {@code OUTCOME_DEADLINE_EXCEEDED}: the code ran too long and was stopped. */
    DEADLINE_EXCEEDED,
    /** {@code OUTCOME_UNSPECIFIED}, absent, or a value this version does not know. */
    UNSPECIFIED
  }

  /**
   * Checks the fields.
   *
   * @param outcome how the run ended
   * @param output the output
   * @param id the id, or null
   */
  public CodeExecutionResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(output, "output");
  }
}
