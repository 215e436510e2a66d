package dev.geminilive.examples.voice;

import dev.geminilive.LiveException;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.audio.AudioConversation;
import dev.geminilive.audio.AudioDeviceException;
import dev.geminilive.audio.AudioSink;
import dev.geminilive.audio.AudioSource;
import dev.geminilive.audio.DuplexPolicy;
import dev.geminilive.audio.Pcm16;
import dev.geminilive.audio.PcmChunk;
import dev.geminilive.audio.PcmFormat;
import dev.geminilive.audio.WavFile;
import dev.geminilive.examples.ExampleCommandLine;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.Script;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Talk to a voice agent from a terminal: microphone in, speaker out, through {@link
 * AudioConversation}.
 *
 * <pre>
 * VoiceConsole                                   microphone and speaker
 * VoiceConsole --make-sample          writes two synthetic questions to target/question.wav
 * VoiceConsole --in target/question.wav --out target/reply.wav   no devices: WAV in, WAV out
 * VoiceConsole --in target/question.wav --out target/reply.wav --out-rate=16000
 * VoiceConsole --help                 the options
 * </pre>
 *
 * <p>Without {@code GEMINI_API_KEY} the agent is the testkit's fake Live server on loopback: it
 * detects speech by its energy and answers every utterance with a few seconds of synthetic speech,
 * paced in real time, so a second utterance that starts while it is still answering is a barge-in
 * (the console prints it; playback of the interrupted answer stops at once). With the key set it
 * talks to the real service.
 *
 * <p>With {@code --in} the call ends once the whole file has been sent and the agent has answered
 * (nothing new for a moment); without it, when you press Enter. Exit codes: 0 done, 1 the session
 * failed or the agent never answered, 2 bad arguments or a missing audio device (the message says
 * which one and how to use {@code --in}/{@code --out} instead).
 */
public final class VoiceConsole {
  /** Exit code: a bad argument or a missing audio device. */
  static final int EXIT_USAGE = ExampleCommandLine.EXIT_USAGE;

  /** What the agent is told to be. */
  static final String PERSONA =
      "You are Juniper, a friendly and curious voice assistant who lives in a developer's"
          + " terminal. You help with quick questions about everyday things, software and"
          + " planning a day. You speak warmly and plainly, like a helpful colleague at the next"
          + " desk. Keep every answer to one or two short sentences, ask a short question back"
          + " when something is unclear, and never read out long lists.";

  /** What the offline agent says to every utterance. */
  static final String OFFLINE_ANSWER = "Thanks, I heard you. This is the fake agent answering.";

  /** How long the offline agent's answer plays. */
  static final Duration OFFLINE_ANSWER_LENGTH = Duration.ofMillis(2000);

  /** After a file was sent: how long nothing may arrive before the call counts as answered. */
  static final Duration QUIET_OFFLINE = Duration.ofMillis(800);

  static final Duration QUIET_ONLINE = Duration.ofSeconds(3);

  /** After a file was sent: how long to wait for the answer at most. */
  static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

  /** Where {@code --make-sample} without a file writes: under the build's ignored output. */
  static final String DEFAULT_SAMPLE_PATH = "target/question.wav";

  /** {@link #DEFAULT_SAMPLE_PATH} as a path, relative to the working directory. */
  static final Path DEFAULT_SAMPLE = Path.of(DEFAULT_SAMPLE_PATH);

  private VoiceConsole() {}

  /** The command line. */
  @Command(
      name = "VoiceConsole",
      mixinStandardHelpOptions = true,
      versionProvider = ExampleCommandLine.Version.class,
      sortOptions = false,
      usageHelpAutoWidth = true,
      description = {
        "Talk to a voice agent through microphone and speaker, or through WAV files. Without"
            + " GEMINI_API_KEY the agent is the embedded fake Live server."
      },
      footer = {
        "",
        "Without --in the call ends when you press Enter; with it, once the file was sent and"
            + " the agent has answered.",
        "Exit codes: 0 done, 1 the session failed or the agent never answered, 2 a bad command"
            + " line or a missing audio device."
      })
  static final class Options {
    @Spec private @Nullable CommandSpec spec;

    private @Nullable Path in;

    @Option(
        names = "--out",
        order = 2,
        paramLabel = "FILE",
        description = "Write the agent's voice to a WAV file instead of the speaker.")
    private @Nullable Path out;

    private int outRateHz = PcmFormat.OUTPUT_24K.sampleRateHz();

    @Option(
        names = "--make-sample",
        order = 4,
        paramLabel = "FILE",
        arity = "0..1",
        fallbackValue = DEFAULT_SAMPLE_PATH,
        description =
            "Write a WAV with two synthetic questions (the second talks over the answer to the"
                + " first) to try --in with, and exit; FILE defaults to ${FALLBACK-VALUE}.")
    private @Nullable Path sample;

