package dev.geminilive.examples.voice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.audio.AudioDeviceException;
import dev.geminilive.audio.AudioSink;
import dev.geminilive.audio.AudioSource;
import dev.geminilive.audio.Pcm16;
import dev.geminilive.audio.PcmChunk;
import dev.geminilive.audio.PcmFormat;
import dev.geminilive.audio.WavFile;
import dev.geminilive.testkit.Script;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VoiceConsoleTest {
  /** The question is recorded at 44.1 kHz, so the console must resample it to 16 kHz. */
  private static final PcmFormat RECORDED = PcmFormat.mono(44_100);

  @TempDir Path dir;

  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  @Test
  void answersTheFilesSpeechIntoTheOutputWavAtTheRequestedFormat() {
    Path in = dir.resolve("question.wav");
    Path out = dir.resolve("reply.wav");
    WavFile.write(in, VoiceConsole.sampleQuestions(RECORDED, 1));

    int code = run(Script::asFastAsPossible, "--in", in, "--out", out, "--out-rate=16000");

    assertThat(code).as(printed(stderr)).isZero();
    PcmChunk reply = WavFile.read(out);
    assertThat(reply.format()).isEqualTo(PcmFormat.mono(16_000));
    assertThat(reply.duration().toMillis())
        .as("the whole spoken answer")
        .isBetween(
            VoiceConsole.OFFLINE_ANSWER_LENGTH.toMillis() - 50,
            VoiceConsole.OFFLINE_ANSWER_LENGTH.toMillis() + 50);
    assertThat(rms(reply)).as("speech, not silence").isGreaterThan(1000);
    assertThat(printed(stdout))
        .contains("No GEMINI_API_KEY set")
        .contains("Agent  " + VoiceConsole.OFFLINE_ANSWER + " [2000 ms of audio]")
        .contains("wrote the agent's voice to " + out + " (PCM16LE 16000 Hz mono)")
        .doesNotContain("barge-in");
  }

  @Test
  void speakingWhileTheAgentAnswersInterruptsItAndClearsItsPlayback() {
    Path in = dir.resolve("two-questions.wav");
    Path out = dir.resolve("reply.wav");
    // The second question starts 700 ms after the first ends: the fake has just begun to answer
    // (in real time at double speed), so the second question barges in.
    WavFile.write(in, VoiceConsole.sampleQuestions(RECORDED, 2));

    int code = run(s -> s.speed(2.0), "--in", in, "--out", out);

    assertThat(code).as(printed(stderr)).isZero();
    String printed = printed(stdout);
    assertThat(printed).containsOnlyOnce("barge-in: the agent was interrupted, playback cleared");
    assertThat(printed.indexOf("barge-in")).isLessThan(printed.lastIndexOf("Agent  Thanks"));
    PcmChunk reply = WavFile.read(out);
    assertThat(reply.format()).isEqualTo(PcmFormat.OUTPUT_24K);
    long answer = VoiceConsole.OFFLINE_ANSWER_LENGTH.toMillis();
    assertThat(reply.duration().toMillis())
        .as("the second answer in full, only the start of the interrupted first one")
        .isBetween(answer - 50, answer + answer / 2);
  }

  @Test
  void withoutAMicrophoneAndWithoutInItSaysWhatIsMissingAndExitsWith2() {
    VoiceConsole.Devices none =
        new VoiceConsole.Devices() {
          @Override
          public AudioSource microphone() {
            throw new AudioDeviceException("no capture line for PCM16LE 16000 Hz mono; mixers: []");
          }

          @Override
          public AudioSink speaker() {
            throw new AudioDeviceException("no playback line; mixers: []");
          }
        };

    int code =
        VoiceConsole.run(new String[0], null, none, s -> s, stdin(), out(stdout), out(stderr));

    assertThat(code).isEqualTo(VoiceConsole.EXIT_USAGE);
    assertThat(printed(stderr))
        .contains("No microphone available (no capture line for PCM16LE 16000 Hz mono")
        .contains("--in question.wav --out reply.wav");
  }

  @Test
  void makeSampleWritesTwoQuestionsToTryInWith() {
    Path sample = dir.resolve("question.wav");

    int code = run(s -> s, "--make-sample", sample);

    assertThat(code).isZero();
    PcmChunk written = WavFile.read(sample);
    assertThat(written.format()).isEqualTo(PcmFormat.mono(44_100));
    assertThat(written.duration()).isEqualTo(Duration.ofMillis(3000));
  }

  @Test
  void anUnknownOptionIsOneLineOnStderrAndExitCode2() {
    int code =
        VoiceConsole.run(
            new String[] {"--loud", "yes"},
            null,
            VoiceConsole.Devices.system(),
            s -> s,
            stdin(),
            out(stdout),
            out(stderr));

    assertThat(code).isEqualTo(VoiceConsole.EXIT_USAGE);
    assertThat(printed(stderr)).contains("Unknown options: '--loud', 'yes'");
    assertUsageErrorWithoutStackTrace();
  }

  @Test
  void aBadOutRateIsOneLineOnStderrAndExitCode2() {
    for (String rate : new String[] {"--out-rate=fast", "--out-rate=-8000"}) {
      stderr.reset();
      assertThat(run(s -> s, rate, "--out", dir.resolve("reply.wav")))
          .as(rate)
          .isEqualTo(VoiceConsole.EXIT_USAGE);
      assertThat(printed(stderr)).contains("--out-rate");
      assertUsageErrorWithoutStackTrace();
    }
  }

  @Test
  void aMissingInFileIsOneLineOnStderrAndExitCode2() {
    Path missing = dir.resolve("nope.wav");

    assertThat(run(s -> s, "--in=" + missing, "--out", dir.resolve("reply.wav")))
        .isEqualTo(VoiceConsole.EXIT_USAGE);
    assertThat(printed(stderr)).contains("--in: no such file: " + missing);
    assertUsageErrorWithoutStackTrace();
  }

  @Test
  void makeSampleWithoutAFileWritesUnderTarget() throws Exception {
    Path sample = VoiceConsole.DEFAULT_SAMPLE;
    Files.deleteIfExists(sample);
    try {
      assertThat(run(s -> s, "--make-sample")).isZero();

      assertThat(WavFile.read(sample).duration()).isEqualTo(Duration.ofMillis(3000));
      assertThat(sample.toAbsolutePath().getParent().getFileName()).hasToString("target");
      assertThat(printed(stdout)).contains("Now try --in " + sample);
    } finally {
      Files.deleteIfExists(sample);
    }
  }

  @Test
  void outCreatesTheDirectoriesOfItsFile() {
    Path in = dir.resolve("question.wav");
    Path out = dir.resolve("replies/today/reply.wav");
    WavFile.write(in, VoiceConsole.sampleQuestions(RECORDED, 1));

    int code = run(Script::asFastAsPossible, "--in", in, "--out=" + out);

    assertThat(code).as(printed(stderr)).isZero();
    assertThat(WavFile.read(out).format()).isEqualTo(PcmFormat.OUTPUT_24K);
  }

  @Test
  void helpListsTheOptionsAndExitsWithZero() {
    assertThat(run(s -> s, "--help")).isZero();

    assertThat(printed(stdout))
        .startsWith("Usage: VoiceConsole")
        .contains("--in=FILE", "--out=FILE", "--out-rate=HZ", "--make-sample[=FILE]")
        .contains("target/question.wav", "--version");
    assertThat(printed(stderr)).isEmpty();
  }

  private void assertUsageErrorWithoutStackTrace() {
    assertThat(printed(stderr))
        .startsWith("VoiceConsole: ")
        .contains("Try 'VoiceConsole --help'")
        .doesNotContain("Exception", "\tat ");
  }

  private int run(VoiceConsole.Pacing pacing, Object... args) {
    String[] strings = new String[args.length];
    for (int i = 0; i < args.length; i++) {
      strings[i] = args[i].toString();
    }
    VoiceConsole.Devices noDevices =
        new VoiceConsole.Devices() {
          @Override
          public AudioSource microphone() {
            throw new AssertionError("--in was given: the microphone must not be opened");
          }

          @Override
          public AudioSink speaker() {
            throw new AssertionError("--out was given: the speaker must not be opened");
          }
        };
    return VoiceConsole.run(strings, null, noDevices, pacing, stdin(), out(stdout), out(stderr));
  }

  private static double rms(PcmChunk chunk) {
    short[] s = Pcm16.toShorts(chunk.data());
    double sum = 0;
    for (short v : s) {
      sum += (double) v * v;
    }
    return Math.sqrt(sum / Math.max(1, s.length));
  }

  private static ByteArrayInputStream stdin() {
    return new ByteArrayInputStream(new byte[0]);
  }

  private static PrintStream out(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  private static String printed(ByteArrayOutputStream bytes) {
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
