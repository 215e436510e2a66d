package dev.geminilive.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.testkit.FakeConnection;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeSession;
import dev.geminilive.testkit.FakeTokenEndpoint;
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
 * The relay page in headless Chromium against the app and the fake Live server: one call, in order:
 * a spoken turn with audio both ways and its transcript, a barge-in that empties playback, a goAway
 * and a drop that show "reconnecting" while the call goes on.
 */
@SpringBootTest(
    classes = VoiceCoachApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"gemini.live.reconnect.initial-delay=300ms", "gemini.live.reconnect.jitter=0"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RelayPageBrowserTest {
  private static final FakeLiveServer live = FakeLiveServer.builder().plain(true).build();
  private static final FakeTokenEndpoint tokens = FakeTokenEndpoint.start(live);

  @DynamicPropertySource
  static void fakeService(DynamicPropertyRegistry registry) {
    registry.add("gemini.live.api-key", live::apiKey);
    registry.add("gemini.live.base-url", live::baseUrl);
    registry.add("gemini.live.token.base-url", tokens::baseUrl);
  }

  @LocalServerPort int port;
  private Chromium browser;

  @BeforeAll
  void startBrowser() {
    Chromium.assumeInstalled();
    live.script(new DemoScript());
    Path wav = FakeMicrophone.write(Path.of("target", "relay-page"));
    browser = new Chromium(wav, "relay");
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
  void aSpokenTurnGetsAudioAndATranscriptBack() {
    browser.open("http://127.0.0.1:" + port + "/relay.html");
    browser.awaitState("idle");
    browser.screenshot("1-idle");

    browser.click("start");
    browser.awaitState("live");
    // Laura greets first: her words in the transcript, her voice in the playback queue.
    browser.await("the greeting", c -> c.text("transcript").contains("Hi, I'm Laura"));
    browser.screenshot("2-live-greeting");

    // The fake microphone speaks at 3 s (after the greeting); the fake model hears it and answers.
    browser.await("the user's words", c -> c.text("transcript").contains(DemoScript.HEARD));
    browser.await("Laura's answer", c -> c.text("transcript").contains("Great question"));
    assertThat(browser.number("voicePage.player.chunks")).isGreaterThan(10);
    assertThat(live.recorder().ofKind(MessageKind.REALTIME_AUDIO)).isNotEmpty();
    assertThat(live.recorder().ofKind(MessageKind.REALTIME_AUDIO).get(0).json().toString())
        .contains("audio/pcm;rate=16000");
  }

  @Test
  @Order(2)
  void speakingOverLauraEmptiesThePlaybackQueue() {
    // The second utterance (at 5 s) comes while Laura's answer is still arriving.
    browser.await("the barge-in", c -> !c.text("interrupted").isEmpty());
    browser.screenshot("3-interrupted");
    assertThat(browser.number("voicePage.player.cleared")).isGreaterThanOrEqualTo(1);
    assertThat(browser.number("voicePage.player.droppedMs")).isGreaterThan(0);
    assertThat(browser.text("interrupted")).contains("dropped").contains("ms of queued speech");
    browser.awaitAnswerToSecondUtterance();
  }

  @Test
  @Order(3)
  void aGoAwayShowsReconnectingAndTheConversationGoesOn() throws Exception {
    FakeSession conversation = live.sessions().get(0);
    int states = browser.stateCount();
    // Slow answers make the move visible; the session moves at the next pause.
    live.faults().latency(Duration.ofMillis(700));
    last().goAway(Duration.ofSeconds(5));
    browser.awaitShownSince(states, "reconnecting");
    browser.screenshot("4-reconnecting-after-goaway");
    browser.awaitState("live");
    live.faults().clear();

    browser.type("What about interviews?");
    browser.await(
        "the reply", c -> c.text("transcript").contains("You said: What about interviews?"));
    // Let the reply finish: a drop in the middle of a reply makes the resumed model answer again.
    browser.await("the reply played out", c -> c.number("voicePage.queuedMs") == 0);
    // Resumed: the same conversation on a second connection.
    assertThat(live.sessions()).hasSize(1);
    assertThat(conversation.connections()).hasSizeGreaterThanOrEqualTo(2);
    browser.screenshot("5-live-after-goaway");
  }

  @Test
  @Order(4)
  void aDropShowsReconnectingAndTheConversationGoesOn() throws Exception {
    int states = browser.stateCount();
    live.faults().rejectUpgrades(1, 503); // a failed attempt keeps "reconnecting" on screen
    last().drop();
    browser.awaitShownSince(states, "reconnecting");
    browser.screenshot("6-reconnecting-after-drop");
    browser.awaitState("live");

    browser.type("Still there?");
    browser.await("the reply", c -> c.text("transcript").contains("You said: Still there?"));
    browser.await("the reply played out", c -> c.number("voicePage.queuedMs") == 0);
    assertThat(live.sessions()).hasSize(1);
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
  void aCallThatCannotStartShowsWhy() {
    browser.click("stop");
    browser.awaitState("closed");
    live.faults().rejectSetups(1, 1008, "Request contains an invalid argument.");
    browser.click("start");
    browser.awaitState("failed");
    assertThat(browser.text("error")).contains("The call failed").contains("1008");
    browser.screenshot("8-failed");
    live.faults().clear();
  }

  private static FakeConnection last() {
    List<FakeConnection> all = live.connections();
    return all.get(all.size() - 1);
  }
}
