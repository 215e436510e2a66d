package dev.geminilive.examples.coach;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.testkit.Reply;
import dev.geminilive.testkit.Script;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The fake model's side of the offline career-coach call: a {@link Script} for the testkit's fake
 * server that plays Laura through the whole flow of the Live API guide (greeting, intake, {@code
 * create_client_profile}, discussion, {@code add_action_items_to_profile}, {@code
 * get_next_appointment}, {@code get_available_appointments}, {@code schedule_appointment},
 * goodbye), and sends one {@code goAway} in the middle of the call.
 *
 * <p>Like a real model, it reads the client id and the openings from the tool results it gets back.
 * The script runs on the fake server's thread; its state is only touched there.
 */
final class CoachScript implements Consumer<Script> {
  /** The greeting prompt the session sends; the fake model answers it with the introduction. */
  static final String GREETING = CareerCoach.GREETING;

  /** What the scripted client says, in order; each line is sent after the previous turn ends. */
  static final List<String> CLIENT_LINES =
      List.of(
          "Hi Laura! I'm Maya Chen, born March 14, 1991, and I'm calling from New York.",
          "I've been a marketing analyst for six years and I feel stuck. I want to move into"
              + " product management, but I worry I'm too late.",
          "That helps. I'd like to rewrite my resume around my analytics wins and talk to two"
              + " product managers at my company this month.",
          "Thursday at 2:30 works for me.",
          "Perfect. Thanks, Laura, bye!");

  /** The line after which the fake service announces the end of the connection. */
  static final int GO_AWAY_AFTER_LINE = 1;

  /** The notice the fake service gives in its {@code goAway}. */
  static final Duration GO_AWAY_TIME_LEFT = Duration.ofSeconds(10);

  private static final DateTimeFormatter SLOT =
      DateTimeFormatter.ofPattern("EEEE, MMMM d 'at' h:mm a", Locale.US);

  private final Memory memory = new Memory();

  @Override
  public void accept(Script s) {
    s.onText(GREETING)
        .say(
            "Hi, I'm Laura, a career coach from Brooklyn. I bring numbers, not platitudes. To get"
                + " you set up: what's your full name, your date of birth, and the state you're"
                + " calling from?")
        .onText(t -> t.equals(CLIENT_LINES.get(0)))
        .callTool(
            "create_client_profile",
            Map.of("full_name", "Maya Chen", "date_of_birth", "1991-03-14", "state", "NY"))
        .onToolResponse("create_client_profile")
        .reply(
            (turn, r) -> {
              memory.clientId = turn.toolResult().path("output").asText();
              r.say("Thanks, Maya, you're all set. So, what's on your mind today?");
            })
        .onText(t -> t.equals(CLIENT_LINES.get(GO_AWAY_AFTER_LINE)))
        .reply(
            r ->
                r.say(
                        "Too late? The numbers disagree. The Bureau of Labor Statistics finds"
                            + " people hold about a dozen jobs between 18 and 56, and more than"
                            + " half of them start after 24.")
                    .goAway(GO_AWAY_TIME_LEFT)
                    .say(
                        "Six years of analytics is exactly the evidence product teams ask for."
                            + " Where I grew up in Brooklyn, people reinvent themselves every"
                            + " decade. What would a first step look like for you?"))
        .onText(t -> t.equals(CLIENT_LINES.get(2)))
        .reply(
            (turn, r) ->
                r.callTool(
                    "add_action_items_to_profile",
                    Map.of(
                        "client_id",
                        memory.clientId,
                        "action_items",
                        List.of(
                            "Rewrite resume around analytics wins",
                            "Talk to two product managers at work this month"))));
    booking(s, memory);
  }

  /**
   * The fake model's side from the action items to the goodbye, shared by both versions of the
   * call: the appointment lookup, the openings, the booking and the goodbye. A booking the session
   * refused (a flow's {@code wrong_stage}) makes the model do the intake first.
   */
  static Script booking(Script s, Memory memory) {
    return s.onToolResponse("add_action_items_to_profile")
        .reply(
            (turn, r) ->
                r.say(
                        "Both are on your profile. Let me check whether you already have a"
                            + " follow-up booked.")
                    .callTool("get_next_appointment", Map.of("client_id", memory.clientId)))
        .onToolResponse("get_next_appointment")
        .reply(
            (turn, r) -> {
              if (isEmpty(turn.toolResult().path("output"))) {
                r.say("Nothing on the calendar yet. Let me pull up some openings.")
                    .callTool("get_available_appointments", Map.of());
              } else {
                r.say("You already have a session booked; see you then!");
              }
            })
        .onToolResponse("get_available_appointments")
        .reply(
            (turn, r) -> {
              memory.openings = parseSlots(turn.toolResult().path("output"));
              List<String> said = new ArrayList<>();
              memory.openings.forEach(o -> said.add(SLOT.format(o)));
              r.say("I have " + String.join("; ", said) + ". Which works best for you?");
            })
        .onText(t -> t.equals(CLIENT_LINES.get(3)))
        .reply(
            (turn, r) ->
                r.callTool(
                    "schedule_appointment",
                    Map.of(
                        "client_id",
                        memory.clientId,
                        "appointment_datetime",
                        thursdayAfternoon(memory.openings).toString())))
        .onToolResponse("schedule_appointment")
        .reply(
            (turn, r) -> {
              if (turn.toolStatus().isPresent()) {
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

  /** The fake model creates Maya's profile. */
  static void createProfile(Reply r) {
    r.callTool(
        "create_client_profile",
        Map.of("full_name", "Maya Chen", "date_of_birth", "1991-03-14", "state", "NY"));
  }

  /** What the fake model remembers of the call. Server thread only. */
  static final class Memory {
    String clientId = "";
    List<LocalDateTime> openings = List.of();
  }

  private static boolean isEmpty(JsonNode output) {
    return output.isMissingNode() || output.isNull() || output.isEmpty();
  }

  private static List<LocalDateTime> parseSlots(JsonNode output) {
    List<LocalDateTime> slots = new ArrayList<>();
    for (JsonNode slot : output) {
      slots.add(LocalDateTime.parse(slot.asText()));
    }
    return List.copyOf(slots);
  }

  /** The opening the client asked for ("Thursday at 2:30"), as the model would pick it. */
  private static LocalDateTime thursdayAfternoon(List<LocalDateTime> openings) {
    return openings.stream()
        .filter(o -> o.getDayOfWeek() == DayOfWeek.THURSDAY && o.getHour() == 14)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no Thursday 14:30 opening in " + openings));
  }
}
