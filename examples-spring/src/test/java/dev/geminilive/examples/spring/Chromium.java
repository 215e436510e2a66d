package dev.geminilive.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by Debian's chromedriver through Selenium, with a fake
 * microphone that plays a WAV file once. Never downloads a browser or a driver: both paths are
 * given, so Selenium Manager is not asked.
 */
final class Chromium implements AutoCloseable {
  static final Path BROWSER = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  static final Duration WAIT = Duration.ofSeconds(20);

  private final ChromeDriver driver;
  private final Path userData;
  private final Path screenshots;
  private final String prefix;

  /** Skips the calling test, saying how to run it, when Chromium or its driver is missing. */
  static void assumeInstalled() {
    Assumptions.assumeTrue(
        Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER),
        "Browser tests skipped: Chromium is not installed. Run `apt-get install -y chromium"
            + " chromium-driver` (as .ci/run does), then `mvn -B verify`.");
  }

  Chromium(Path microphoneWav, String prefix) {
    try {
      this.userData = Files.createTempDirectory("chromium-profile");
      this.screenshots = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));
      Files.createDirectories(screenshots);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.prefix = prefix;
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + userData,
        "--window-size=1000,1000",
        "--autoplay-policy=no-user-gesture-required",
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        "--use-file-for-fake-audio-capture=" + microphoneWav.toAbsolutePath() + "%noloop");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
    this.driver = new ChromeDriver(service, options);
  }

  WebDriver driver() {
    return driver;
  }

  void open(String url) {
    driver.get(url);
  }

  void click(String id) {
    driver.findElement(By.id(id)).click();
  }

  /** The element's text content (also the part of the transcript scrolled out of view). */
  String text(String id) {
    Object t = script("return document.getElementById('" + id + "').textContent;");
    return t == null ? "" : t.toString();
  }

  /** The page's state badge: idle, connecting, live, reconnecting, failed, closed. */
  String state() {
    return driver.findElement(By.id("state")).getDomAttribute("data-state");
  }

  Object script(String js) {
    return ((JavascriptExecutor) driver).executeScript(js);
  }

  long number(String js) {
    Object v = script("return " + js + ";");
    return v == null ? 0 : ((Number) v).longValue();
  }

  void type(String text) {
    driver.findElement(By.id("text")).sendKeys(text);
    click("send");
  }

  /** Waits (up to {@link #WAIT}) for {@code condition}; fails with {@code what} and the page. */
  <T> T await(String what, Function<Chromium, T> condition) {
    try {
      return new WebDriverWait(driver, WAIT, Duration.ofMillis(50))
          .until(
              d -> {
                T v = condition.apply(this);
                return v instanceof Boolean b && !b ? null : v;
              });
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError(
          "Timed out waiting for "
              + what
              + "; state "
              + state()
              + ", page: "
              + text("state-detail")
              + " | "
              + driver.findElement(By.tagName("body")).getText(),
          e);
    }
  }

  void awaitState(String state) {
    await("state " + state, c -> state.equals(c.state()));
  }

  /** How many states the page has shown so far. */
  int stateCount() {
    return (int) number("voicePage.states.length");
  }

  /** Waits until the page has shown {@code state} since it had shown {@code count} states. */
  void awaitShownSince(int count, String state) {
    await(
        state + " after state #" + count,
        c -> {
          @SuppressWarnings("unchecked")
          java.util.List<String> states =
              (java.util.List<String>) c.script("return voicePage.states;");
          return states.subList(Math.min(count, states.size()), states.size()).contains(state);
        });
  }

  /**
   * Waits until Laura has answered the fake microphone's second utterance (the one that interrupts
   * her first answer) and her answer has played out.
   */
  void awaitAnswerToSecondUtterance() {
    await(
        "the answer to the second utterance",
        c ->
            c.text("transcript").split(java.util.regex.Pattern.quote(DemoScript.HEARD), -1).length
                == 3);
    await("the answer played out", c -> c.number("voicePage.queuedMs") == 0);
  }

  /** Saves a screenshot of the page as {@code <prefix>-<name>.png} in the build output. */
  Path screenshot(String name) {
    File shot = driver.getScreenshotAs(OutputType.FILE);
    Path target = screenshots.resolve(prefix + "-" + name + ".png");
    try {
      Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(target).isNotEmptyFile();
    return target;
  }

  @Override
  public void close() {
    driver.quit();
    try (var files = Files.walk(userData)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary profile is harmless
    }
  }
}
