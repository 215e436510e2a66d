package dev.geminilive.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import dev.geminilive.LiveAuthException;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ModelProfile;
import dev.geminilive.ReconnectPolicy;
import dev.geminilive.ResilientLiveSession;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code server.configure(builder)} aims an application's own builder at the fake, in one call. */
class ConfigureTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension final FakeLiveServerExtension live = new FakeLiveServerExtension();

  /** What an application's code builds: its own credentials, model, persona and policy. */
  private static LiveSessionBuilder applicationBuilder() {
    return ResilientLiveSession.builder()
        .ephemeralToken("auth_tokens/minted-by-the-application")
        .model(ModelProfile.GEMINI_2_5_FLASH_NATIVE_AUDIO)
        .persona("You are Robin, the receptionist of a small dental practice.")
        .reconnectPolicy(ReconnectPolicy.none());
  }

  @Test
  void pointsTheApplicationsBuilderAtTheServerAndKeepsEverythingElse() throws Exception {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        server.configure(applicationBuilder()).listener(events).connect()) {
      session.sendText("hello");
      events.awaitTurnComplete();

      JsonNode setup = server.recorder().setups().get(0);
      assertThat(setup.path("model").asText())
          .isEqualTo("models/" + ModelProfile.GEMINI_2_5_FLASH_NATIVE_AUDIO);
      assertThat(setup.at("/systemInstruction/parts/0/text").asText()).contains("You are Robin");
      assertThat(server.connections().get(0).requestHeader("x-goog-api-key"))
          .contains(server.apiKey());
      assertThat(server.connections().get(0).isConstrained()).isFalse();

      // The application's own policy (never reconnect) is what runs: a drop ends the session.
      server.connections().get(0).drop();
      assertThat(events.awaitEnd(WAIT).type()).isEqualTo(RecordingLiveListener.EventType.FAILURE);
      assertThat(server.connections()).hasSize(1);
    }
  }

  @Test
  void returnsTheSameBuilderForChaining() {
    LiveSessionBuilder builder = applicationBuilder();

    assertThat(live.server().configure(builder)).isSameAs(builder);
  }

  @Test
  void aimsTheBuilderAtTheServerAsVertexAi() {
    FakeLiveServer server = live.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        server.configureVertexAi(applicationBuilder()).listener(events).connect()) {
      session.sendText("hello");
      events.awaitTurnComplete();

      FakeConnection connection = server.connections().get(0);
      assertThat(connection.requestHeader("authorization")).contains("Bearer " + server.apiKey());
      assertThat(connection.path()).contains("google.cloud.aiplatform.v1beta1.LlmBidiService");
      assertThat(server.recorder().setups().get(0).path("model").asText())
          .isEqualTo(
              "projects/"
                  + FakeLiveServer.VERTEX_PROJECT
                  + "/locations/"
                  + FakeLiveServer.VERTEX_LOCATION
                  + "/publishers/google/models/"
                  + ModelProfile.GEMINI_2_5_FLASH_NATIVE_AUDIO);
    }
  }

  @Test
  void refusesAVertexAiTokenItDidNotIssue() {
    LiveSessionBuilder builder =
        live.server()
            .configureVertexAi(applicationBuilder())
            .vertexAi(
                FakeLiveServer.VERTEX_PROJECT,
                FakeLiveServer.VERTEX_LOCATION,
                GoogleCredentials.create(
                    new AccessToken(
                        "not-the-servers-token",
                        Date.from(Instant.now().plus(Duration.ofHours(1))))));

    assertThatThrownBy(builder::connect).isInstanceOf(LiveAuthException.class);
  }
}
