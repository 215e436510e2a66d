package dev.geminilive.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.geminilive.LiveConnectException;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.micrometer.GeminiLiveMetrics;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeTokenEndpoint;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The starter in a running Spring Boot application against the testkit's fake Live server and fake
 * token endpoint, which supply the base URLs.
 */
@SpringBootTest(
    classes = CoachTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "gemini.live.voice=Peri",
      "gemini.live.language=en-US",
      "gemini.live.token.endpoint.enabled=true",
      "gemini.live.token.endpoint.rate-limit=2",
      "gemini.live.token.endpoint.rate-window=1h",
      "management.endpoint.health.show-details=always",
      "management.endpoint.health.show-components=always"
    })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class StarterSpringBootTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final FakeLiveServer live = FakeLiveServer.builder().plain(true).build();
  private static final FakeTokenEndpoint tokenEndpoint = FakeTokenEndpoint.start(live);

  @DynamicPropertySource
  static void fakeService(DynamicPropertyRegistry registry) {
    registry.add("gemini.live.api-key", live::apiKey);
    registry.add("gemini.live.base-url", live::baseUrl);
    registry.add("gemini.live.token.base-url", tokenEndpoint::baseUrl);
  }

  @AfterAll
  static void stopFakes() {
    tokenEndpoint.close();
    live.close();
  }

  @Autowired ObjectProvider<LiveSessionBuilder> builders;
  @Autowired LiveSessions sessions;
  @Autowired CoachTestApp.CoachDesk desk;
  @Autowired MeterRegistry registry;
  @LocalServerPort int port;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void clearUser() {
    SecurityContextHolder.clearContext();
    live.faults().clear();
  }

  @Test
  void aToolBeanRunsThroughItsProxyAsTheUserTheSessionIsFor() throws Exception {
    assertThat(AopUtils.isAopProxy(desk)).isTrue();
    live.script(
        s -> s.onText("who am I?").callTool("whoami", Map.of()).onAnyToolResponse().say("Noted."));
    signIn("maya", "ROLE_CLIENT");
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = sessions.connect(builders.getObject().listener(events))) {
      SecurityContextHolder.clearContext(); // the tool must not depend on the caller's thread
      session.sendText("who am I?");
      JsonNode result = (JsonNode) events.await(EventType.TOOL_RESULT).value();
      assertThat(result.path("output").asText()).isEqualTo("maya");
    }
  }

  @Test
  void methodSecurityOnAToolRefusesAUserWithoutTheRole() throws Exception {
    live.script(
        s -> s.onText("who am I?").callTool("whoami", Map.of()).onAnyToolResponse().say("Noted."));
    signIn("sam", "ROLE_VISITOR");
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = sessions.connect(builders.getObject().listener(events))) {
      session.sendText("who am I?");
      JsonNode result = (JsonNode) events.await(EventType.TOOL_RESULT).value();
      assertThat(result.has("error")).isTrue();
      assertThat(result.has("output")).isFalse();
    }
  }

  @Test
  void theTokenEndpointMintsATokenLockedToTheUsersSession(CapturedOutput output) throws Exception {
    HttpResponse<String> response = postToken("maya", "maya-pass");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
    JsonNode body = JSON.readTree(response.body());
    String token = body.path("accessToken").asText();
    assertThat(token).startsWith("auth_tokens/");
    assertThat(body.path("model").asText()).isEqualTo("gemini-3.8-live");

    JsonNode minted = tokenEndpoint.requests().get(tokenEndpoint.requests().size() - 1);
    JsonNode setup = minted.path("bidiGenerateContentSetup");
    assertThat(setup.at("/systemInstruction/parts/0/text").asText())
        .contains("Your client is maya.")
        .contains("RESPOND IN ENGLISH");
    assertThat(
            setup
                .at("/generationConfig/speechConfig/voiceConfig/prebuiltVoiceConfig/voiceName")
                .asText())
        .isEqualTo("Peri");
    assertThat(setup.at("/tools/0/functionDeclarations").findValuesAsText("name"))
        .contains("whoami", "slow_report");
    assertThat(output.getAll()).contains("Minted a token for maya").doesNotContain(token);
  }

  @Test
  void theTokenEndpointRefusesAnonymousUsersAndLimitsEachUser() throws Exception {
    HttpResponse<String> anonymous =
        http.send(
            HttpRequest.newBuilder(tokenUri()).POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(anonymous.body()).path("error").asText()).isEqualTo("unauthenticated");
    assertThat(anonymous.headers().firstValue("Cache-Control")).contains("no-store");

    // The limit is 2 per hour for each user: sam's third request is refused, maya is not affected.
    assertThat(postToken("sam", "sam-pass").statusCode()).isEqualTo(200);
    assertThat(postToken("sam", "sam-pass").statusCode()).isEqualTo(200);
    HttpResponse<String> third = postToken("sam", "sam-pass");
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(third.headers().firstValue("Retry-After")).isPresent();
    assertThat(third.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(JSON.readTree(third.body()).path("error").asText()).isEqualTo("rate_limited");
  }

  @Test
  void theHealthIndicatorReportsTheLastConnect() throws Exception {
    live.faults().rejectSetups(1, 1008, "Request contains an invalid argument.");
    assertThatThrownBy(() -> sessions.connect(builders.getObject()))
        .isInstanceOf(LiveConnectException.class);
    JsonNode down = health();
    assertThat(down.path("status").asText()).isEqualTo("DOWN");
    assertThat(down.at("/details/lastConnect").asText()).isEqualTo("FAILED");
    assertThat(down.at("/details/lastConnectDetail").asText()).contains("1008");
    assertThat(down.at("/details/credentials").asText()).isEqualTo("api-key");
    assertThat(down.toString()).doesNotContain(live.apiKey());

    try (ResilientLiveSession session = sessions.connect(builders.getObject())) {
      JsonNode up = health();
      assertThat(up.path("status").asText()).isEqualTo("UP");
      assertThat(up.at("/details/lastConnect").asText()).isEqualTo("CONNECTED");
      assertThat(up.at("/details/openSessions").asInt()).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void aCallYieldsTheGeminiLiveMetersInTheApplicationsRegistry() throws Exception {
    live.script(s -> s.onText("hello").say("Hi there."));
    double started = count(GeminiLiveMetrics.SESSIONS_STARTED);
    double turns = count(GeminiLiveMetrics.TURNS);
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = sessions.connect(builders.getObject().listener(events))) {
      session.sendText("hello");
      events.awaitTurnComplete(1, WAIT);
    }
    assertThat(count(GeminiLiveMetrics.SESSIONS_STARTED)).isEqualTo(started + 1);
    assertThat(count(GeminiLiveMetrics.TURNS)).isEqualTo(turns + 1);
    assertThat(
            registry
                .find(GeminiLiveMetrics.CONNECTIONS_OPENED)
                .tag("model", "gemini-3.8-live")
                .counters())
        .isNotEmpty();
  }

  private double count(String name) {
    return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }

  private JsonNode health() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/health/geminiLive"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  private URI tokenUri() {
    return URI.create("http://127.0.0.1:" + port + "/api/live/token");
  }

  private HttpResponse<String> postToken(String user, String password) throws Exception {
    String basic =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return http.send(
        HttpRequest.newBuilder(tokenUri())
            .header("Authorization", "Basic " + basic)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void signIn(String user, String role) {
    SecurityContextHolder.getContext()
        .setAuthentication(
            UsernamePasswordAuthenticationToken.authenticated(
                user, "n/a", AuthorityUtils.createAuthorityList(role)));
  }
}
