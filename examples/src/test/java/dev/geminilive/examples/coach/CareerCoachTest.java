package dev.geminilive.examples.coach;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.genai.types.FunctionDeclaration;
import dev.geminilive.examples.Console;
import dev.geminilive.examples.ExampleCommandLine;
import dev.geminilive.examples.coach.CoachTools.Appointment;
import dev.geminilive.examples.coach.CoachTools.Client;
import dev.geminilive.tools.ToolRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class CareerCoachTest {
  /** A Tuesday: the openings are Thursday 26 at 14:30, Friday 27 at 9:00, Tuesday 1 at 10:00. */
  private static final LocalDate TODAY = LocalDate.of(2026, 11, 24);

  private static final LocalDateTime THURSDAY_AFTERNOON = LocalDateTime.of(2026, 11, 26, 14, 30);

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void offlineCallEndsWithABookedAppointmentAndTheStoreHoldsEverything() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    CareerCoach.Result result;
    try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
      result = CareerCoach.runOffline(out, TODAY);
    }

    CoachTools tools = result.tools();
    assertThat(CareerCoach.problem(tools)).isEmpty();
    assertThat(tools.clients()).hasSize(1);
    Client maya = tools.clients().get(0);
    assertThat(maya.fullName()).isEqualTo("Maya Chen");
    assertThat(maya.dateOfBirth()).isEqualTo(LocalDate.of(1991, 3, 14));
    assertThat(maya.state()).isEqualTo("NY");
    assertThat(maya.actionItems())
        .containsExactly(
            "Rewrite resume around analytics wins",
            "Talk to two product managers at work this month");
    assertThat(tools.appointment(maya.id()))
        .contains(new Appointment(maya.id(), THURSDAY_AFTERNOON));
    assertThat(tools.openings()).doesNotContain(THURSDAY_AFTERNOON).hasSize(2);

    List<String> lines = result.transcript().lines();
    assertThat(lines)
        .extracting(CareerCoachTest::withoutTimestamp)
        .containsSubsequence(
            "Laura  Hi, I'm Laura, a career coach from Brooklyn. I bring numbers, not platitudes."
                + " To get you set up: what's your full name, your date of birth, and the state"
                + " you're calling from?",
            "tool   create_client_profile"
                + " {\"date_of_birth\":\"1991-03-14\",\"full_name\":\"Maya Chen\",\"state\":\"NY\"}",
            "tool     -> {\"output\":\"client-1\"}",
            "--     reconnected: resumed with the resumption handle, the conversation is intact",
            "tool   get_next_appointment {\"client_id\":\"client-1\"}",
            "tool     -> {\"output\":{}}",
            "You    Thursday at 2:30 works for me.",
            "tool     -> {\"output\":{\"appointmentDatetime\":\"2026-11-26T14:30:00\","
                + "\"clientId\":\"client-1\"}}",
            "Laura  You're booked for Thursday, November 26 at 2:30 PM. Bring one resume bullet"
                + " you're proud of and we'll sharpen it.",
            "Laura  Bye, Maya. Go get that product role.",
            "--     session closed");
    assertThat(lines).anyMatch(l -> l.contains("goAway: the service ends this connection in 10"));
    assertThat(lines.get(lines.size() - 1)).endsWith("session closed");
    assertThat(lines).allMatch(l -> l.matches("\\[\\d\\d:\\d\\d\\.\\d{3}] .*"));

    assertThat(result.transcript().goAways()).isEqualTo(1);
    assertThat(result.stats().reconnects()).isEqualTo(1);
    assertThat(result.stats().connections()).isEqualTo(2);

    String output = printed.toString(StandardCharsets.UTF_8);
    assertThat(output)
        .contains("==== Summary ====")
        .contains("Profile:      Maya Chen (client-1), born 1991-03-14, NY")
        .contains("Booked:       Thursday, November 26 at 2:30 PM (2026-11-26T14:30)")
        .contains("Connections:  2 (1 reconnect)");
  }

  @Test
  void mainRunsOfflineWithoutAKeyAndExitsWithZero() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code =
        CareerCoach.run(
            null,
            InputStream.nullInputStream(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(code).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Booked:       Thursday");
  }

  @Test
  void aCallWithoutABookingIsReportedAsAProblem() {
    CoachTools tools = new CoachTools(CareerCoach.openings(TODAY));

    assertThat(CareerCoach.problem(tools)).contains("the call ended without a client profile");
  }

  @Test
  void openingsAreTheNextTuesdayThursdayAndFridayInOrder() {
    assertThat(CareerCoach.openings(TODAY))
        .containsExactly(
            THURSDAY_AFTERNOON,
            LocalDateTime.of(2026, 11, 27, 9, 0),
            LocalDateTime.of(2026, 12, 1, 10, 0));
  }

  @Test
  void lauraRendersExactlyAsTheGuideAndNamesEveryTool() throws IOException {
    assertThat(CoachInstruction.laura().render()).isEqualTo(golden("career-coach-instruction.md"));
    assertThat(CoachInstruction.laura().lint(registry().names())).isEmpty();
  }

  @Test
  void toolDeclarationsMatchTheGuideExceptForDateFormats() throws IOException {
    JsonNode expected = JSON.readTree(golden("career-coach-tools.json"));
    List<FunctionDeclaration> declarations = registry().declarations();

    assertThat(declarations).hasSize(expected.size());
    for (JsonNode want : expected) {
      String name = want.get("name").asText();
      FunctionDeclaration d =
          declarations.stream()
              .filter(x -> x.name().orElseThrow().equals(name))
              .findFirst()
              .orElseThrow();
      ObjectNode got = (ObjectNode) JSON.readTree(d.toJson());
      got.findParents("format").forEach(p -> ((ObjectNode) p).remove("format"));
      lowerCaseTypes(got);
      assertThat(got).as(name).isEqualTo(want);
    }
  }

  private static ToolRegistry registry() {
    return ToolRegistry.of(new CoachTools(CareerCoach.openings(TODAY)));
  }

  private static String golden(String name) throws IOException {
    try (InputStream in = CareerCoachTest.class.getResourceAsStream("/golden/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).stripTrailing();
    }
  }

  private static void lowerCaseTypes(JsonNode node) {
    if (node instanceof ObjectNode o && o.has("type") && o.get("type").isTextual()) {
      o.put("type", o.get("type").asText().toLowerCase(java.util.Locale.ROOT));
    }
    node.forEach(CareerCoachTest::lowerCaseTypes);
  }

  private static String withoutTimestamp(String line) {
    return line.substring(line.indexOf(']') + 2);
  }

  @Test
  void helpAndVersionPrintAndExitWithZero() {
    Console help = new Console();
    assertThat(CareerCoach.run(new String[] {"--help"}, null, help.in(), help.out(), help.err()))
        .isZero();
    help.assertHelp("CareerCoach", "GEMINI_API_KEY", "Exit codes");
    Console version = new Console();
    assertThat(
            CareerCoach.run(
                new String[] {"--version"}, null, version.in(), version.out(), version.err()))
        .isZero();
    version.assertVersion("CareerCoach");
  }

  @Test
  void anUnknownOptionIsOneLineOnStderrAndExitCode2() {
    Console console = new Console();
    int code =
        CareerCoach.run(
            new String[] {"--voice=Peri"}, null, console.in(), console.out(), console.err());

    assertThat(code).isEqualTo(ExampleCommandLine.EXIT_USAGE);
    assertThat(console.errors()).contains("Unknown option: '--voice=Peri'");
    console.assertUsageErrorWithoutStackTrace("CareerCoach");
  }
}
