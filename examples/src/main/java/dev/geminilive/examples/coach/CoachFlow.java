package dev.geminilive.examples.coach;

import dev.geminilive.flow.CarryOver;
import dev.geminilive.flow.Flow;
import dev.geminilive.flow.Stage;
import dev.geminilive.flow.Transition;
import dev.geminilive.instruction.SystemInstruction;

/**
 * The career coach as a {@link Flow}: the guide's single "Laura" instruction ({@link
 * CoachInstruction#laura()}) cut into the steps it describes, each stage with the rules and the
 * tools of its step, the persona, guidelines and guardrail shared.
 *
 * <pre>{@code
 * intake ──create_client_profile──▶ discussion ──next_step (summary)──▶ action_items
 *        ──add_action_items_to_profile──▶ scheduling ──schedule_appointment──▶ wrap_up
 * }</pre>
 *
 * <p>The persona, the guardrail and the rules that need no change are taken from the single
 * instruction; the rest is its text, split where it names the next step's tools.
 *
 * <p>The client id and the client's name and state are carried from intake into every later
 * instruction, the summary of the discussion into the stages after it; a session rebuilt from
 * history, or one whose context was compressed, still has them.
 */
public final class CoachFlow {
  /** The stage names, in the order the call goes through them. */
  public static final String INTAKE = "intake";

  /** The main discussion. */
  public static final String DISCUSSION = "discussion";

  /** Agreeing on the client's action items. */
  public static final String ACTION_ITEMS = "action_items";

  /** Finding or booking the next appointment. */
  public static final String SCHEDULING = "scheduling";

  /** Saying goodbye. */
  public static final String WRAP_UP = "wrap_up";

  /** The single instruction the stages are cut from. */
  private static final SystemInstruction LAURA = CoachInstruction.laura();

  private CoachFlow() {}

  /** The text of the single instruction's rule titled {@code title}. */
  private static String rule(String title) {
    return LAURA.rules().stream()
        .filter(r -> title.equals(r.title()))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("Laura has no rule " + title))
        .text();
  }

  /** The flow over {@code tools}. */
  public static Flow of(CoachTools tools) {
    // snippet:coach-flow
    return Flow.builder()
        .persona(LAURA.persona())
        .guideline(
            """
            You're meant to be a witty, snappy conversational partner. Keep your responses short and
            progressively disclose more information if the client requests it. Don't repeat back what the
            client says back to them. Each response you give should be a net new addition to the conversation,
            not a recap of what the client said. Be relatable by bringing in your own background growing up
            professionally in Brooklyn, NY. If a client tries to get you off track, gently bring them back
            to the step you are in.""")
        .guardrail(LAURA.guardrails().get(0))
        .tools(tools)
        .stage(
            Stage.named(INTAKE)
                .rule("Introduce yourself", rule("Introduce yourself"))
                .rule(
                    "Intake",
                    """
                    Ask for your client's full name, date of birth, and state they're calling in from.
                    Call `create_client_profile` to create a new client profile. Do this only once.""")
                .tools("create_client_profile")
                .transition(
                    Transition.to(DISCUSSION)
                        .afterTool("create_client_profile")
                        .carrying(
                            CarryOver.toolResult("create_client_profile", "client_id"),
                            CarryOver.fields("full_name", "state"))))
        .stage(
            Stage.named(DISCUSSION)
                .rule("Discuss the client's issue", rule("Discuss the client's issue"))
                .rule(
                    "Reframe the client's issue with real data",
                    """
                    NO PLATITUDES. Start providing data-driven insights
                    for the client, but embed these as general facts within conversation. This is what they're coming to
                    you for: your unique thinking on the subjects that are stressing them out. Show them a new way of
                    thinking about something. Let this step go on for as long as the client wants.""")
                .transition(
                    Transition.to(ACTION_ITEMS)
                        .onNextStep(
                            "the client mentions actions they want to take, or is ready to plan"
                                + " what comes next")
                        .carrying(CarryOver.summary())))
        .stage(
            Stage.named(ACTION_ITEMS)
                .rule(
                    "Action items",
                    """
                    Agree with the client on the concrete actions they mentioned, then call
                    `add_action_items_to_profile` with their client id so you can remind them later.""")
                .tools("add_action_items_to_profile")
                .transition(Transition.to(SCHEDULING).afterTool("add_action_items_to_profile")))
        .stage(
            Stage.named(SCHEDULING)
                .rule(
                    "Next appointment",
                    """
                    Call `get_next_appointment` to see if another appointment has already been
                    scheduled for the client. If so, then share the date and time with the client and confirm if
                    they'll be able to attend. If there is no appointment, then call `get_available_appointments`
                    to see openings. Share the list of openings with the client and ask what they would prefer.
                    Save their preference with `schedule_appointment`.""")
                .tools("get_next_appointment", "get_available_appointments", "schedule_appointment")
                .transition(Transition.to(WRAP_UP).afterTool("schedule_appointment"))
                .transition(
                    Transition.to(WRAP_UP)
                        .onNextStep(
                            "the client already has an appointment, or prefers to schedule"
                                + " offline")))
        .stage(
            Stage.named(WRAP_UP)
                .rule(
                    "Close the call",
                    """
                    Confirm the next appointment in one sentence, or, if the client prefers to schedule
                    offline, tell them that's perfectly fine and to use the patient portal. Then say goodbye.""")
                .transition(Transition.to(SCHEDULING).onRequest()))
        .build();
    // end:coach-flow
  }
}