    @Option(
        names = "--in",
        order = 1,
        paramLabel = "FILE",
        description = "Speak from a 16-bit PCM WAV file (any rate) instead of the microphone.")
    void in(Path file) {
      if (!Files.isRegularFile(file)) {
        throw new ParameterException(commandLine(), "--in: no such file: " + file);
      }
      this.in = file;
    }

    @Option(
        names = "--out-rate",
        order = 3,
        paramLabel = "HZ",
        description = "Sample rate of the --out file (default 24000, the model's own).")
    void outRate(int hz) {
      try {
        this.outRateHz = PcmFormat.mono(hz).sampleRateHz();
      } catch (IllegalArgumentException e) {
        throw new ParameterException(
            commandLine(), "Invalid value for option '--out-rate': " + e.getMessage());
      }
    }

    @Nullable Path in() {
      return in;
    }

    @Nullable Path out() {
      return out;
    }

    int outRateHz() {
      return outRateHz;
    }

    @Nullable Path sample() {
      return sample;
    }

    private CommandLine commandLine() {
      return Objects.requireNonNull(spec, "picocli injects the spec").commandLine();
    }
  }

  /** Where the microphone and the speaker come from; tests replace it. */
  interface Devices {
    AudioSource microphone();

    AudioSink speaker();

    static Devices system() {
      return new Devices() {
        @Override
        public AudioSource microphone() {
          return AudioSource.microphone(PcmFormat.INPUT_16K);
        }

        @Override
        public AudioSink speaker() {
          return AudioSink.speaker(PcmFormat.OUTPUT_24K);
        }
      };
    }
  }

