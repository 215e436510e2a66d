package dev.geminilive.examples.coach;

import dev.geminilive.LiveException;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.ResilientLiveSession.SessionStats;
import dev.geminilive.examples.ExampleCommandLine;
import dev.geminilive.examples.coach.CoachTools.Appointment;
import dev.geminilive.examples.coach.CoachTools.Client;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.Script;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * "Laura", the career coach of the Live API guide, as a runnable program.
 *
 * <p>Without {@code GEMINI_API_KEY} it starts the testkit's fake Live server on loopback with a
 * script that plays the guide's whole flow (greeting, intake, profile, discussion, action items,
 * appointment lookup and booking, goodbye), drives a scripted client through it, lets the fake
 * service send one {@code goAway} mid-call so the transcript shows the session moving to a new
 * connection, and prints a timestamped transcript and a summary of what the tools stored. It exits
 * with 0 when an appointment was booked, 1 otherwise.
 *
 * <p>With {@code GEMINI_API_KEY} set it talks to the real service: type lines on stdin; Laura's
 * words are shown from the output transcription. To talk to an agent through microphone and
 * speaker, run the voice console ({@link dev.geminilive.examples.voice.VoiceConsole}, {@code
 * -Pvoice}). {@code --help} and {@code --version} are the only options.
 */
public final class CareerCoach {
  /** The prompt that makes Laura speak first. */
  static final String GREETING =
      "The client has joined the call. Greet them and introduce yourself.";

  /** How long the scripted client waits for one agent turn. */
  static final Duration TURN_TIMEOUT = Duration.ofSeconds(20);

  private static final String AGENT = "Laura";
  private static final DateTimeFormatter SLOT =
      DateTimeFormatter.ofPattern("EEEE, MMMM d 'at' h:mm a", Locale.US);

  private CareerCoach() {}

  /** What an offline run produced: the store the tools wrote, the transcript and the counters. */
  record Result(CoachTools tools, Transcript transcript, SessionStats stats) {}

  /** The command line: only {@code --help} and {@code --version}. */
  @Command(
      name = "CareerCoach",
      mixinStandardHelpOptions = true,
      versionProvider = ExampleCommandLine.Version.class,
      description = {
        "Laura, the career coach of the Live API guide. Without GEMINI_API_KEY: a whole scripted"
            + " call against the embedded fake Live server. With it: type your lines to the"
            + " Gemini Live API (an empty line or /quit hangs up)."
      },
      footer = {
        "",
        "Exit codes: 0 done (offline: an appointment was booked), 1 the call failed, 2 a bad"
            + " command line."
      })
  static final class Options {
    @Option(
        names = "--flow",
        description =
            "Run Laura as a conversation flow (intake, discussion, action items, scheduling, wrap-up:"
                + " one step's rules and tools at a time) instead of one instruction.")
    boolean flow;
  }

