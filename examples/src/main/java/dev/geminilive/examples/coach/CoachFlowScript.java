package dev.geminilive.examples.coach;

import dev.geminilive.flow.Flow;
import dev.geminilive.testkit.Reply;
import dev.geminilive.testkit.Script;
import java.util.List;
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

  private final boolean goAway;
  private final boolean eagerBooking;

  private final CoachScript.Memory memory = new CoachScript.Memory();

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
                CoachScript.createProfile(r);
              }
            })
        .onToolResponse("create_client_profile")
        .reply(
            (turn, r) -> {
              memory.clientId = turn.toolResult().path("output").asText();
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
                            memory.clientId,
                            "action_items",
                            List.of(
                                "Rewrite resume around analytics wins",
                                "Talk to two product managers at work this month"))));
    CoachScript.booking(s, memory);
  }

  private Reply withGoAway(Reply r) {
    return goAway ? r.goAway(CoachScript.GO_AWAY_TIME_LEFT) : r;
  }
}
