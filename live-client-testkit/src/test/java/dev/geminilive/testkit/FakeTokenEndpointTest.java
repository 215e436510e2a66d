package dev.geminilive.testkit;

import static dev.geminilive.testkit.RawWebSocket.path;
import static dev.geminilive.testkit.RawWebSocket.setup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.genai.types.AuthToken;
import com.google.genai.types.Content;
import com.google.genai.types.CreateAuthTokenConfig;
import com.google.genai.types.LiveConnectConfig;
import com.google.genai.types.LiveConnectConstraints;
import com.google.genai.types.Modality;
import com.google.genai.types.Part;
import com.google.genai.types.SessionResumptionConfig;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Ephemeral tokens minted by the SDK against the WireMock fake, used on the constrained path. */
class FakeTokenEndpointTest {
  static final String MODEL = "gemini-3.1-flash-live-preview";
  static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension final FakeLiveServerExtension live = new FakeLiveServerExtension();

  @Test
  void mintsATokenThroughTheSdkThatOpensASessionOnTheConstrainedPath() throws Exception {
    FakeLiveServer server = live.server();
    try (FakeTokenEndpoint endpoint = FakeTokenEndpoint.start(server)) {
      AuthToken token =
          endpoint.sdkClient().authTokens.create(CreateAuthTokenConfig.builder().uses(2).build());

      assertThat(token.name().get()).startsWith("auth_tokens/");
      assertThat(endpoint.requests().get(0).path("uses").asInt()).isEqualTo(2);
      SdkInbox.Connected c =
          SdkInbox.connect(
              server.sdkClient(token.name().get(), "v1alpha"),
              MODEL,
              SdkConversationTest.richConfig());
      c.session().sendRealtimeInput(SdkConversationTest.text("hi")).get();
      c.inbox().untilTurnComplete();
      FakeConnection conn = server.connections().get(0);
      assertThat(conn.isConstrained()).isTrue();
      assertThat(conn.requestHeader("Authorization")).contains("Token " + token.name().get());
    }
  }

  @Test
  void closeReleasesEveryThreadTheEndpointAndItsClientsStarted() throws Exception {
    ThreadWatch threads = new ThreadWatch();
    FakeTokenEndpoint endpoint = FakeTokenEndpoint.start(live.server());
    endpoint.sdkClient().authTokens.create(CreateAuthTokenConfig.builder().uses(1).build());

    endpoint.close();

    assertThat(threads.survivors(WAIT)).as("threads left running after close()").isEmpty();
  }

  @Test
  void refusesAFreshSessionWith1011OnceTheUsesAreSpentButLetsAResumeThrough() throws Exception {
    FakeLiveServer server = live.server();
    try (FakeTokenEndpoint endpoint = FakeTokenEndpoint.start(server)) {
      String token =
          endpoint
              .sdkClient()
              .authTokens
              .create(CreateAuthTokenConfig.builder().uses(1).build())
              .name()
              .get();
      String constrained = path("v1alpha", true) + "?access_token=" + token;
      RawWebSocket first = RawWebSocket.open(server, constrained).send(setup(MODEL));
      first.send("{\"realtimeInput\":{\"text\":\"hi\"}}");
      String handle = ProtocolChecksTest.handleFrom(first);

      RawWebSocket second = RawWebSocket.open(server, constrained).send(setup(MODEL));
      assertThat(second.awaitClose()).isEqualTo("1011 Token has been used too many times");

      first.webSocket.close(1000, null);
      assertThat(server.connections().get(0).awaitClosed(WAIT)).isTrue();
      RawWebSocket resumed =
          RawWebSocket.open(server, constrained)
              .send(
                  "{\"setup\":{\"model\":\"models/"
                      + MODEL
                      + "\",\"sessionResumption\":{\"handle\":\""
                      + handle
                      + "\"}}}");
      assertThat(resumed.take()).contains("setupComplete");
    }
  }

  @Test
  void enforcesLockedSetupFieldsWhateverTheClientSends() throws Exception {
    FakeLiveServer server = live.server();
    try (FakeTokenEndpoint endpoint = FakeTokenEndpoint.start(server)) {
      LiveConnectConfig locked =
          LiveConnectConfig.builder()
              .responseModalities(Modality.Known.AUDIO)
              .temperature(0.2f)
              .systemInstruction(Content.fromParts(Part.fromText("Only talk about bookings.")))
              .build();
      String token =
          endpoint
              .sdkClient()
              .authTokens
              .create(
                  CreateAuthTokenConfig.builder()
                      .liveConnectConstraints(
                          LiveConnectConstraints.builder().model(MODEL).config(locked))
                      .lockAdditionalFields()
                      .build())
              .name()
              .get();
      assertThat(endpoint.requests().get(0).path("fieldMask").asText())
          .contains("generationConfig.temperature", "systemInstruction");

      SdkInbox.Connected c =
          SdkInbox.connect(
              server.sdkClient(token, "v1alpha"), MODEL, SdkConversationTest.richConfig());

      FakeSession session = server.sessions().get(0);
      assertThat(server.recorder().setups().get(0).at("/systemInstruction/parts/0/text").asText())
          .isEqualTo("You are Laura, a career coach.");
      assertThat(session.effectiveSetup().at("/systemInstruction/parts/0/text").asText())
          .isEqualTo("Only talk about bookings.");
      assertThat(session.effectiveSetup().at("/generationConfig/temperature").asDouble())
          .isEqualTo(0.2, org.assertj.core.data.Offset.offset(1e-6));
      assertThat(session.effectiveSetup().at("/generationConfig/speechConfig").isObject()).isTrue();
      c.session().close().get();
    }
  }

