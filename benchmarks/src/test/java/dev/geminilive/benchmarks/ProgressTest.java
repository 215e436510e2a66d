package dev.geminilive.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private PrintStream console;

  @BeforeEach
  void capture() {
    console = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(console);
  }

  private String lastLine() {
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    return lines[lines.length - 1];
  }

  @Test
  void timeLeftCountsThePlanAndTheStepsDoneInTheCurrentSection() {
    Progress p = new Progress();
    p.plan("audio", 100);
    p.plan("scale", 50);

    p.section("audio");
    assertThat(lastLine()).contains("[audio] starting").endsWith("about 2m30s left");

    p.step("48k→16k", 2, 4);
    assertThat(lastLine()).contains("48k→16k (step 2 of 4)").endsWith("about 2m05s left");
  }

  @Test
  void aSectionThatFinishedEarlyShortensTheEstimateOfTheRestButAtMostByHalf() {
    Progress p = new Progress();
    p.plan("audio", 100);
    p.plan("scale", 50);
    p.section("audio");

    // The audio section ends at once, far under its 100 s estimate.
    p.section("scale");

    assertThat(lastLine()).contains("[scale] starting").endsWith("about 25s left");
  }
}
