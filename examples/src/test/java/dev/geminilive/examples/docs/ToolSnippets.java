package dev.geminilive.examples.docs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.LiveListener;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolBehavior;
import dev.geminilive.tools.ToolContext;
import dev.geminilive.tools.ToolDefinition;
import dev.geminilive.tools.ToolException;
import dev.geminilive.tools.ToolParam;
import dev.geminilive.tools.ToolResult;
import dev.geminilive.tools.ToolScheduling;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Compiled sources of docs/tools.md; {@link ToolSnippetsTest} runs them. */
final class ToolSnippets {
  private ToolSnippets() {}

  // snippet:tool-types
  enum Seniority {
    JUNIOR,
    MID,
    SENIOR
  }

  record JobSearch(String title, Seniority seniority, List<String> cities) {}

  record Job(String id, String title, String city, LocalDate posted) {}

  // end:tool-types

  static final class JobTools {
    private final List<Job> jobs;

    JobTools(List<Job> jobs) {
      this.jobs = jobs;
    }

    // snippet:tool-basic
    @LiveTool(
        name = "find_jobs",
        description = "Finds open positions matching a search. Returns at most `limit` jobs.",
        invocationCondition = "Only after the client said which role they are looking for.")
    List<Job> findJobs(
        @ToolParam(description = "What to search for.") JobSearch search,
        @ToolParam(description = "Only jobs posted on or after this day.")
            Optional<LocalDate> postedSince,
        @ToolParam(name = "limit", description = "How many jobs to return (1-20).") int limit) {
      return jobs.stream()
          .filter(j -> j.title().contains(search.title()))
          .filter(j -> search.cities().isEmpty() || search.cities().contains(j.city()))
          .filter(j -> postedSince.map(d -> !j.posted().isBefore(d)).orElse(true))
          .limit(limit)
          .toList();
    }

    // end:tool-basic

    // snippet:tool-error
    @LiveTool(name = "apply_to_job", description = "Applies to a job for the client.")
    String apply(@ToolParam(name = "job_id", description = "The job's id.") String jobId) {
      if (jobs.stream().noneMatch(j -> j.id().equals(jobId))) {
        // Sent to the model verbatim as {"error": "..."}: write it for the model, no secrets.
        throw new ToolException("No job with id " + jobId + ". Call find_jobs first.");
      }
      return "applied";
    }

    // end:tool-error

    // snippet:tool-context
    @LiveTool(
        name = "compare_salaries",
        description = "Compares salary data for a role across cities; may take a few seconds.",
        timeoutMillis = 10_000)
    CompletionStage<Map<String, Integer>> compareSalaries(
        @ToolParam(description = "The role.") String role, ToolContext context) {
      CompletableFuture<Map<String, Integer>> result = new CompletableFuture<>();
      // Stop the slow lookup when the model cancels the call, it times out or the session closes.
      context.cancellation().thenRun(() -> result.cancel(true));
      result.complete(Map.of("Brooklyn", 98_000, "Austin", 91_000));
      return result;
    }

    // end:tool-context

    // snippet:tool-requires
    @LiveTool(
        name = "schedule_appointment",
        description = "Books a new appointment for a client at a specific date and time.",
        requires = "get_available_appointments") // enforced by the session, not only prompted
    String schedule(
        @ToolParam(name = "client_id", description = "The client's id.") String clientId,
        @ToolParam(name = "appointment_datetime", description = "ISO 8601 local date-time.")
            LocalDateTime at) {
      return "booked " + at;
    }

    // end:tool-requires

    @LiveTool(name = "get_available_appointments", description = "Lists openings.")
    List<LocalDateTime> openings() {
      return List.of(LocalDateTime.of(2026, 12, 3, 14, 30));
    }
  }

  /** Only for models with asynchronous function calling (not gemini-3.1-flash-live-preview). */
  static final class FollowUpTools {
    // snippet:tool-non-blocking
    @LiveTool(
        name = "send_summary_email",
        description = "Emails the client a summary of the session.",
        behavior = ToolBehavior.NON_BLOCKING, // the model keeps talking meanwhile
        scheduling = ToolScheduling.WHEN_IDLE)
    ToolResult sendSummary(@ToolParam(name = "client_id") String clientId) {
      return ToolResult.of(Map.of("sent", true)).scheduling(ToolScheduling.SILENT);
    }
    // end:tool-non-blocking
  }

  static ToolDefinition programmatic() {
    // snippet:tool-definition
    ToolDefinition weather =
        ToolDefinition.builder("get_weather")
            .description("Current weather in a city.")
            .parameters(
                Map.of(
                    "type", "object",
                    "properties", Map.of("city", Map.of("type", "string")),
                    "required", List.of("city")))
            .timeout(Duration.ofSeconds(5))
            .handler((JsonNode args, ToolContext ctx) -> Map.of("city", args.get("city").asText()))
            .build();
    // end:tool-definition
    return weather;
  }

  static LiveListener observer() {
    // snippet:tool-observe
    return new LiveListener() {
      @Override
      public void onToolCall(ResilientLiveSession s, ToolCallEvent call) {
        System.out.println("-> " + call.name() + " " + call.args());
      }

      @Override
      public void onToolResult(ResilientLiveSession s, ToolCallEvent call, JsonNode result) {
        System.out.println("<- " + call.name() + " " + result); // {"output": ...} or {"error": ...}
      }
    };
    // end:tool-observe
  }
}
