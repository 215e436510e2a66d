package dev.geminilive.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.audio.Pcm16;
import dev.geminilive.audio.PcmChunk;
import dev.geminilive.audio.PcmFormat;
import dev.geminilive.audio.WavFile;
import dev.geminilive.examples.coach.CareerCoach;
import dev.geminilive.examples.phone.PhoneBridge;
import dev.geminilive.examples.tokenserver.TokenServer;
import dev.geminilive.examples.voice.VoiceConsole;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each example's {@code main}, run offline in a JVM of its own, returns without {@code System.exit}
 * and leaves no thread that keeps the JVM up: the JVM ends by itself with exit code 0.
 */
class MainsExitTest {
  /** Generous: the examples take a few seconds; a JVM kept up by a thread pool takes a minute. */
  private static final long EXIT_TIMEOUT_SECONDS = 45;

  @TempDir Path dir;

  @Test
  void theCareerCoachEndsByItself() throws Exception {
    assertEndsByItself(CareerCoach.class);
  }

  @Test
  void theTokenServerDemoEndsByItself() throws Exception {
    assertEndsByItself(TokenServer.class);
  }

  @Test
  void thePhoneBridgeDemoEndsByItself() throws Exception {
    assertEndsByItself(PhoneBridge.class);
  }

  @Test
  void theVoiceConsoleEndsByItself() throws Exception {
    Path question = dir.resolve("question.wav");
    WavFile.write(question, utterance(PcmFormat.INPUT_16K));
    assertEndsByItself(
        VoiceConsole.class,
        "--in",
        question.toString(),
        "--out",
        dir.resolve("reply.wav").toString());
  }

  private void assertEndsByItself(Class<?> example, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ReturningMain.class.getName());
    command.add(example.getName());
    command.addAll(List.of(args));
    Path out = dir.resolve(example.getSimpleName() + ".out");
    Path err = dir.resolve(example.getSimpleName() + ".err");
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().remove("GEMINI_API_KEY"); // offline: the embedded fake server
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process child = pb.start();
    boolean exited = child.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!exited) {
      child.destroyForcibly().waitFor();
    }
    String printed = Files.readString(out, StandardCharsets.UTF_8);
    String errors = Files.readString(err, StandardCharsets.UTF_8);
    String what = example.getSimpleName() + "\nstdout:\n" + printed + "\nstderr:\n" + errors;

    assertThat(printed).as(what).contains(ReturningMain.RETURNED);
    assertThat(printed).as(what).doesNotContain(ReturningMain.STILL_RUNNING);
    assertThat(exited).as("the JVM ended by itself: " + what).isTrue();
    assertThat(child.exitValue()).as(what).isZero();
  }

  /** 800 ms of a loud tone, then 700 ms of silence: one utterance for the fake's detector. */
  private static PcmChunk utterance(PcmFormat format) {
    int rate = format.sampleRateHz();
    short[] samples = new short[rate * 1500 / 1000];
    for (int i = 0; i < rate * 800 / 1000; i++) {
      samples[i] = (short) (9000 * Math.sin(2 * Math.PI * 220 * i / (double) rate));
    }
    return PcmChunk.of(format, Pcm16.toBytes(samples));
  }
}
