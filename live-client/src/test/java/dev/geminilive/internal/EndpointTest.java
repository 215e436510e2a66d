package dev.geminilive.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import dev.geminilive.LiveAuthException;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EndpointTest {
  @Test
  void anApiKeyGoesToTheV1betaEndpointAsAHeader() {
    SessionSpec spec = ResilientLiveSession.builder().apiKey("k-123").build();
    Endpoint e = Endpoint.resolve(spec, null);
    assertThat(e.url())
        .isEqualTo(
            "wss://generativelanguage.googleapis.com/ws/google.ai.generativelanguage.v1beta"
                + ".GenerativeService.BidiGenerateContent");
    assertThat(e.headers()).containsEntry("x-goog-api-key", "k-123");
    assertThat(e.modelPath()).isEqualTo("models/gemini-3.8-live");
    assertThat(e.toString()).doesNotContain("k-123");
  }

  @Test
  void anEphemeralTokenGoesToTheConstrainedV1alphaEndpoint() {
    SessionSpec spec =
        ResilientLiveSession.builder()
            .ephemeralToken("auth_tokens/abc")
            .baseUrl("http://127.0.0.1:9")
            .build();
    Endpoint e = Endpoint.resolve(spec, "auth_tokens/abc");
    assertThat(e.url())
        .isEqualTo(
            "ws://127.0.0.1:9/ws/google.ai.generativelanguage.v1alpha"
                + ".GenerativeService.BidiGenerateContentConstrained");
    assertThat(e.headers()).containsEntry("Authorization", "Token auth_tokens/abc");
    assertThat(e.headers()).doesNotContainKey("x-goog-api-key");
  }

  @Test
  void aSupplierThatReturnsSomethingElseIsAClearAuthError() {
    SessionSpec spec = ResilientLiveSession.builder().ephemeralTokens(() -> "sk-live-xyz").build();
    assertThatThrownBy(() -> Endpoint.resolve(spec, "sk-live-xyz"))
        .isInstanceOf(LiveAuthException.class)
        .hasMessageContaining("auth_tokens/")
        .hasMessageNotContaining("sk-live-xyz");
  }

  @Test
  void vertexUsesTheRegionalHostTheResourcePathAndAFreshBearerTokenForEachConnect() {
    AtomicInteger refreshes = new AtomicInteger();
    GoogleCredentials credentials =
        new GoogleCredentials() {
          @Override
          public AccessToken refreshAccessToken() {
            int n = refreshes.incrementAndGet();
            return new AccessToken(
                "ya29.token-" + n, Date.from(Instant.now().plus(Duration.ofSeconds(1))));
          }
        };
    SessionSpec spec =
        ResilientLiveSession.builder().vertexAi("my-project", "europe-west4", credentials).build();
    Endpoint first = Endpoint.resolve(spec, null);
    assertThat(first.url())
        .isEqualTo(
            "wss://europe-west4-aiplatform.googleapis.com/ws/google.cloud.aiplatform.v1beta1"
                + ".LlmBidiService/BidiGenerateContent");
    assertThat(first.modelPath())
        .isEqualTo(
            "projects/my-project/locations/europe-west4/publishers/google/models/"
                + "gemini-3.8-live");
    assertThat(first.headers().get("Authorization")).startsWith("Bearer ya29.token-");
    assertThat(first.vertex()).isTrue();
    // The token expires within a minute, so the next connect refreshes it.
    Endpoint second = Endpoint.resolve(spec, null);
    assertThat(second.headers().get("Authorization"))
        .isNotEqualTo(first.headers().get("Authorization"));
  }

  @Test
  void theGlobalVertexLocationUsesTheGlobalHost() {
    GoogleCredentials credentials =
        GoogleCredentials.create(
            new AccessToken("t", Date.from(Instant.now().plus(Duration.ofHours(1)))));
    SessionSpec spec = ResilientLiveSession.builder().vertexAi("p", "global", credentials).build();
    assertThat(Endpoint.resolve(spec, null).url())
        .startsWith("wss://aiplatform.googleapis.com/ws/");
  }

  @Test
  void parsesProtobufDurationsAndAudioRates() {
    assertThat(Durations.parse("50s")).isEqualTo(Duration.ofSeconds(50));
    assertThat(Durations.parse("9.5s")).isEqualTo(Duration.ofMillis(9500));
    assertThat(Durations.parse("nonsense")).isEqualTo(Duration.ZERO);
    assertThat(Durations.sampleRate("audio/pcm;rate=24000")).isEqualTo(24000);
    assertThat(Durations.sampleRate("audio/pcm")).isEqualTo(24000);
    assertThat(Durations.sampleRate("audio/pcm;rate=16000;x=1")).isEqualTo(16000);
  }
}
