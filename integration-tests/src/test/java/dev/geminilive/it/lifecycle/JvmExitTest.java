package dev.geminilive.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeTokenEndpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program whose {@code main} returns after {@code close()} ends its JVM: every thread the library
 * starts is a daemon. Each test runs {@link CloseAndReturnMain} in a child JVM against a fake
 * server in this one and measures the time from the child's "closed" line to its exit.
 *
 * <p>The bound is generous (a loaded build machine can be slow to tear a JVM down); a leaked
 * non-daemon thread keeps the child alive for a minute (OkHttp's idle-thread keep-alive) or for
 * ever, far beyond it. The measured figure is appended to {@code target/measurements.txt}.
 */
class JvmExitTest {
  /** Far above the measured exit time (under a second), far below a leaked thread's minute. */
  private static final long EXIT_BOUND_SECONDS = 20;

  private FakeLiveServer server;
  private FakeTokenEndpoint tokens;
  private Process child;

  @AfterEach
  void stop() {
    if (child != null && child.isAlive()) {
      child.destroyForcibly();
    }
    if (tokens != null) {
      tokens.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aMainThatReturnsAfterCloseEndsTheJvmOnTheDefaultTransport() throws Exception {
    server = FakeLiveServer.builder().plain(true).build();
    long exitMillis = runChild("exit.after-close.okhttp.ms", server.baseUrl(), "OKHTTP", null);
    assertThat(exitMillis).isNotNegative();
  }

  @Test
  void aMainThatReturnsWhileAToolHandlerNeverEndsStillEndsTheJvm() throws Exception {
    // The handler runs on a library thread (a worker out of its pool, or a tool thread) that
    // ignores the interrupt of the close and never ends: only a daemon lets the JVM exit.
    server = FakeLiveServer.builder().plain(true).build();
    server.script(s -> s.onText("hello").callTool("hang", Map.of()));
    long exitMillis =
        runChild("exit.after-close.hanging-tool.ms", server.baseUrl(), "OKHTTP", "hang");
    assertThat(exitMillis).isNotNegative();
  }

  @Test
  void aMainThatReturnsAfterCloseEndsTheJvmOnTheJdkTransport() throws Exception {
    // The JDK's HttpClient, its selector thread and the shared workers must not keep it alive.
    server = FakeLiveServer.builder().plain(true).build();
    long exitMillis = runChild("exit.after-close.jdk.ms", server.baseUrl(), "JDK", null);
    assertThat(exitMillis).isNotNegative();
  }

  @Test
  void aMainThatReturnsAfterCloseEndsTheJvmOnTheSdkTransport(@TempDir Path dir) throws Exception {
    server = FakeLiveServer.builder().build();
    Path pem = dir.resolve("server.pem");
    Files.writeString(pem, server.certificatePem());
    long exitMillis = runChild("exit.after-close.sdk.ms", server.baseUrl(), "SDK", pem);
    assertThat(exitMillis).isNotNegative();
  }

  @Test
  void aMainThatMintsATokenAndReturnsAfterCloseEndsTheJvm() throws Exception {
    server = FakeLiveServer.builder().plain(true).build();
    tokens = FakeTokenEndpoint.start(server);
    long exitMillis =
        runChild(
            "exit.after-close.token.ms", server.baseUrl(), "OKHTTP", "token=" + tokens.baseUrl());
    assertThat(exitMillis).isNotNegative();
  }

  /** Runs the child and returns the milliseconds from its "closed" line to its exit. */
  private long runChild(String measurement, String baseUrl, String transport, Object extra)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(testClassPath());
    command.add(CloseAndReturnMain.class.getName());
    command.add(baseUrl);
    command.add(server.apiKey());
    command.add(transport);
    if (extra != null) {
      command.add(extra.toString());
    }
    child = new ProcessBuilder(command).redirectErrorStream(true).start();
    AtomicLong closedAt = new AtomicLong();
    CountDownLatch closed = new CountDownLatch(1);
    List<String> output = new ArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  synchronized (output) {
                    output.add(line);
                  }
                  if (line.equals("closed")) {
                    closedAt.set(System.nanoTime());
                    closed.countDown();
                  }
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            "child-output");
    reader.setDaemon(true);
    reader.start();
    assertThat(closed.await(60, TimeUnit.SECONDS))
        .as("the child closed its session; its output:%n%s", joined(output))
        .isTrue();
    boolean exited = child.waitFor(EXIT_BOUND_SECONDS, TimeUnit.SECONDS);
    long exitMillis = (System.nanoTime() - closedAt.get()) / 1_000_000;
    assertThat(exited)
        .as(
            "the child JVM exits after main returned (waited %d s); its output:%n%s",
            EXIT_BOUND_SECONDS, joined(output))
        .isTrue();
    assertThat(child.exitValue()).as("exit code; output:%n%s", joined(output)).isZero();
    record(measurement, exitMillis);
    return exitMillis;
  }

  private static String joined(List<String> output) {
    synchronized (output) {
      return String.join(System.lineSeparator(), output);
    }
  }

  /** Surefire names the test class path in a property; outside it, this JVM's class path. */
  private static String testClassPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank()
        ? surefire
        : System.getProperty("java.class.path");
  }

  private static void record(String name, long value) throws IOException {
    Files.writeString(
        Path.of("target", "measurements.txt"),
        name + " " + value + System.lineSeparator(),
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }
}