  /**
   * Runs the console; see the class documentation. Returns normally when the call went well (every
   * thread the session, the audio and the fake server start is a daemon); exits with the code
   * otherwise.
   */
  public static void main(String[] args) {
    int code =
        run(
            args,
            System.getenv(LiveSessionBuilder.API_KEY_ENV),
            Devices.system(),
            Script::realTime,
            System.in,
            System.out,
            System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** How the offline agent paces its answers; tests speed it up. */
  interface Pacing {
    Script apply(Script script);
  }

  static int run(
      String[] args,
      @Nullable String apiKey,
      Devices devices,
      Pacing pacing,
      InputStream stdin,
      PrintStream out,
      PrintStream err) {
    Options options = new Options();
    OptionalInt exit = ExampleCommandLine.parse(options, args, out, err);
    if (exit.isPresent()) {
      return exit.getAsInt();
    }
    Path sample = options.sample();
    if (sample != null) {
      try {
        createParentDirectories(sample);
        WavFile.write(sample, sampleQuestions(PcmFormat.mono(44_100), 2));
      } catch (UncheckedIOException e) {
        err.println(e.getMessage());
        return EXIT_USAGE;
      }
      out.println(
          "Wrote " + sample + ": two synthetic questions, 44.1 kHz. Now try --in " + sample);
      return 0;
    }
    EndAwareSource source;
    AudioSink sink;
    try {
      source = new EndAwareSource(openSource(options, devices));
    } catch (AudioDeviceException e) {
      err.println(noDevice("microphone", e));
      return EXIT_USAGE;
    } catch (UncheckedIOException e) {
      err.println(e.getMessage());
      return EXIT_USAGE;
    }
    try {
      sink = openSink(options, devices);
    } catch (AudioDeviceException e) {
      source.close();
      err.println(noDevice("speaker", e));
      return EXIT_USAGE;
    } catch (UncheckedIOException e) {
      source.close();
      err.println(e.getMessage());
      return EXIT_USAGE;
    }
    ConsoleTranscript transcript = new ConsoleTranscript(out);
    try (AudioConversation conversation =
        AudioConversation.builder()
            .source(source)
            .sink(sink)
            .duplex(DuplexPolicy.full()) // barge-in: use a headset, or half() on open speakers
            .build()) {
      if (apiKey == null || apiKey.isBlank()) {
        transcript.note(
            "No GEMINI_API_KEY set: the agent is the embedded fake Live server (synthetic speech,"
                + " loopback only).");
        try (FakeLiveServer server = FakeLiveServer.builder().build()) {
          server.script(pacing.apply(offlineScript()));
          return converse(
              server.sessionBuilder(),
              conversation,
              source,
              options,
              QUIET_OFFLINE,
              stdin,
              transcript,
              err);
        }
      }
      return converse(
          ResilientLiveSession.builder().apiKey(apiKey),
          conversation,
          source,
          options,
          QUIET_ONLINE,
          stdin,
          transcript,
          err);
    } catch (LiveException e) {
      err.println("Voice console failed: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("Voice console interrupted.");
      return 130;
    }
  }

  private static int converse(
      LiveSessionBuilder builder,
      AudioConversation conversation,
      EndAwareSource source,
      Options options,
      Duration quiet,
      InputStream stdin,
      ConsoleTranscript transcript,
      PrintStream err)
      throws InterruptedException {
    boolean answered = true;
    try (ResilientLiveSession session =
        builder
            .voice("Puck")
            .persona(PERSONA)
            .listener(conversation.listener(transcript)) // plays audio, clears it on barge-in
            .connect()) {
      conversation.start(session); // capture thread -> sendAudio; model audio -> playback queue
      Path in = options.in();
      if (in != null) {
        transcript.note("speaking " + in.getFileName() + " to the agent");
        source.awaitEnd(conversation);
        answered = transcript.awaitQuiet(quiet, ANSWER_TIMEOUT);
      } else {
        transcript.note("Speak now; press Enter to hang up.");
        awaitEnter(stdin);
      }
      conversation.awaitPlaybackIdle(Duration.ofSeconds(10)); // let the last words play
      conversation.close(); // writes the WAV header's sizes
    }
    if (options.out() != null) {
      transcript.note(
          "wrote the agent's voice to "
              + options.out()
              + " ("
              + PcmFormat.mono(options.outRateHz())
              + ")");
    }
    LiveException failure = transcript.failure();
    if (failure != null) {
      err.println("Voice console failed: " + failure.getMessage());
      return 1;
    }
    if (!answered) {
      err.println("The agent did not answer within " + ANSWER_TIMEOUT.toSeconds() + " s.");
      return 1;
    }
    return 0;
  }

  /**
   * The offline agent: every utterance the fake's energy detector hears gets a spoken answer of
   * {@link #OFFLINE_ANSWER_LENGTH}, with its transcription.
   */
  static Script offlineScript() {
    return Script.create()
        .onAudio()
        .reply(
            (turn, r) ->
                r.inputTranscript("(" + turn.audioDuration().toMillis() + " ms of speech)")
                    .say(OFFLINE_ANSWER, OFFLINE_ANSWER_LENGTH));
  }

  /**
   * {@code count} synthetic questions: 800 ms of a speech-like 220 Hz tone (loud enough for the
   * fake's energy detector), each followed by 700 ms of silence (longer than the fake's 500 ms end
   * of speech), so a second question starts while the agent is still answering the first.
   */
  static PcmChunk sampleQuestions(PcmFormat format, int count) {
    int rate = format.sampleRateHz();
    int speech = rate * 800 / 1000;
    int silence = rate * 700 / 1000;
    short[] samples = new short[count * (speech + silence)];
    for (int u = 0; u < count; u++) {
      int at = u * (speech + silence);
      for (int i = 0; i < speech; i++) {
        double t = (double) i / rate;
        double envelope = 0.6 + 0.4 * Math.sin(2 * Math.PI * 4 * t);
        samples[at + i] = (short) (9000 * envelope * Math.sin(2 * Math.PI * 220 * t));
      }
    }
    return PcmChunk.of(format, Pcm16.toBytes(samples));
  }

  private static AudioSource openSource(Options options, Devices devices) {
    Path in = options.in();
    return in != null ? AudioSource.wavFile(in, PcmFormat.INPUT_16K) : devices.microphone();
  }

  private static AudioSink openSink(Options options, Devices devices) {
    Path out = options.out();
    if (out == null) {
      return devices.speaker();
    }
    createParentDirectories(out);
    return AudioSink.wavFile(out, PcmFormat.mono(options.outRateHz()));
  }

  private static void createParentDirectories(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    try {
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the directory for " + file + ": " + e, e);
    }
  }

  static String noDevice(String device, AudioDeviceException e) {
    return "No "
        + device
        + " available ("
        + e.getMessage()
        + ").\nWithout audio devices, talk through WAV files: --in question.wav --out reply.wav"
        + "\n(16-bit PCM WAV, any sample rate; --make-sample writes one to try).";
  }

  private static void awaitEnter(InputStream stdin) {
    try {
      new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read stdin", e);
    }
  }

  /** A source that reports when it has been read to the end (the whole file was sent). */
  static final class EndAwareSource implements AudioSource {
    private final AudioSource delegate;
    private final CountDownLatch ended = new CountDownLatch(1);

    EndAwareSource(AudioSource delegate) {
      this.delegate = delegate;
    }

    @Override
    public PcmFormat format() {
      return delegate.format();
    }

    @Override
    public Optional<PcmChunk> read() {
      Optional<PcmChunk> chunk = delegate.read();
      if (chunk.isEmpty()) {
        ended.countDown();
      }
      return chunk;
    }

    @Override
    public void close() {
      delegate.close();
    }

    /** Waits until the source was read to its end, or capture stopped for another reason. */
    void awaitEnd(AudioConversation conversation) throws InterruptedException {
      while (!ended.await(100, TimeUnit.MILLISECONDS)) {
        if (conversation.state() != AudioConversation.State.RUNNING
            || conversation.captureFailure().isPresent()) {
          return;
        }
      }
    }

    @Override
    public String toString() {
      return delegate.toString();
    }
  }
}