  /**
   * Runs the career coach; see the class documentation. Returns normally when the call went well
   * (every thread the session and the fake server start is a daemon); exits with the code
   * otherwise.
   */
  public static void main(String[] args) {
    int code =
        run(args, System.getenv(LiveSessionBuilder.API_KEY_ENV), System.in, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  static int run(
      String[] args, @Nullable String apiKey, InputStream in, PrintStream out, PrintStream err) {
    Options options = new Options();
    OptionalInt exit = ExampleCommandLine.parse(options, args, out, err);
    if (exit.isPresent()) {
      return exit.getAsInt();
    }
    return run(apiKey, in, out, err, options.flow);
  }

  static int run(@Nullable String apiKey, InputStream in, PrintStream out, PrintStream err) {
    return run(apiKey, in, out, err, false);
  }

  static int run(
      @Nullable String apiKey, InputStream in, PrintStream out, PrintStream err, boolean flow) {
    try {
      if (apiKey == null || apiKey.isBlank()) {
        Result result =
            flow ? runOfflineFlow(out, LocalDate.now()) : runOffline(out, LocalDate.now());
        Optional<String> problem = problem(result.tools());
        if (problem.isPresent()) {
          err.println("Career coach failed: " + problem.get());
          return 1;
        }
        return 0;
      }
      return runOnline(apiKey, in, out, err, flow);
    } catch (LiveException | IllegalStateException e) {
      err.println("Career coach failed: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("Career coach interrupted.");
      return 130;
    }
  }

  /** The session as the coach needs it; the caller adds credentials and endpoint. */
  static LiveSessionBuilder coach(CoachTools tools, Transcript transcript) {
    // snippet:coach-builder
    return ResilientLiveSession.builder()
        .voice("Peri")
        .language("en-US")
        .systemInstruction(CoachInstruction.laura())
        .tools(tools)
        .greeting(GREETING)
        .listener(transcript);
    // end:coach-builder
  }

  /** The session as the coach flow needs it ({@link CoachFlow}); the caller adds credentials. */
  static LiveSessionBuilder coachFlow(CoachTools tools, Transcript transcript) {
    // snippet:coach-flow-builder
    return ResilientLiveSession.builder()
        .voice("Peri")
        .language("en-US")
        .flow(CoachFlow.of(tools))
        .greeting(GREETING)
        .listener(transcript);
    // end:coach-flow-builder
  }

  /** Plays the whole call against the embedded fake server and prints transcript and summary. */
  static Result runOffline(PrintStream out, LocalDate today) throws InterruptedException {
    CoachTools tools = new CoachTools(openings(today));
    Transcript transcript = new Transcript(out, AGENT);
    return runOffline(out, tools, transcript, coach(tools, transcript), new CoachScript());
  }

  /** {@link #runOffline}, with Laura as a {@link CoachFlow}. */
  static Result runOfflineFlow(PrintStream out, LocalDate today) throws InterruptedException {
    CoachTools tools = new CoachTools(openings(today));
    Transcript transcript = new Transcript(out, AGENT);
    return runOffline(out, tools, transcript, coachFlow(tools, transcript), new CoachFlowScript());
  }

  private static Result runOffline(
      PrintStream out,
      CoachTools tools,
      Transcript transcript,
      LiveSessionBuilder builder,
      Consumer<Script> script)
      throws InterruptedException {
    transcript.note(
        "No GEMINI_API_KEY set: Laura runs on the embedded fake Live server (scripted model,"
            + " loopback only).");
    SessionStats stats;
    try (FakeLiveServer server = FakeLiveServer.builder().build()) {
      server.script(script);
      try (ResilientLiveSession session = server.configure(builder).connect()) {
        int turns = 1; // the greeting
        transcript.awaitTurnsCompleted(turns, TURN_TIMEOUT);
        for (String line : CoachScript.CLIENT_LINES) {
          if (transcript.goAways() > transcript.reconnects()) {
            // Not needed for correctness (input is queued while the session moves), but it keeps
            // the printed transcript in a stable order.
            transcript.awaitReconnects(transcript.goAways(), TURN_TIMEOUT);
          }
          transcript.user(line);
          session.sendText(line);
          transcript.awaitTurnsCompleted(++turns, TURN_TIMEOUT);
        }
        stats = session.stats();
      }
    }
    printSummary(out, tools, stats);
    return new Result(tools, transcript, stats);
  }

  private static int runOnline(
      String apiKey, InputStream in, PrintStream out, PrintStream err, boolean flow)
      throws InterruptedException {
    CoachTools tools = new CoachTools(openings(LocalDate.now()));
    Transcript transcript = new Transcript(out, AGENT);
    transcript.note(
        "Talking to the Gemini Live API. Type a line and press Enter; an empty line or /quit"
            + " ends the call.");
    transcript.note(
        "Laura answers in audio, which this example does not play: her words are shown from the"
            + " output transcription. To talk through microphone and speaker, run the voice"
            + " console (-Pvoice).");
    SessionStats stats;
    Optional<LiveException> failure;
    LiveSessionBuilder builder = flow ? coachFlow(tools, transcript) : coach(tools, transcript);
    try (ResilientLiveSession session = builder.apiKey(apiKey).connect()) {
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      int turns = 1; // the greeting
      while ((line = reader.readLine()) != null && !session.state().isTerminal()) {
        line = line.strip();
        if (line.isEmpty() || line.equals("/quit")) {
          break;
        }
        transcript.user(line);
        session.sendText(line);
        turns++;
      }
      if (line == null && !session.state().isTerminal()) {
        // Input ended (piped stdin): let Laura finish her answer before hanging up.
        try {
          transcript.awaitTurnsCompleted(turns, TURN_TIMEOUT);
        } catch (IllegalStateException e) {
          transcript.note("hanging up without a complete answer: " + e.getMessage());
        }
      }
      stats = session.stats();
      failure = session.failure();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read stdin", e);
    }
    printSummary(out, tools, stats);
    if (failure.isPresent()) {
      err.println("Career coach failed: " + failure.get().getMessage());
      return 1;
    }
    return 0;
  }

  /** Three openings after {@code today}: Tuesday 10:00, Thursday 14:30 and Friday 9:00. */
  static List<LocalDateTime> openings(LocalDate today) {
    return Stream.of(
            slot(today, DayOfWeek.TUESDAY, LocalTime.of(10, 0)),
            slot(today, DayOfWeek.THURSDAY, LocalTime.of(14, 30)),
            slot(today, DayOfWeek.FRIDAY, LocalTime.of(9, 0)))
        .sorted()
        .toList();
  }

  private static LocalDateTime slot(LocalDate today, DayOfWeek day, LocalTime time) {
    return today.with(TemporalAdjusters.next(day)).atTime(time);
  }

  /** Why the call did not reach its goal, or empty when a client has a booked appointment. */
  static Optional<String> problem(CoachTools tools) {
    if (tools.clients().isEmpty()) {
      return Optional.of("the call ended without a client profile");
    }
    boolean booked = tools.clients().stream().anyMatch(c -> tools.appointment(c.id()).isPresent());
    return booked ? Optional.empty() : Optional.of("the call ended without a booked appointment");
  }

  private static void printSummary(PrintStream out, CoachTools tools, SessionStats stats) {
    out.println();
    out.println("==== Summary ====");
    List<Client> clients = tools.clients();
    if (clients.isEmpty()) {
      out.println("Profile:      none created");
    }
    for (Client c : clients) {
      out.printf(
          "Profile:      %s (%s), born %s, %s%n", c.fullName(), c.id(), c.dateOfBirth(), c.state());
      if (c.actionItems().isEmpty()) {
        out.println("Action items: none");
      } else {
        for (int i = 0; i < c.actionItems().size(); i++) {
          out.printf(
              "%s %s%n", i == 0 ? "Action items: -" : "              -", c.actionItems().get(i));
        }
      }
      Optional<Appointment> a = tools.appointment(c.id());
      out.println(
          "Booked:       "
              + a.map(
                      x ->
                          SLOT.format(x.appointmentDatetime())
                              + " ("
                              + x.appointmentDatetime()
                              + ")")
                  .orElse("nothing"));
    }
    out.printf(
        "Connections:  %d (%d reconnect%s)%n",
        stats.connections(), stats.reconnects(), stats.reconnects() == 1 ? "" : "s");
    out.flush();
  }
}
