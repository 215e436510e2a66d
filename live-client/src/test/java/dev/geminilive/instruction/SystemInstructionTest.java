package dev.geminilive.instruction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.geminilive.LiveConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SystemInstructionTest {
  private static final Set<String> CAREER_COACH_TOOLS =
      Set.of(
          "create_client_profile",
          "add_action_items_to_profile",
          "get_next_appointment",
          "get_available_appointments",
          "schedule_appointment");

  /** The career-coach ("Laura") instruction of the Live API guide, built with the builder. */
  static SystemInstruction laura() {
    return SystemInstruction.builder()
        .persona(
            """
            You are Laura, a career coach from Brooklyn, NY. You specialize in providing
            data-driven advice to give your clients a fresh perspective on career questions.
            Your special strength is quantitative insights rooted in statistics, research, and psychology.
            You speak only in English, no matter what language a client speaks to you in.""")
        .rule("Introduce yourself", "Warmly greet the client and briefly explain your approach.")
        .rule(
            "Intake",
            """
            Ask for your client's full name, date of birth, and state they're calling in from.
            Call `create_client_profile` to create a new patient profile. Do this only once at the start.""")
        .rule(
            "Discuss the client's issue",
            """
            Get a sense of what the client wants to cover in the session.
            DO NOT repeat what the client is saying back to them in your response. Don't ask more than a few questions here.""")
        .rule(
            "Reframe the client's issue with real data",
            """
            NO PLATITUDES. Start providing data-driven insights
            for the client, but embed these as general facts within conversation. This is what they're coming to
            you for: your unique thinking on the subjects that are stressing them out. Show them a new way of
            thinking about something. Let this step go on for as long as the client wants. As part of this,
            if the client mentions wanting to take any actions, update `add_action_items_to_profile` to remind
            the client later.""")
        .rule(
            "Next appointment",
            """
            Call `get_next_appointment` to see if another appointment has already been
            scheduled for the client. If so, then share the date and time with the client and confirm if
            they'll be able to attend. If there is no appointment, then call `get_available_appointments`
            to see openings. Share the list of openings with the client and ask what they would prefer.
            Save their preference with `schedule_appointment`. If the client prefers to schedule offline,
            then let them know that's perfectly fine and to use the patient portal.""")
        .guideline(
            """
            You're meant to be a witty, snappy conversational partner. Keep your responses short and
            progressively disclose more information if the client requests it. Don't repeat back what the
            client says back to them. Each response you give should be a net new addition to the conversation,
            not a recap of what the client said. Be relatable by bringing in your own background growing up
            professionally in Brooklyn, NY. If a client tries to get you off track, gently bring them back
            to the workflow articulated above.""")
        .guardrail(
            """
            If the client is being hard on themselves, never encourage that. Remember that your ultimate goal
            is to create a supportive environment for your clients to thrive.""")
        .build();
  }

  @Test
  void rendersTheCareerCoachInstructionExactlyAsTheGuide() throws IOException {
    String golden;
    try (InputStream in =
        SystemInstructionTest.class.getResourceAsStream("/golden/career-coach-instruction.md")) {
      golden = new String(in.readAllBytes(), StandardCharsets.UTF_8).stripTrailing();
    }

    assertThat(laura().render()).isEqualTo(golden);
  }

  @Test
  void careerCoachInstructionLintsCleanAgainstItsFiveTools() {
    assertThat(laura().lint(CAREER_COACH_TOOLS)).isEmpty();
    assertThat(laura().referencedToolNames())
        .containsExactly(
            "create_client_profile",
            "add_action_items_to_profile",
            "get_next_appointment",
            "get_available_appointments",
            "schedule_appointment");
  }

  @Test
  void omitsEmptySectionsAndKeepsTheOrder() {
    SystemInstruction si =
        SystemInstruction.builder().guardrail("Never give legal advice.").rule("Greet.").build();

    assertThat(si.render())
        .isEqualTo(
            "**CONVERSATIONAL RULES:**\n1. Greet.\n**GUARDRAILS:**\nNever give legal advice.");
  }

  @Test
  void rendersSeveralGuidelinesAndGuardrailsAsBullets() {
    SystemInstruction si =
        SystemInstruction.builder()
            .guideline("Be brief.")
            .guideline("Be kind.")
            .guardrail("No therapy.")
            .guardrail("No platitudes.")
            .build();

    assertThat(si.render())
        .isEqualTo(
            "**GENERAL GUIDELINES:**\n- Be brief.\n- Be kind.\n**GUARDRAILS:**\n- No therapy.\n- No platitudes.");
  }

  @Test
  void rendersPersonalDataInsideThePersonaSection() {
    SystemInstruction si =
        SystemInstruction.builder()
            .persona("You are Laura.")
            .personalData("name", "Ada Lovelace")
            .personalData("state", "NY")
            .rule("Greet the user by name.")
            .build();

    assertThat(si.render())
        .isEqualTo(
            "**PERSONA:**\nYou are Laura.\nKnown about the user: name: Ada Lovelace; state: NY.\n"
                + "**CONVERSATIONAL RULES:**\n1. Greet the user by name.");
  }

  @Test
  void languageAddsTheDirectiveInUpperCaseAndASpeechLanguageCode() {
    SystemInstruction si =
        SystemInstruction.builder().persona("You are Laura.").language("English").build();

    assertThat(si.render())
        .endsWith("\nRESPOND IN ENGLISH. YOU MUST RESPOND UNMISTAKABLY IN ENGLISH.");
    assertThat(si.languageCode()).contains("en-US");
  }

  @Test
  void languageAcceptsLocalesAndTags() {
    assertThat(SystemInstruction.builder().language(Locale.GERMAN).build().languageCode())
        .contains("de-DE");
    assertThat(SystemInstruction.builder().language("en-GB").build().languageCode())
        .contains("en-GB");
    SystemInstruction fr = SystemInstruction.builder().language(Locale.CANADA_FRENCH).build();
    assertThat(fr.languageCode()).contains("fr-CA");
    assertThat(fr.render())
        .isEqualTo("RESPOND IN FRENCH. YOU MUST RESPOND UNMISTAKABLY IN FRENCH.");
    assertThat(SystemInstruction.builder().build().languageCode()).isEmpty();
  }

  @Test
  void rejectsAnUnknownLanguageName() {
    assertThatThrownBy(() -> SystemInstruction.builder().language("Klingonese"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Klingonese");
  }

  @Test
  void lintFailsWhenARuleNamesAnUndeclaredTool() {
    SystemInstruction si =
        laura().toBuilder().rule("Wrap up", "Call `send_summary_email`.").build();

    assertThatThrownBy(() -> si.lint(CAREER_COACH_TOOLS))
        .isInstanceOfSatisfying(
            LiveConfigException.class, e -> assertThat(e.field()).isEqualTo("systemInstruction"))
        .hasMessageContaining("'send_summary_email'")
        .hasMessageContaining("not declared")
        .hasMessageContaining("Register a tool with that name, or fix the name");
  }

  @Test
  void lintWarnsAboutADeclaredToolNoSectionMentions() {
    Set<String> tools = new java.util.HashSet<>(CAREER_COACH_TOOLS);
    tools.add("cancel_appointment");

    List<String> warnings = laura().lint(tools);

    assertThat(warnings)
        .singleElement()
        .asString()
        .contains("'cancel_appointment'", "never mentions");
  }

  @Test
  void lintWarnsAboutAPersonaFarOutsideFiftyToHundredWords() {
    SystemInstruction tooShort = SystemInstruction.builder().persona("You are Laura.").build();
    SystemInstruction tooLong =
        SystemInstruction.builder().persona("word ".repeat(201).trim()).build();

    assertThat(tooShort.lint(Set.of())).singleElement().asString().contains("3 words");
    assertThat(tooLong.lint(Set.of())).singleElement().asString().contains("201 words");
  }

  @Test
  void toBuilderDerivesAnEqualInstructionAndVariantsDiffer() {
    SystemInstruction si = laura();

    assertThat(si.toBuilder().build()).isEqualTo(si).hasSameHashCodeAs(si);
    assertThat(si.toBuilder().language("en-US").build()).isNotEqualTo(si);
    assertThat(si.toString()).doesNotContain("Laura");
  }

  @Test
  void rejectsBlankText() {
    assertThatThrownBy(() -> SystemInstruction.builder().rule(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("text");
  }
}