  @Test
  void aLockedSessionResumptionKeepsTheClientsHandleSoTheConversationResumes() throws Exception {
    resumesTheSameConversationThroughALock(false);
  }

  @Test
  void aMaskedSessionResumptionLockKeepsTheClientsHandleToo() throws Exception {
    resumesTheSameConversationThroughALock(true);
  }

  /** Locks {@code sessionResumption: {}} (every field, or through a field mask) and resumes. */
  private void resumesTheSameConversationThroughALock(boolean masked) throws Exception {
    FakeLiveServer server = live.server();
    try (FakeTokenEndpoint endpoint = FakeTokenEndpoint.start(server)) {
      LiveConnectConfig locked =
          LiveConnectConfig.builder()
              .responseModalities(Modality.Known.AUDIO)
              .sessionResumption(SessionResumptionConfig.builder().build())
              .build();
      CreateAuthTokenConfig.Builder mint =
          CreateAuthTokenConfig.builder()
              .uses(2)
              .liveConnectConstraints(LiveConnectConstraints.builder().model(MODEL).config(locked));
      if (masked) {
        mint.lockAdditionalFields();
      }
      String token = endpoint.sdkClient().authTokens.create(mint.build()).name().get();
      JsonNode request = endpoint.requests().get(0);
      if (masked) {
        assertThat(request.path("fieldMask").asText()).contains("sessionResumption");
      } else {
        assertThat(request.has("fieldMask")).as("no mask locks every field").isFalse();
      }
      String constrained = path("v1alpha", true) + "?access_token=" + token;
      RawWebSocket first = RawWebSocket.open(server, constrained).send(setup(MODEL));
      first.send("{\"realtimeInput\":{\"text\":\"hi\"}}");
      String handle = ProtocolChecksTest.handleFrom(first);
      first.webSocket.close(1000, null);
      assertThat(server.connections().get(0).awaitClosed(WAIT)).isTrue();

      RawWebSocket resumed =
          RawWebSocket.open(server, constrained)
              .send(
                  "{\"setup\":{\"model\":\"models/"
                      + MODEL
                      + "\",\"sessionResumption\":{\"handle\":\""
                      + handle
                      + "\"}}}");
      assertThat(resumed.take()).contains("setupComplete");

      FakeSession original = server.connections().get(0).session().orElseThrow();
      assertThat(server.connections().get(1).session()).containsSame(original);
      assertThat(server.sessions()).containsExactly(original);
      assertThat(original.effectiveSetup().at("/sessionResumption/handle").asText())
          .isEqualTo(handle);
    }
  }

  @Test
  void refusesAnExpiredTokenLikeABadKey() throws Exception {
    FakeLiveServer server = live.server();
    try (FakeTokenEndpoint endpoint = FakeTokenEndpoint.start(server)) {
      String token =
          endpoint
              .sdkClient()
              .authTokens
              .create(
                  CreateAuthTokenConfig.builder().expireTime(Instant.now().minusSeconds(5)).build())
              .name()
              .get();
      RawWebSocket ws =
          RawWebSocket.open(server, path("v1alpha", true), "Authorization", "Token " + token);
      assertThat(ws.awaitClose()).isEqualTo("1008 API key not valid. Please pass a valid API key.");
    }
  }

  @Test
  void refusesNewSessionsAfterNewSessionExpireTime() throws Exception {
    FakeLiveServer server = live.server();
    try (FakeTokenEndpoint endpoint = FakeTokenEndpoint.start(server)) {
      String token =
          endpoint
              .sdkClient()
              .authTokens
              .create(
                  CreateAuthTokenConfig.builder()
                      .newSessionExpireTime(Instant.now().minusSeconds(5))
                      .build())
              .name()
              .get();
      RawWebSocket ws =
          RawWebSocket.open(server, path("v1alpha", true) + "?access_token=" + token)
              .send(setup(MODEL));
      assertThat(ws.awaitClose()).isEqualTo("1008 API key expired. Please renew the API key.");
    }
  }

  @Test
  void rejectsMintRequestsWithTheWrongKey() {
    FakeLiveServer server = live.server();
    try (FakeTokenEndpoint endpoint = FakeTokenEndpoint.start(server)) {
      com.google.genai.Client wrong =
          com.google.genai.Client.builder()
              .apiKey("wrong")
              .httpOptions(
                  com.google.genai.types.HttpOptions.builder()
                      .baseUrl(endpoint.baseUrl())
                      .apiVersion("v1alpha")
                      .build())
              .build();
      try (wrong) {
        assertThatThrownBy(
                () -> wrong.authTokens.create(CreateAuthTokenConfig.builder().uses(1).build()))
            .hasMessageContaining("API key not valid");
      }
      assertThat(endpoint.tokens()).isEmpty();
    }
  }
}
