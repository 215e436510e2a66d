package dev.geminilive.it;

import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolContext;
import dev.geminilive.tools.ToolParam;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** The five career-coach tools over an in-memory store, plus a slow tool for timing tests. */
public class CoachStore {
  record Profile(String id, String fullName, LocalDate dateOfBirth, String state) {}

  final Map<String, Profile> profiles = new ConcurrentHashMap<>();
  final Map<String, List<String>> actionItems = new ConcurrentHashMap<>();
  final Map<String, LocalDateTime> booked = new ConcurrentHashMap<>();
  final AtomicInteger scheduleCalls = new AtomicInteger();
  final AtomicInteger slowCalls = new AtomicInteger();
  final CountDownLatch slowStarted = new CountDownLatch(1);
  final CountDownLatch slowCancelled = new CountDownLatch(1);
  volatile long slowMillis = 300;

  @LiveTool(
      name = "create_client_profile",
      description = "Creates a new client profile. Returns a unique client ID.",
      invocationCondition = "Only after full name, date of birth AND state were given.")
  public String createProfile(
      @ToolParam(name = "full_name", description = "Full name") String fullName,
      @ToolParam(name = "date_of_birth", description = "Date of birth") LocalDate dateOfBirth,
      @ToolParam(description = "2-letter state code") String state) {
    String id = "client-" + (profiles.size() + 1);
    profiles.put(id, new Profile(id, fullName, dateOfBirth, state));
    return id;
  }

  @LiveTool(
      name = "add_action_items_to_profile",
      description = "Adds action items to a client's profile.")
  public void addActionItems(
      @ToolParam(name = "client_id", description = "Client id") String clientId,
      @ToolParam(name = "action_items", description = "Items") List<String> items) {
    actionItems.computeIfAbsent(clientId, k -> new ArrayList<>()).addAll(items);
  }

  @LiveTool(name = "get_next_appointment", description = "The next booked appointment or null.")
  public @Nullable LocalDateTime nextAppointment(
      @ToolParam(name = "client_id", description = "Client id") String clientId) {
    return booked.get(clientId);
  }

  @LiveTool(name = "get_available_appointments", description = "Open slots.")
  public List<LocalDateTime> availableAppointments() {
    return List.of(LocalDateTime.parse("2025-10-30T14:30:00"));
  }

  @LiveTool(
      name = "schedule_appointment",
      description = "Books a slot.",
      requires = "get_available_appointments")
  public String schedule(
      @ToolParam(name = "client_id", description = "Client id") String clientId,
      @ToolParam(name = "appointment_datetime", description = "ISO 8601 slot") LocalDateTime slot) {
    scheduleCalls.incrementAndGet();
    booked.put(clientId, slot);
    return "booked";
  }

  @LiveTool(name = "slow_lookup", description = "A lookup that takes a while.")
  public String slowLookup(@ToolParam(description = "query") String query, ToolContext context)
      throws InterruptedException {
    slowCalls.incrementAndGet();
    slowStarted.countDown();
    try {
      // Takes slowMillis unless cancelled first: waits on the cancellation itself, not a timer
      // loop.
      context.cancellation().toCompletableFuture().get(slowMillis, TimeUnit.MILLISECONDS);
      sawCancellation();
      return "cancelled";
    } catch (TimeoutException e) {
      return "result for " + query;
    } catch (ExecutionException e) {
      sawCancellation();
      return "cancelled";
    } catch (InterruptedException e) {
      sawCancellation();
      throw e;
    }
  }

  private void sawCancellation() {
    slowCancelled.countDown();
  }
}
