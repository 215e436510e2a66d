package dev.geminilive.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeTokenEndpoint;
import dev.geminilive.testkit.MessageKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The relay's protocol without a browser (runs where Chromium is missing too): events and audio
 * out, typed turns in, and the live session closed with the browser's socket.
 */
@SpringBootTest(
    classes = VoiceCoachApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RelayHandlerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final FakeLiveServer live = FakeLiveServer.builder().plain(true).build();
  private static final FakeTokenEndpoint tokens = FakeTokenEndpoint.start(live);

  @DynamicPropertySource
  static void fakeService(DynamicPropertyRegistry registry) {
    registry.add("gemini.live.api-key", live::apiKey);
    registry.add("gemini.live.base-url", live::baseUrl);
    registry.add("gemini.live.token.base-url", tokens::baseUrl);
  }

  @AfterAll
  static void stop() {
    tokens.close();
    live.close();
  }

  @LocalServerPort int port;

  @Test
  void aCallRelaysEventsAndAudioAndEndsWithTheBrowsersSocket() throws Exception {
    live.script(new DemoScript());
    BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    AtomicInteger audioBytes = new AtomicInteger();
    CountDownLatch audioArrived = new CountDownLatch(1);
    WebSocket socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(
                URI.create("ws://127.0.0.1:" + port + RelayConfiguration.PATH),
                new WebSocket.Listener() {
                  private final StringBuilder text = new StringBuilder();

                  @Override
                  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                      try {
                        events.add(JSON.readTree(text.toString()));
                      } catch (Exception e) {
                        throw new AssertionError("not JSON: " + text, e);
                      }
                      text.setLength(0);
                    }
                    ws.request(1);
                    return null;
                  }

                  @Override
                  public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                    if (audioBytes.addAndGet(data.remaining()) > 0) {
                      audioArrived.countDown();
                    }
                    ws.request(1);
                    return null;
                  }
                })
            .get(10, TimeUnit.SECONDS);

    assertThat(next(events, "state").path("state").asText()).isEqualTo("connecting");
    assertThat(next(events, "state").path("state").asText()).isEqualTo("live");
    assertThat(next(events, "transcript").path("text").asText()).isEqualTo(DemoScript.HELLO);
    assertThat(audioArrived.await(10, TimeUnit.SECONDS)).as("audio on the socket").isTrue();

    socket.sendText("{\"type\":\"text\",\"text\":\"Which openings do you have?\"}", true);
    JsonNode call = next(events, "tool");
    assertThat(call.path("phase").asText()).isEqualTo("call");
    assertThat(call.path("name").asText()).isEqualTo("get_available_appointments");
    assertThat(next(events, "tool").path("phase").asText()).isEqualTo("result");
    assertThat(next(events, "transcript").path("text").asText())
        .isEqualTo("I have 2 openings next week.");
    assertThat(live.recorder().ofKind(MessageKind.TOOL_RESPONSE)).hasSize(1);

    socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
    assertThat(live.connections().get(0).awaitClosed(Duration.ofSeconds(10))).isTrue();
    assertThat(live.connections().get(0).clientCloseCode()).hasValue(1000);
  }

  /** The next event of {@code type}, skipping others (turn ends, interruptions). */
  private static JsonNode next(BlockingQueue<JsonNode> events, String type)
      throws InterruptedException {
    while (true) {
      JsonNode e = events.poll(10, TimeUnit.SECONDS);
      assertThat(e).as("a %s event", type).isNotNull();
      if (e.path("type").asText().equals(type)) {
        return e;
      }
    }
  }
}
