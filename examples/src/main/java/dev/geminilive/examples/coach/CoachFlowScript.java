package dev.geminilive.examples.coach;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.flow.Flow;
import dev.geminilive.testkit.Reply;
import dev.geminilive.testkit.Script;
import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The fake model's side of the offline career-coach call run as a {@link CoachFlow}: the same
 * conversation as {@link CoachScript}, with the model moving the flow on by itself where the flow
 * asks for {@value Flow#NEXT_STEP_TOOL} (after the discussion, with a summary), and one {@code
 * goAway} in the discussion.
 *
 * <p>The script runs on the fake server's thread; its state is only touched there.
 */
final class CoachFlowScript implements Consumer<Script> {
  /** What the scripted client says, in order: the lines of {@link CoachScript}. */
  static final List<String> CLIENT_LINES = CoachScript.CLIENT_LINES;

  /** The summary the fake model gives when it leaves the discussion. */
  static final String SUMMARY =
      "Maya, a marketing analyst for six years, wants to move into product management and"
          + " worries it is too late; she plans to rewrite her resume and talk to two product"
          + " managers.";

  private static final DateTimeFormatter SLOT =
      DateTimeFormatter.ofPattern("EEEE, MMMM d 'at' h:mm a", Locale.US);

  private final boolean goAway;
  private final boolean eagerBooking;

  // Server thread only.
  private String clientId = "";
  private List<LocalDateTime> openings = List.of();

  /** The offline call's script: one {@code goAway} in the discussion, nothing out of order. */
  CoachFlowScript() {
    this(true, false);
  }

  /**
   * A variant.
   *
   * @param goAway whether the fake service sends a {@code goAway} in the discussion
   * @param eagerBooking whether the model tries {@code schedule_appointment} during intake, as an
   *     over-eager model might (the flow refuses it; the model then does the intake)
   */
  CoachFlowScript(boolean goAway, boolean eagerBooking) {
    this.goAway = goAway;
    this.eagerBooking = eagerBooking;
  }

  @Override
  public void accept(Script s) {
    s.onText(CoachScript.GREETING)
        .say(
            "Hi, I'm Laura, a career coach from Brooklyn. I bring numbers, not platitudes. To get"
                + " you set up: what's your full name, your date of birth, and the state you're"
                + " calling from?")
        .onText(t -> t.equals(CLIENT_LINES.get(0)))
        .reply(
            r -> {
              if (eagerBooking) {
                r.callTool(
                    "schedule_appointment",
                    Map.of("client_id", "", "appointment_datetime", "2026-11-26T14:30:00"));
              } else {
                createProfile(r);
              }
            })
        .onToolResponse("create_client_profile")
        .reply(
            (turn, r) -> {
              clientId = turn.toolResult().path("output").asText();
              r.say("Thanks, Maya, you're all set. So, what's on your mind today?");
            })
        .onText(t -> t.equals(CLIENT_LINES.get(CoachScript.GO_AWAY_AFTER_LINE)))
        .reply(
            r ->
                withGoAway(
                        r.say(
                            "Too late? The numbers disagree. The Bureau of Labor Statistics finds"
                                + " people hold about a dozen jobs between 18 and 56, and more"
                                + " than half of them start after 24."))
                    .say(
                        "Six years of analytics is exactly the evidence product teams ask for."
                            + " What would a first step look like for you?"))
        .onText(t -> t.equals(CLIENT_LINES.get(2)))
        .callTool(Flow.NEXT_STEP_TOOL, Map.of("summary", SUMMARY))
        .onToolResponse(Flow.NEXT_STEP_TOOL)
        .reply(
            (turn, r) ->
                r.say("Love it. Let me put those on your profile.")
                    .callTool(
                        "add_action_items_to_profile",
                        Map.of(
                            "client_id",
                            clientId,
                            "action_items",
                            List.of(
                                "Rewrite resume around analytics wins",
                                "Talk to two product managers at work this month"))))
        .onToolResponse("add_action_items_to_profile")
        .reply(
            (turn, r) ->
                r.say(
                        "Both are on your profile. Let me check whether you already have a"
                            + " follow-up booked.")
                    .callTool("get_next_appointment", Map.of("client_id", clientId)))
        .onToolResponse("get_next_appointment")
        .reply(
            (turn, r) -> {
              JsonNode output = turn.toolResult().path("output");
              if (output.isMissingNode() || output.isNull() || output.isEmpty()) {
                r.say("Nothing on the calendar yet. Let me pull up some openings.")
                    .callTool("get_available_appointments", Map.of());
              } else {
                r.say("You already have a session booked; see you then!");
              }
            })
        .onToolResponse("get_available_appointments")
        .reply(
            (turn, r) -> {
              openings = parseSlots(turn.toolResult().path("output"));
              List<String> said = new ArrayList<>();
              openings.forEach(o -> said.add(SLOT.format(o)));
              r.say("I have " + String.join("; ", said) + ". Which works best for you?");
            })
        .onText(t -> t.equals(CLIENT_LINES.get(3)))
        .reply(
            (turn, r) ->
                r.callTool(
                    "schedule_appointment",
                    Map.of(
                        "client_id",
                        clientId,
                        "appointment_datetime",
                        thursdayAfternoon(openings).toString())))
        .onToolResponse("schedule_appointment")
        .reply(
            (turn, r) -> {
              if (turn.toolStatus().isPresent()) {
                // Refused: booking belongs to a later step. Do the intake first.
                r.say("First things first: let me set up your profile.");
                createProfile(r);
                return;
              }
              JsonNode output = turn.toolResult().path("output");
              String when =
                  output.has("appointmentDatetime")
                      ? SLOT.format(LocalDateTime.parse(output.get("appointmentDatetime").asText()))
                      : "your chosen slot";
              r.say(
                  "You're booked for "
                      + when
                      + ". Bring one resume bullet you're proud of and we'll sharpen it.");
            })
        .onText(t -> t.equals(CLIENT_LINES.get(4)))
        .say("Bye, Maya. Go get that product role.");
  }

  private static void createProfile(Reply r) {
    r.callTool(
        "create_client_profile",
        Map.of("full_name", "Maya Chen", "date_of_birth", "1991-03-14", "state", "NY"));
  }

  private Reply withGoAway(Reply r) {
    return goAway ? r.goAway(CoachScript.GO_AWAY_TIME_LEFT) : r;
  }

  private static List<LocalDateTime> parseSlots(JsonNode output) {
    List<LocalDateTime> slots = new ArrayList<>();
    for (JsonNode slot : output) {
      slots.add(LocalDateTime.parse(slot.asText()));
    }
    return List.copyOf(slots);
  }

  private static LocalDateTime thursdayAfternoon(List<LocalDateTime> openings) {
    return openings.stream()
        .filter(o -> o.getDayOfWeek() == DayOfWeek.THURSDAY && o.getHour() == 14)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no Thursday 14:30 opening in " + openings));
  }
}
