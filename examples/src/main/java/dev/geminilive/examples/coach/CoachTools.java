package dev.geminilive.examples.coach;

import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolException;
import dev.geminilive.tools.ToolParam;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The career coach's five tools as one annotated handler over an in-memory store.
 *
 * <p>The declarations (names, descriptions, invocation conditions and parameters) are those of the
 * Live API guide's career-coach example. {@code schedule_appointment} declares {@code requires =
 * "get_available_appointments"}: the session refuses to run it (and tells the model why) until the
 * openings were fetched in this conversation.
 *
 * <p>Thread-safe: the session runs tool calls on its own threads while the application reads the
 * store.
 */
public final class CoachTools {
  /** A client profile. */
  public record Client(
      String id, String fullName, LocalDate dateOfBirth, String state, List<String> actionItems) {
    /** Copies the action items. */
    public Client {
      actionItems = List.copyOf(actionItems);
    }
  }

  /** A booked appointment. */
  public record Appointment(String clientId, LocalDateTime appointmentDatetime) {}

  private final AtomicInteger nextId = new AtomicInteger(1);
  private final Map<String, Client> clients = new ConcurrentHashMap<>();
  private final Map<String, Appointment> appointments = new ConcurrentHashMap<>();
  private final List<LocalDateTime> openings;

  /** Creates an empty store offering {@code openings}. */
  public CoachTools(List<LocalDateTime> openings) {
    this.openings = new ArrayList<>(openings);
  }

  /** All client profiles, in no particular order. */
  public List<Client> clients() {
    return List.copyOf(clients.values());
  }

  /** The client with this id, if any. */
  public Optional<Client> client(String id) {
    return Optional.ofNullable(clients.get(id));
  }

  /** The appointment booked for this client, if any. */
  public Optional<Appointment> appointment(String clientId) {
    return Optional.ofNullable(appointments.get(clientId));
  }

  /** The openings not booked yet. */
  public synchronized List<LocalDateTime> openings() {
    return List.copyOf(openings);
  }

  @LiveTool(
      name = "create_client_profile",
      description =
          "Creates a new client profile with their personal details. Returns a unique client ID.",
      invocationCondition =
          "Invoke this tool *only after* the client has provided their full name, date of birth,"
              + " AND state. This should only be called once at the beginning of the 'Intake'"
              + " step.")
  String createClientProfile(
      @ToolParam(name = "full_name", description = "The client's full name.") String fullName,
      @ToolParam(
              name = "date_of_birth",
              description = "The client's date of birth in YYYY-MM-DD format.")
          LocalDate dateOfBirth,
      @ToolParam(
              name = "state",
              description =
                  "The 2-letter postal abbreviation for the client's state (e.g., 'NY', 'CA').")
          String state) {
    String id = "client-" + nextId.getAndIncrement();
    clients.put(id, new Client(id, fullName, dateOfBirth, state, List.of()));
    return id;
  }

  @LiveTool(
      name = "add_action_items_to_profile",
      description =
          "Adds a list of actionable next steps to a client's profile using their client ID.",
      invocationCondition =
          "Invoke this tool *only after* a list of actionable next steps has been discussed and"
              + " agreed upon with the client during the main discussion phase. Requires the"
              + " `client_id` obtained from the start of the session.")
  void addActionItems(
      @ToolParam(
              name = "client_id",
              description = "The unique ID of the client, obtained from create_client_profile.")
          String clientId,
      @ToolParam(
              name = "action_items",
              description =
                  "A list of action items for the client (e.g., ['Update resume', 'Research"
                      + " three companies']).")
          List<String> actionItems) {
    clients.compute(
        clientId,
        (id, c) -> {
          if (c == null) {
            throw unknownClient(clientId);
          }
          List<String> items = new ArrayList<>(c.actionItems());
          items.addAll(actionItems);
          return new Client(c.id(), c.fullName(), c.dateOfBirth(), c.state(), items);
        });
  }

  @LiveTool(
      name = "get_next_appointment",
      description =
          "Checks if a client has a future appointment already scheduled using their client ID."
              + " Returns the appointment details or null.",
      invocationCondition =
          "Invoke this tool at the *start* of the 'Next Appointment' workflow step, immediately"
              + " after the main discussion phase is complete. This is used to check if an"
              + " appointment *already exists*.")
  @Nullable Appointment getNextAppointment(
      @ToolParam(name = "client_id", description = "The unique ID of the client.")
          String clientId) {
    requireClient(clientId);
    return appointments.get(clientId);
  }

  @LiveTool(
      name = "get_available_appointments",
      description = "Fetches a list of the next available appointment slots.",
      invocationCondition =
          "Invoke this tool *only if* the `get_next_appointment` tool was called and it returned"
              + " `null` (or an empty response), indicating no future appointment is scheduled.")
  List<LocalDateTime> getAvailableAppointments() {
    return openings();
  }

  @LiveTool(
      name = "schedule_appointment",
      description = "Books a new appointment for a client at a specific date and time.",
      invocationCondition =
          "Invoke this tool *only after* `get_available_appointments` has been called, a list of"
              + " openings has been presented to the client, and the client has *explicitly"
              + " confirmed* which specific date and time they want to book.",
      requires = "get_available_appointments")
  Appointment scheduleAppointment(
      @ToolParam(name = "client_id", description = "The unique ID of the client.") String clientId,
      @ToolParam(
              name = "appointment_datetime",
              description =
                  "The chosen appointment slot in ISO 8601 format (e.g., '2025-10-30T14:30:00').")
          LocalDateTime appointmentDatetime) {
    requireClient(clientId);
    synchronized (this) {
      if (!openings.remove(appointmentDatetime)) {
        // Written for the model: it can offer the remaining openings instead.
        throw new ToolException(
            "The slot " + appointmentDatetime + " is not available; offer one of " + openings);
      }
    }
    Appointment a = new Appointment(clientId, appointmentDatetime);
    appointments.put(clientId, a);
    return a;
  }

  private Client requireClient(String clientId) {
    Client c = clients.get(clientId);
    if (c == null) {
      throw unknownClient(clientId);
    }
    return c;
  }

  private static ToolException unknownClient(String clientId) {
    return new ToolException(
        "No client with id '" + clientId + "'. Call create_client_profile first.");
  }
}
