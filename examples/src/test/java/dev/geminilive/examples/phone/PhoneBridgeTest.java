package dev.geminilive.examples.phone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.audio.G711;
import dev.geminilive.examples.Console;
import dev.geminilive.examples.ExampleCommandLine;
import dev.geminilive.examples.ThreadWatch;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.Script;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PhoneBridgeTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<Duration> heard = new CopyOnWriteArrayList<>();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private FakeLiveServer live;
  private PhoneBridge bridge;

  private void start(Script script) throws InterruptedException {
    live = FakeLiveServer.builder().script(script).build();
    bridge =
        PhoneBridge.builder().sessions(() -> live.sessionBuilder()).events(events::add).start();
  }

  @AfterEach
  void stop() {
    if (bridge != null) {
      bridge.close();
    }
    if (live != null) {
      live.close();
    }
  }

  @Test
  void bridgesTheCallersMuLawToPcm16kAndTheAnswerBackAsMuLawFramesOfTheStream() throws Exception {
    start(
        Script.create()
            .onAudio()
            .reply(
                (turn, r) -> {
                  heard.add(turn.audioDuration());
                  r.say("How can I help?", Duration.ofMillis(1000));
                }));

    List<JsonNode> media = new ArrayList<>();
    JsonNode mark;
    try (TwilioCaller caller = TwilioCaller.dial(bridge.uri(), "MZ-test-1")) {
      caller.speak(TwilioCaller.voice(Duration.ofMillis(800)));
      caller.speak(TwilioCaller.silence(Duration.ofMillis(700)));
      mark = collectMediaUntil(caller, "mark", media);
    }

    // The fake heard 800 ms of voice plus its 500 ms end-of-speech silence: only right if the
    // bridge sent 16 kHz PCM labelled as such (8 kHz samples would last half as long).
    assertThat(heard).hasSize(1);
    assertThat(heard.get(0).toMillis()).isBetween(1250L, 1350L);

    // 1000 ms of 24 kHz model audio became exactly 50 frames of 20 ms of 8 kHz mu-law.
    assertThat(media).hasSize(50);
    ByteArrayOutputStream mulaw = new ByteArrayOutputStream();
    for (JsonNode m : media) {
      assertThat(m.path("streamSid").asText()).isEqualTo("MZ-test-1");
      byte[] payload = Base64.getDecoder().decode(m.path("media").path("payload").asText());
      assertThat(payload).hasSize(PhoneCall.FRAME_BYTES);
      mulaw.writeBytes(payload);
    }
    // Decoded, it is the fake's voice: a 180 Hz tone, loud (about 360 zero crossings a second).
    short[] pcm = G711.decodeMuLaw(mulaw.toByteArray());
    assertThat(rms(pcm)).isGreaterThan(2000);
    assertThat(zeroCrossingsPerSecond(pcm)).isBetween(320.0, 400.0);
    assertThat(mark.path("streamSid").asText()).isEqualTo("MZ-test-1");
    assertThat(mark.path("mark").path("name").asText()).isEqualTo("answer-1");
    assertThat(events).contains("[MZ-test-1] call started (audio/x-mulaw, 8000 Hz)");
  }

  @Test
  void aCallerWhoTalksOverTheAnswerGetsClearAndNothingMoreOfThatAnswer() throws Exception {
    AtomicInteger turns = new AtomicInteger();
    start(
        Script.create()
            .realTime()
            .onAudio()
            .reply(
                r ->
                    r.say(
                        "answer " + turns.incrementAndGet(),
                        turns.get() == 1 ? Duration.ofMillis(3000) : Duration.ofMillis(400))));

    try (TwilioCaller caller = TwilioCaller.dial(bridge.uri(), "MZ-test-2")) {
      caller.speak(TwilioCaller.voice(Duration.ofMillis(800)));
      caller.speak(TwilioCaller.silence(Duration.ofMillis(700)));
      List<JsonNode> first = new ArrayList<>();
      while (first.size() < 5) {
        first.add(expect(caller, "media"));
      }

      caller.speak(TwilioCaller.voice(Duration.ofMillis(600))); // barge-in, still speaking
      JsonNode clear = collectMediaUntil(caller, "clear", first);

      assertThat(clear.path("streamSid").asText()).isEqualTo("MZ-test-2");
      assertThat(first.size() * 20).as("ms of the first answer sent").isLessThan(3000);
      // Until the caller stops talking the agent says nothing: no media of the interrupted answer.
      assertThat(caller.next(Duration.ofMillis(600))).isNull();
      assertThat(events).contains("[MZ-test-2] barge-in: the caller spoke, sent clear");

      caller.speak(TwilioCaller.silence(Duration.ofMillis(700))); // end of the second question
      List<JsonNode> second = new ArrayList<>();
      JsonNode mark = collectMediaUntil(caller, "mark", second);
      assertThat(second).hasSize(20); // the whole 400 ms second answer
      assertThat(mark.path("mark").path("name").asText()).isEqualTo("answer-1");
    }
  }

  @Test
  void aStreamInAnotherFormatIsClosedWithoutOpeningASession() throws Exception {
    start(Script.create());

    try (TwilioCaller caller = TwilioCaller.dial(bridge.uri(), "MZ-test-3", "audio/l16", 16_000)) {
      JsonNode closed = expect(caller, "closed");
      assertThat(closed.path("code").asInt()).isEqualTo(1003);
      assertThat(closed.path("reason").asText()).isEqualTo("expected audio/x-mulaw 8000 Hz mono");
    }
    assertThat(live.connections()).isEmpty();
  }

  @Test
  void anyOtherRequestGets404() throws Exception {
    start(Script.create());
    URI other = URI.create("http://127.0.0.1:" + bridge.port() + "/");

    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(other).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(events).isEmpty();
  }

  @Test
  void theOfflineDemoRunsACallWithABargeIn() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code = PhoneBridgeDemo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertThat(code).as(printed).isZero();
    assertThat(printed)
        .contains("bridge  [MZ-demo-call] call started (audio/x-mulaw, 8000 Hz)")
        .contains("caller  heard 25 media frames (500 ms) of the greeting")
        .contains("bridge  [MZ-demo-call] barge-in: the caller spoke, sent clear")
        .contains("caller  heard the answer: 75 media frames (1500 ms), then a mark");
  }

  private static JsonNode expect(TwilioCaller caller, String event) throws InterruptedException {
    JsonNode m = caller.next(WAIT);
    assertThat(m).as("a " + event + " event within " + WAIT).isNotNull();
    assertThat(m.path("event").asText()).as(m.toString()).isEqualTo(event);
    return m;
  }

  /** Adds media events to {@code media} until an event named {@code until}, which it returns. */
  private static JsonNode collectMediaUntil(TwilioCaller caller, String until, List<JsonNode> media)
      throws InterruptedException {
    while (true) {
      JsonNode m = caller.next(WAIT);
      assertThat(m).as("a " + until + " event within " + WAIT).isNotNull();
      String event = m.path("event").asText();
      if (event.equals(until)) {
        return m;
      }
      assertThat(event).as(m.toString()).isEqualTo("media");
      media.add(m);
    }
  }

  private static double rms(short[] pcm) {
    double sum = 0;
    for (short s : pcm) {
      sum += (double) s * s;
    }
    return Math.sqrt(sum / pcm.length);
  }

  private static double zeroCrossingsPerSecond(short[] pcm) {
    int crossings = 0;
    for (int i = 1; i < pcm.length; i++) {
      if ((pcm[i - 1] < 0) != (pcm[i] < 0)) {
        crossings++;
      }
    }
    return crossings * (double) PhoneCall.TELEPHONY_RATE_HZ / pcm.length;
  }

  @Test
  void aTakenPortFailsStartWithAnUncheckedExceptionNamingItAndLeavesNothingRunning()
      throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      ThreadWatch threads = new ThreadWatch();

      assertThatThrownBy(
              () -> PhoneBridge.builder().sessions(PhoneBridge::receptionist).port(port).start())
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("127.0.0.1:" + port)
          .hasMessageContaining("Choose another port");
      assertThat(threads.survivors(WAIT)).as("threads left running").isEmpty();
    }
  }

  @Test
  void closeReleasesEveryThreadTheBridgeStarted() throws Exception {
    ThreadWatch threads = new ThreadWatch();
    start(Script.create());
    assertThat(threads.started())
        .allSatisfy(t -> assertThat(t.isDaemon()).as(t.getName()).isTrue());

    bridge.close();
    live.close();

    assertThat(threads.survivors(WAIT)).as("threads left running after close()").isEmpty();
  }

  @Test
  void aTakenPortThroughTheCommandLineIsOneLineNamingItAndExitCode1() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Console console = new Console();
      int code =
          PhoneBridge.run(
              new String[] {"--port=" + taken.getLocalPort()},
              null,
              console.in(),
              console.out(),
              console.err());

      assertThat(code).isEqualTo(1);
      assertThat(console.errors())
          .startsWith(
              "PhoneBridge: The phone bridge cannot listen on 127.0.0.1:" + taken.getLocalPort())
          .doesNotContain("\tat ");
    }
  }

  @Test
  void aBadPortIsOneLineOnStderrAndExitCode2() throws Exception {
    for (String[] args : new String[][] {{"--port", "x"}, {"--port=-1"}, {"--porrt=1"}}) {
      Console console = new Console();
      int code = PhoneBridge.run(args, null, console.in(), console.out(), console.err());

      assertThat(code).as(String.join(" ", args)).isEqualTo(ExampleCommandLine.EXIT_USAGE);
      console.assertUsageErrorWithoutStackTrace("PhoneBridge");
    }
  }

  @Test
  void helpAndVersionPrintAndExitWithZero() throws Exception {
    Console help = new Console();
    assertThat(PhoneBridge.run(new String[] {"--help"}, null, help.in(), help.out(), help.err()))
        .isZero();
    help.assertHelp("PhoneBridge", "--port=N");
    Console version = new Console();
    assertThat(
            PhoneBridge.run(
                new String[] {"--version"}, null, version.in(), version.out(), version.err()))
        .isZero();
    version.assertVersion("PhoneBridge");
  }
}
