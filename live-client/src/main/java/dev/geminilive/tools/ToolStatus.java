package dev.geminilive.tools;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An informative tool answer for when there is nothing to return: what happened ({@code status}),
 * whether calling again can help ({@code retryable}), how ({@code retry_hint}) and which values
 * would work ({@code valid_options}). The 3.8 models' guide asks for this shape: given an empty
 * answer ({@code []}, {@code null}) the model sweeps, calling the tool two to five times with
 * varied arguments before it answers; told {@code no_results} and {@code retryable: false}, it says
 * so at once.
 *
 * <pre>{@code
 * @LiveTool(description = "Finds open appointment slots on a day.")
 * Object slots(LocalDate day) {
 *   List<Slot> open = calendar.open(day);
 *   return open.isEmpty()
 *       ? ToolStatus.noResultsInRange("Try the next seven days, or another coach.")
 *       : open;
 * }
 * }</pre>
 *
 * <p>Its JSON form ({@link #toJson()}, and what a handler's returned {@code ToolStatus} is sent as
 * under {@code output}) is {@code {"status": "no_results", "retryable": false, "retry_hint": "...",
 * "valid_options": [...], "message": "..."}}, without the fields that are not set. Immutable and
 * thread-safe.
 *
 * @param status what happened, in snake case, such as {@value #NO_RESULTS}
 * @param retryable whether calling the tool again (with other arguments) can help
 * @param retryHint how to call again, for the model; null for none
 * @param validOptions the values an argument may take; empty for none
 * @param message more for the model, such as which argument was wrong; null for none
 * @since 0.1
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"status", "retryable", "retry_hint", "valid_options", "message"})
public record ToolStatus(
    @JsonProperty("status") String status,
    @JsonProperty("retryable") @JsonInclude(JsonInclude.Include.ALWAYS) boolean retryable,
    @JsonProperty("retry_hint") @Nullable String retryHint,
    @JsonProperty("valid_options") List<String> validOptions,
    @JsonProperty("message") @Nullable String message) {

  /** Nothing matches, and calling again will not change that. */
  public static final String NO_RESULTS = "no_results";

  /** Nothing in the range asked for; a wider or other range may have some. */
  public static final String NO_RESULTS_IN_RANGE = "no_results_in_range";

  /** An argument is not one the tool takes; {@link #validOptions()} says which would be. */
  public static final String INVALID_ARGUMENT = "invalid_argument";

  /** The tool failed; {@link #retryable()} says whether trying again may work. */
  public static final String ERROR = "error";

  /** The tool did not answer in time. */
  public static final String TIMEOUT = "timeout";

  /**
   * No tool of that name is declared (any more); {@link #validOptions()} names the tools there are.
   * The library answers with it, without running a handler.
   */
  public static final String UNKNOWN_TOOL = "unknown_tool";

  /**
   * The tool needs another one to have succeeded first ({@code requires}); {@link #retryHint()}
   * says which. The library answers with it, without running the handler.
   */
  public static final String PRECONDITION_FAILED = "precondition_failed";

  /**
   * Checks the arguments and copies the options.
   *
   * @param status what happened, lower snake case
   * @param retryable whether calling again can help
   * @param retryHint how to call again, or null
   * @param validOptions the values that would work
   * @param message more for the model, or null
   */
  public ToolStatus {
    Objects.requireNonNull(status, "status");
    if (!status.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException(
          "status must be lower snake case, such as no_results: " + status);
    }
    validOptions = List.copyOf(validOptions);
  }

  /**
   * Nothing matches and calling again will not help: the model should say so instead of trying
   * other arguments.
   *
   * @param message what was looked for, for the model, such as {@code "No client named Maya
   *     Chen."}; null for none
   * @return the status
   */
  public static ToolStatus noResults(@Nullable String message) {
    return new ToolStatus(NO_RESULTS, false, null, List.of(), message);
  }

  /**
   * Nothing in the range asked for; calling again with a wider or another range may find some.
   *
   * @param retryHint how to widen the search, for the model, such as {@code "Try the next seven
   *     days."}
   * @return the status, retryable
   */
  public static ToolStatus noResultsInRange(String retryHint) {
    return new ToolStatus(
        NO_RESULTS_IN_RANGE, true, Objects.requireNonNull(retryHint, "retryHint"), List.of(), null);
  }

  /**
   * An argument the tool does not take, with the values it does: the model can call again with one
   * of them (or ask the user).
   *
   * @param argument the argument's name
   * @param validOptions the values the argument may take
   * @return the status, retryable
   */
  public static ToolStatus invalidArgument(String argument, Collection<String> validOptions) {
    Objects.requireNonNull(argument, "argument");
    List<String> options = new ArrayList<>(Objects.requireNonNull(validOptions, "validOptions"));
    return new ToolStatus(
        INVALID_ARGUMENT,
        true,
        options.isEmpty()
            ? "Call again with a valid " + argument + "."
            : "Call again with " + argument + " set to one of valid_options.",
        options,
        "'" + argument + "' is not valid.");
  }

  /**
   * A failure, retryable or not.
   *
   * @param message what went wrong, for the model; keep secrets out of it
   * @param retryable whether trying again may work
   * @return the status
   */
  public static ToolStatus error(String message, boolean retryable) {
    return new ToolStatus(
        ERROR, retryable, null, List.of(), Objects.requireNonNull(message, "message"));
  }

  /**
   * A copy with this hint.
   *
   * @param hint how to call again, for the model
   * @return the copy
   */
  public ToolStatus withRetryHint(String hint) {
    return new ToolStatus(
        status, retryable, Objects.requireNonNull(hint, "hint"), validOptions, message);
  }

  /**
   * A copy with these options.
   *
   * @param options the values an argument may take
   * @return the copy
   */
  public ToolStatus withValidOptions(Collection<String> options) {
    return new ToolStatus(status, retryable, retryHint, List.copyOf(options), message);
  }

  /** {@return the JSON form, as the model reads it, with only the fields that are set} */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("status", status);
    json.put("retryable", retryable);
    if (retryHint != null) {
      json.put("retry_hint", retryHint);
    }
    if (!validOptions.isEmpty()) {
      json.put("valid_options", validOptions);
    }
    if (message != null) {
      json.put("message", message);
    }
    return json;
  }
}
