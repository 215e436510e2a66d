package dev.geminilive.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.testkit.FakeConnection;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeSession;
import dev.geminilive.testkit.FakeTokenEndpoint;
import dev.geminilive.testkit.HistoryEntry;
import dev.geminilive.testkit.MessageKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The browser-direct page in headless Chromium: it gets locked tokens from the app's token endpoint
 * and talks to the fake Live server itself with {@code @google/genai}. One call, in order: a spoken
 * turn, a barge-in, a goAway and a drop (a fresh token for each new connection, resuming with the
 * handle, and the fake resuming the same conversation), and a clear error when the token endpoint
 * refuses.
 */
@SpringBootTest(
    classes = VoiceCoachApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "gemini.live.token.endpoint.rate-limit=" + DirectPageBrowserTest.TOKENS_PER_HOUR,
      "gemini.live.token.endpoint.rate-window=1h"
    })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DirectPageBrowserTest {
  static final int TOKENS_PER_HOUR = 12;
  // snippet:spring-test-fakes
  private static final FakeLiveServer live = FakeLiveServer.builder().plain(true).build();
  private static final FakeTokenEndpoint tokens = FakeTokenEndpoint.start(live);

  @DynamicPropertySource
  static void fakeService(DynamicPropertyRegistry registry) {
    registry.add("gemini.live.api-key", live::apiKey);
    registry.add("gemini.live.base-url", live::baseUrl);
    registry.add("gemini.live.token.base-url", tokens::baseUrl);
  }

  // end:spring-test-fakes

  @LocalServerPort int port;
  private Chromium browser;

  @BeforeAll
  void startBrowser() {
    Chromium.assumeInstalled();
    live.script(new DemoScript());
    Path wav = FakeMicrophone.write(Path.of("target", "direct-page"));
    browser = new Chromium(wav, "direct");
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.close();
    }
    tokens.close();
    live.close();
  }

  @Test
  @Order(1)
  void aSpokenTurnGetsAudioAndATranscriptBackOverALockedToken() {
    browser.open("http://127.0.0.1:" + port + "/direct.html");
    browser.awaitState("idle");
    browser.screenshot("1-idle");

    browser.click("start");
    browser.awaitState("live");
    browser.await("the greeting", c -> c.text("transcript").contains("Hi, I'm Laura"));
    browser.screenshot("2-live-greeting");

    FakeConnection first = live.connections().get(0);
    assertThat(first.isConstrained()).isTrue();
    assertThat(first.apiVersion()).isEqualTo("v1alpha");
    // @google/genai puts a doubled slash after a configured baseUrl; the page sends it as is.
    assertThat(first.path()).startsWith("//ws/");
    assertThat(tokens.tokens()).hasSize(1);
    // The page asked for nothing but audio; the token locked the server's Laura into the setup.
    assertThat(
            live.sessions().get(0).effectiveSetup().at("/systemInstruction/parts/0/text").asText())
        .contains("You are Laura, a career coach from Brooklyn");
    assertThat(
            live.sessions()
                .get(0)
                .effectiveSetup()
                .at("/tools/0/functionDeclarations")
                .findValuesAsText("name"))
        .contains("create_client_profile", "schedule_appointment");

    browser.await("the user's words", c -> c.text("transcript").contains(DemoScript.HEARD));
    browser.await("Laura's answer", c -> c.text("transcript").contains("Great question"));
    assertThat(browser.number("voicePage.player.chunks")).isGreaterThan(10);
    assertThat(live.recorder().ofKind(MessageKind.REALTIME_AUDIO)).isNotEmpty();
  }

  @Test
  @Order(2)
  void speakingOverLauraEmptiesThePlaybackQueue() {
    browser.await("the barge-in", c -> !c.text("interrupted").isEmpty());
    browser.screenshot("3-interrupted");
    assertThat(browser.number("voicePage.player.cleared")).isGreaterThanOrEqualTo(1);
    assertThat(browser.number("voicePage.player.droppedMs")).isGreaterThan(0);
    browser.awaitAnswerToSecondUtterance();
  }

  @Test
  @Order(3)
  void aGoAwayMovesToANewConnectionWithAFreshTokenAndTheHandle() {
    int states = browser.stateCount();
    int minted = tokens.tokens().size();
    int connections = live.connections().size();
    live.faults().latency(Duration.ofMillis(700)); // keeps "reconnecting" on screen for a moment
    last().goAway(Duration.ofSeconds(5));
    browser.awaitShownSince(states, "reconnecting");
    browser.screenshot("4-reconnecting-after-goaway");
    browser.awaitState("live");
    live.faults().clear();

    assertThat(tokens.tokens().size()).isGreaterThan(minted);
    FakeConnection next = live.connections().get(connections);
    assertThat(next.isConstrained()).isTrue();
    // The page resumed with the newest handle it was given, through a token that locks
    // sessionResumption, and the fake continued the same conversation.
    List<com.fasterxml.jackson.databind.JsonNode> setups = live.recorder().setups();
    assertThat(setups.get(setups.size() - 1).toString()).contains("\"handle\"");
    assertThat(next.session()).containsSame(conversation());
    assertThat(live.sessions()).containsExactly(conversation());
    browser.type("What about interviews?");
    browser.await(
        "the reply", c -> c.text("transcript").contains("You said: What about interviews?"));
    // Let the reply finish: a drop in the middle of a reply makes the resumed model answer again.
    browser.await("the reply played out", c -> c.number("voicePage.queuedMs") == 0);
    browser.screenshot("5-live-after-goaway");
  }

  @Test
  @Order(4)
  void aDropShowsReconnectingAndTheCallGoesOn() {
    int states = browser.stateCount();
    live.faults().rejectUpgrades(1, 503);
    last().drop();
    browser.awaitShownSince(states, "reconnecting");
    browser.screenshot("6-reconnecting-after-drop");
    browser.awaitState("live");

    // Resumed again: still the call's first conversation, which remembers what came before.
    assertThat(last().session()).containsSame(conversation());
    assertThat(live.sessions()).containsExactly(conversation());
    assertThat(conversation().history())
        .contains(new HistoryEntry("user", "What about interviews?"));

    browser.type("Still there?");
    browser.await("the reply", c -> c.text("transcript").contains("You said: Still there?"));
    browser.await("the reply played out", c -> c.number("voicePage.queuedMs") == 0);
    browser.screenshot("7-live-after-drop");

    // A tool call: it runs on the server (the page shows the call and the result).
    browser.type("Which openings do you have?");
    browser.await(
        "the tool's answer", c -> c.text("transcript").contains("I have 2 openings next week."));
    assertThat(browser.text("tools"))
        .contains("→ get_available_appointments")
        .contains("← get_available_appointments");
    browser.screenshot("7b-tool-call");
  }

  @Test
  @Order(5)
  void aRefusedTokenShowsAClearError() {
    browser.click("stop");
    browser.awaitState("closed");
    // Use up this client's tokens for the hour; the next call's token request is refused.
    browser.script(
        "for (let i = 0; i < "
            + TOKENS_PER_HOUR
            + "; i++) { fetch('/api/live/token', {method: 'POST'}); }");
    browser.await(
        "the rate limit",
        c ->
            c.script("return fetch('/api/live/token', {method: 'POST'}).then(r => r.status);")
                .toString()
                .equals("429"));
    browser.click("start");
    browser.awaitState("failed");
    assertThat(browser.text("error"))
        .contains("The token endpoint refused: HTTP 429 (rate_limited)")
        .contains("Try again in");
    browser.screenshot("8-token-refused");
  }

  /** The fake's conversation of the call's first connection. */
  private static FakeSession conversation() {
    return live.connections().get(0).session().orElseThrow();
  }

  private static FakeConnection last() {
    List<FakeConnection> all = live.connections();
    return all.get(all.size() - 1);
  }
}
